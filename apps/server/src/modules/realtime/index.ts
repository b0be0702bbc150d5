export { disconnectSession, type RealtimeGateway, startGateway, toRealtimeEvent } from "./gateway.ts";
