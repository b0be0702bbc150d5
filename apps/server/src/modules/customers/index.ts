export {
  type AutoLinkResult,
  type IdentityMovedListener,
  type LinkResult,
  linkByReceiverPhone,
  linkIdentities,
  lockLinkKey,
  onIdentityMoved,
  unlinkIdentity,
} from "./links.ts";
export { type CustomerConversationRow, type CustomerReads, customerProfile } from "./profile.ts";
export { type CustomerRouteDeps, customerRoutes } from "./routes.ts";
export {
  type BuyerRef,
  customerExists,
  customerTags,
  findIdentity,
  findOrCreateIdentity,
  type IdentityRef,
  identitiesByIds,
  identityIdsMatching,
  identityKeyOf,
  resolveIdentities,
} from "./service.ts";
