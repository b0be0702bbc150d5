export { outboundContentOf, registerDelivery } from "./delivery.ts";
export { type ChannelDelivery, type ChannelSender, registerChannelSender } from "./outbound-channels.ts";
export { outboundRefusal } from "./outbound-check.ts";
export { pushRoutes } from "./push-routes.ts";
export { testSendRoutes } from "./test-send.ts";
