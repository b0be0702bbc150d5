export {
  type BuyerRef,
  customerExists,
  findIdentity,
  findOrCreateIdentity,
  type IdentityRef,
  identitiesByIds,
} from "./service.ts";
