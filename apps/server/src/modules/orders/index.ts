export { followCustomerLinksInOrders } from "./customer-links.ts";
export {
  type EvaluationRow,
  type OrderRow,
  type OrderStoreRef,
  presentEvaluation,
  presentOrder,
} from "./presenter.ts";
export { orderRoutes } from "./routes.ts";
export {
  applyOrderEvent,
  findStoreOrder,
  type OrderOwner,
  type PhoneHasher,
  presentedCustomerOrders,
  recordEvaluation,
} from "./service.ts";
export { type BuyerOrders, orderLogisticsInStore, syncBuyerOrders } from "./sync.ts";
