export { type BuyerRef, findOrCreateIdentity, type IdentityRef, identitiesByIds } from "./service.ts";
