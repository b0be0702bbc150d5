export {
  createOwnChannelCrowd,
  type OwnChannelCrowd,
  type OwnChannelCrowdOptions,
  type ShopperRecord,
} from "./crowd.ts";
export { type MailWorld, startMailWorld } from "./mail-buyers.ts";
export { shopPageHtml } from "./shop-page.ts";
export { type SimVisitor, startVisitor } from "./webchat-visitor.ts";
