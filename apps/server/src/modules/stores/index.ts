export { authorizationOf, lapsedReason, refreshAuthorization, sweepAuthorizations } from "./authorization.ts";
export { registerAuthorizationSweep, scheduleSweep } from "./authorization-sweep.ts";
export { presentStore } from "./presenter.ts";
export { storeRoutes } from "./routes.ts";
export {
  assertStoresInOrg,
  createStore,
  getStore,
  isActive,
  listOrgStores,
  listStores,
  openCredentials,
  platformContext,
  reserveSendSlot,
  type StoreRow,
  type StoreWithCredentials,
  storeById,
  storeForPush,
  storeSendability,
} from "./service.ts";
