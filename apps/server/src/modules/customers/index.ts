export {
  type BuyerRef,
  customerExists,
  findIdentity,
  findOrCreateIdentity,
  type IdentityRef,
  identitiesByIds,
  identityKeyOf,
  resolveIdentities,
} from "./service.ts";
