import { z } from "zod";
import { ConversationStatus } from "./inbox.ts";
import { Order } from "./orders.ts";
import { PlatformId } from "./platforms.ts";

/**
 * Why an identity belongs to its customer. first_contact: it made the customer when
 * the buyer first wrote or ordered; phone_match: orders on two platforms shared a
 * receiver phone (compared as a keyed hash only); widget_identified: the merchant's
 * page identified the web-chat visitor as a customer already known; manual: a
 * supervisor linked or unlinked it by hand.
 */
export const linkReasons = ["first_contact", "phone_match", "widget_identified", "manual"] as const;
export const LinkReason = z.enum(linkReasons);
export type LinkReason = z.infer<typeof LinkReason>;

/** A store as the customer panel names it: `淘宝-旗舰店`. */
export const CustomerStore = z.object({
  id: z.string(),
  platform: PlatformId,
  name: z.string(),
  /** `淘宝-旗舰店` */
  label: z.string(),
});
export type CustomerStore = z.infer<typeof CustomerStore>;

export const IdentityLink = z.object({
  reason: LinkReason,
  /** What made the link: for phone_match the two platform order numbers (`T-1001 ↔ P-2001`), never the phone. */
  detail: z.string().nullable(),
  at: z.string(),
  /** The supervisor who linked or unlinked it by hand; null for automatic links. */
  by: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type IdentityLink = z.infer<typeof IdentityLink>;

/** One platform account of the customer. */
export const CustomerIdentity = z.object({
  id: z.string(),
  platform: PlatformId,
  platformBuyerId: z.string(),
  displayName: z.string(),
  /** The store a per-shop buyer id belongs to (PDD, Douyin, web chat …); null for global ids (Taobao nick). */
  store: CustomerStore.nullable(),
  /** The stores this identity talked to, among those the actor may see (for global ids the list that matters). */
  stores: z.array(CustomerStore),
  link: IdentityLink,
  createdAt: z.string(),
});
export type CustomerIdentity = z.infer<typeof CustomerIdentity>;

/** A conversation of the customer on any platform, as the panel lists it. */
export const CustomerConversation = z.object({
  id: z.string(),
  identityId: z.string(),
  storeId: z.string(),
  platform: PlatformId,
  storeLabel: z.string(),
  status: ConversationStatus,
  assigneeId: z.string().nullable(),
  lastMessagePreview: z.string(),
  lastMessageAt: z.string(),
  createdAt: z.string(),
});
export type CustomerConversation = z.infer<typeof CustomerConversation>;

/**
 * One customer across platforms: every linked identity with why it is linked, and the
 * conversations and orders in the stores the actor may see (an agent: the stores they
 * serve), newest first.
 */
export const CustomerProfile = z.object({
  customer: z.object({
    id: z.string(),
    displayName: z.string(),
    createdAt: z.string(),
    /** The buyer's own tags (VIP …), set by agents; priority rules of kind buyer_tag read them. */
    tags: z.array(z.string()),
  }),
  identities: z.array(CustomerIdentity),
  conversations: z.array(CustomerConversation),
  orders: z.array(Order),
  /** The tags of the customer's conversations (intents such as 售后-退换货), most frequent first. */
  tags: z.array(z.string()),
});
export type CustomerProfile = z.infer<typeof CustomerProfile>;

/** `GET /api/customers?q=`: by customer name, buyer name or platform buyer id (supervisors, for manual linking). */
export const CustomerSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type CustomerSearchQuery = z.infer<typeof CustomerSearchQuery>;

export const CustomerSearchHit = z.object({
  id: z.string(),
  displayName: z.string(),
  identities: z.array(
    z.object({
      id: z.string(),
      platform: PlatformId,
      platformBuyerId: z.string(),
      displayName: z.string(),
      /** The store of a per-shop id; null for global ids. */
      storeLabel: z.string().nullable(),
      linkReason: LinkReason,
    }),
  ),
});
export type CustomerSearchHit = z.infer<typeof CustomerSearchHit>;

export const CustomerSearchResult = z.object({ items: z.array(CustomerSearchHit) });
export type CustomerSearchResult = z.infer<typeof CustomerSearchResult>;

/** `POST /api/customers/:id/identities`: move this identity (with its conversations and orders) to the customer. */
export const LinkIdentityRequest = z.strictObject({
  identityId: z.string().max(64),
  /** Why, in the supervisor's words; shown with the link. */
  note: z.string().trim().max(200).optional(),
});
export type LinkIdentityRequest = z.infer<typeof LinkIdentityRequest>;

/** `PUT /api/customers/:id/tags`: the buyer's tags, replaced as a whole. */
export const SetCustomerTagsRequest = z.strictObject({
  tags: z.array(z.string().trim().min(1).max(30)).max(20),
});
export type SetCustomerTagsRequest = z.infer<typeof SetCustomerTagsRequest>;
