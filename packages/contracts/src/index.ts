export * from "./channels.ts";
export * from "./errors.ts";
export * from "./identity.ts";
export * from "./inbox.ts";
export * from "./orders.ts";
export * from "./platforms.ts";
export * from "./realtime.ts";
export * from "./stores.ts";
