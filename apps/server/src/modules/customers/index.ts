export {
  type BuyerRef,
  customerExists,
  findIdentity,
  findOrCreateIdentity,
  type IdentityRef,
  identitiesByIds,
  identityIdsMatching,
  identityKeyOf,
  resolveIdentities,
} from "./service.ts";
