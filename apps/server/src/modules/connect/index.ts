export { registerDelivery } from "./delivery.ts";
export { pushRoutes } from "./push-routes.ts";
