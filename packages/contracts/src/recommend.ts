import { z } from "zod";
import { Intent, MessageEntities, ProductCategory } from "./assist.ts";
import { AutoReplyOutcome, AutoReplyReason } from "./autoreply.ts";
import { CannedReplyHit, KbSearchHit, TemplateContext } from "./library.ts";
import { LogisticsNode, OrderStatus } from "./orders.ts";

/**
 * The recommended solution beside a conversation (AI pre-review, issue 5): the combined
 * intent tag, what the buyer's latest messages name, the best canned replies and
 * knowledge-base articles for it, and the actions the buyer's real orders call for.
 */

/**
 * Where the intent comes from: `model`, the classifier's reading of the buyer's latest
 * messages (with its confidence); `agent`, an agent's correction; `earlier`, kept from
 * earlier messages (the model is unsure of the latest ones); `guess`, no tag on the
 * conversation yet, the model's best guess below the threshold.
 */
export const intentSources = ["model", "agent", "earlier", "guess"] as const;
export const IntentSource = z.enum(intentSources);
export type IntentSource = z.infer<typeof IntentSource>;

/** The order an action is about. */
export const RecommendedOrder = z.object({
  /** Our id (the orders panel and `/api/orders/:id/logistics` use it). */
  id: z.string(),
  /** The platform's order number. */
  orderNo: z.string(),
  status: OrderStatus,
  platformStatus: z.string(),
  productName: z.string().nullable(),
  promisedShipAt: z.string().nullable(),
  carrier: z.string().nullable(),
  trackingNo: z.string().nullable(),
});
export type RecommendedOrder = z.infer<typeof RecommendedOrder>;

/** Why an action is recommended (the UI words it, with the action's fields). */
export const actionReasons = [
  /** 物流-物流查询: the parcel is on its way / has arrived. */
  "parcel_moving",
  "parcel_delivered",
  /** 物流-发货时间: paid, with the promised ship time (or past it). */
  "ship_promise",
  "ship_overdue",
  /** 物流-修改地址: not shipped yet (the address can change) / shipped already (the carrier must). */
  "address_unshipped",
  "address_shipped",
  /** 售后-退款进度 */
  "refund_in_progress",
  "refund_done",
  /** 售后-退换货 / 质量问题 / 错发漏发: check the order, then the after-sales group takes it. */
  "after_sales_return",
  "after_sales_quality",
  "after_sales_wrong_item",
  /** 投诉, or an angry buyer after a sale. */
  "complaint",
  "angry_buyer",
] as const;
export const ActionReason = z.enum(actionReasons);
export type ActionReason = z.infer<typeof ActionReason>;

/** Something the agent's screen can do in one click, with why. */
export const RecommendedAction = z.discriminatedUnion("kind", [
  /** Open the order's parcel trace (carrier, waybill, latest node given here already). */
  z.object({
    kind: z.literal("check_logistics"),
    reason: ActionReason,
    order: RecommendedOrder,
    /** The parcel's latest node, asked from the platform; null when it could not be. */
    latestNode: LogisticsNode.nullable(),
  }),
  /** Show where the refund stands (the order's status on the platform). */
  z.object({ kind: z.literal("refund_status"), reason: ActionReason, order: RecommendedOrder }),
  /** Open the order (orders panel) to check it before after-sales, a ship date or an address change. */
  z.object({ kind: z.literal("open_order"), reason: ActionReason, order: RecommendedOrder }),
  /** Transfer to the after-sales group (a group named 售后…); no tickets module yet. */
  z.object({
    kind: z.literal("transfer_group"),
    reason: ActionReason,
    groupId: z.string(),
    groupName: z.string(),
  }),
  /** Hand the conversation to a supervisor (the screen picks one who is available). */
  z.object({ kind: z.literal("escalate"), reason: ActionReason }),
]);
export type RecommendedAction = z.infer<typeof RecommendedAction>;
export type RecommendedActionKind = RecommendedAction["kind"];

export const RecommendedReply = CannedReplyHit.extend({
  /** The intent keywords and buyer's words this reply was found by. */
  matchedWords: z.array(z.string()),
  score: z.number(),
});
export type RecommendedReply = z.infer<typeof RecommendedReply>;

export const RecommendedArticle = KbSearchHit.extend({
  /** Found by the intent's keywords, by the buyer's words, or both. */
  foundBy: z.enum(["intent", "message", "both"]),
});
export type RecommendedArticle = z.infer<typeof RecommendedArticle>;

/** Why the bot did not answer the buyer (its latest decision, when it handed over or stayed out). */
export const BotHandOver = z.object({
  outcome: AutoReplyOutcome,
  reason: AutoReplyReason,
  /** The note the agent reads in the thread (empty for a skip). */
  note: z.string(),
  dryRun: z.boolean(),
  at: z.string(),
});
export type BotHandOver = z.infer<typeof BotHandOver>;

export const Recommendation = z.object({
  conversationId: z.string(),
  /** `售后-退换货-鞋子类目`; null when the buyer has written nothing to classify. */
  tag: z.string().nullable(),
  intent: Intent.nullable(),
  category: ProductCategory.nullable(),
  /** The model's probability of the intent for the latest buyer messages; null when the tag is not the model's reading of them. */
  confidence: z.number().min(0).max(1).nullable(),
  intentSource: IntentSource.nullable(),
  /** The buyer's latest messages read (oldest first, up to five). */
  buyerText: z.string(),
  entities: MessageEntities,
  /** Best first, up to three, filled with the conversation's values (missing ones flagged as the composer does). */
  replies: z.array(RecommendedReply),
  /** Best first, up to three. */
  articles: z.array(RecommendedArticle),
  actions: z.array(RecommendedAction),
  /** The order the buyer's question is about (named in the messages, else the newest still moving); null when none. */
  order: RecommendedOrder.nullable(),
  /** Whether the orders were just asked from the platform or are what was stored (the platform failed or was not asked). */
  ordersSource: z.enum(["platform", "stored"]),
  bot: BotHandOver.nullable(),
  context: TemplateContext,
  tookMs: z.number(),
});
export type Recommendation = z.infer<typeof Recommendation>;
