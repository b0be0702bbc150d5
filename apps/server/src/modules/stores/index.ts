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
  type StoreRow,
  type StoreWithCredentials,
  storeById,
  storeForPush,
} from "./service.ts";
