import {
  type AutoReplyOutcome,
  type AutoReplyReason,
  type BotHandOver,
  fillTemplate,
  type Intent,
  type KbSearchHit,
  type Order,
  ProductCategory,
  type Recommendation,
  type RecommendedAction,
} from "@yunxi/contracts";
import { and, desc, eq } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { isId } from "../../../platform/db/ids.ts";
import { notFound } from "../../../platform/http/errors.ts";
import { identitiesByIds } from "../../customers/index.ts";
import { type Actor, getOrg } from "../../identity/index.ts";
import { getConversationRow, listGroups, parseIntentTag, recentMessagesForBot } from "../../inbox/index.ts";
import { orderLogisticsInStore, presentedCustomerOrders, syncBuyerOrders } from "../../orders/index.ts";
import { autoReplyDecisions, intentCorrections } from "../autoreply/tables.ts";
import { categoryOf, classify } from "../classifier/index.ts";
import { searchKnowledge } from "../kb/index.ts";
import { orgStores } from "../library/index-cache.ts";
import { queryWords } from "../library/text.ts";
import { contextOf, orderOfConversation } from "../replies/context.ts";
import { replyIndexOf } from "../replies/reply-index.ts";
import { replyQuery } from "../replies/search-vector.ts";
import { replyPresenter } from "../replies/service.ts";
import { afterSalesGroupOf, orderInQuestion, orderIntents, recommendedActions, recommendedOrder } from "./actions.ts";
import {
  collectCandidates,
  intentKeywords,
  latestBuyerRun,
  rankArticles,
  rankReplies,
  resolveIntent,
  type WordHit,
} from "./rank.ts";

/** Up to this many replies and articles are recommended. */
const TOP = 3;
/** Each search word brings at most this many replies to be ranked. */
const PER_WORD = 20;
/** The buyer's words searched (the first ones; a long message says its point early). */
const MESSAGE_WORDS = 10;
/** The bot's decisions that say why a human has the buyer (not "an agent is talking with them": the agent knows). */
const BOT_STAYED_OUT: readonly AutoReplyOutcome[] = ["handed_over", "skipped"];
const SAYS_NOTHING: readonly AutoReplyReason[] = ["agent_active"];

type ConversationRow = Awaited<ReturnType<typeof getConversationRow>>;

/** How long a sync of the buyer's orders serves the card before the platform is asked again. */
const ORDERS_FRESH_MS = 15_000;

/**
 * The recommended solution for a conversation the actor can see (another org's or a
 * store the agent does not serve is "not found"): the combined tag, the entities of the
 * buyer's latest messages, the best canned replies and articles (the org's in-memory
 * indexes), the actions the buyer's orders call for, and why the bot did not answer.
 */
export async function recommendFor(ctx: AppContext, actor: Actor, conversationId: string): Promise<Recommendation> {
  const started = performance.now();
  if (!isId(conversationId)) throw notFound("Conversation");
  const row = await getConversationRow(ctx.db, actor, conversationId);
  const [identities, thread, bot, org] = await Promise.all([
    identitiesByIds(ctx.db, actor.orgId, [row.identityId]),
    recentMessagesForBot(ctx.db, actor.orgId, row.id, 30),
    latestBotDecision(ctx.db, actor.orgId, row.id),
    getOrg(ctx.db, actor.orgId),
  ]);
  const identity = identities.get(row.identityId);
  if (!identity) throw notFound("Conversation");

  const buyerText = latestBuyerRun(thread).join("\n");
  const reading = buyerText ? classify(buyerText) : null;
  const tagged = row.tags.map(parseIntentTag).find((t) => t !== null) ?? null;
  const correctedTo =
    tagged && reading?.intent !== tagged.intent ? await latestCorrection(ctx.db, actor.orgId, row.id) : null;
  const { intent, confidence, source } = resolveIntent({ tagIntent: tagged?.intent ?? null, reading, correctedTo });

  const { orders, ordersSource } = await buyerOrders(ctx, actor, row, identity, intent);
  const entities = reading?.entities ?? classify("").entities;
  const order = orderInQuestion(intent, orders, row.storeId, entities.orderNumbers);
  const tagCategory = ProductCategory.safeParse(tagged?.category);
  const category = tagCategory.success
    ? tagCategory.data
    : buyerText
      ? categoryOf(buyerText, order ? { orderItems: order.items.map((i) => ({ title: i.title })) } : undefined)
      : null;
  // The composer's values: its buyer name and the newest order still moving in this store.
  const context = contextOf(identity.displayName, orderOfConversation(orders, row.storeId), org.timezone);

  const [replies, articles, actions] = await Promise.all([
    recommendReplies(ctx, actor, row.storeId, intent, buyerText, category),
    recommendArticles(ctx, actor, row.storeId, intent, buyerText),
    orderActions(ctx, actor, row, {
      intent,
      negative: reading?.sentiment.negative ?? false,
      order,
    }),
  ]);

  return {
    conversationId: row.id,
    tag: intent ? (category ? `${intent}-${category}` : intent) : null,
    intent,
    category,
    confidence,
    intentSource: source,
    buyerText,
    entities,
    replies: replies.map((r) => {
      const filled = fillTemplate(r.reply.text, context);
      return {
        reply: r.reply,
        match: r.match,
        filledText: filled.text,
        missing: filled.missing,
        matchedWords: [...new Set(r.hits.map((h) => h.word))],
        score: r.score,
      };
    }),
    articles,
    actions,
    order: order ? recommendedOrder(order) : null,
    ordersSource,
    bot,
    context,
    tookMs: Math.round((performance.now() - started) * 100) / 100,
  };
}

/**
 * The buyer's orders (every store the actor sees, as the composer reads them). For a
 * question about an order they are asked from the platform first, as the orders panel
 * does; when it fails, what was stored is answered.
 */
async function buyerOrders(
  ctx: AppContext,
  actor: Actor,
  row: ConversationRow,
  identity: { identityId: string; platformBuyerId: string; displayName: string },
  intent: Intent | null,
): Promise<{ orders: Order[]; ordersSource: Recommendation["ordersSource"] }> {
  let ordersSource: Recommendation["ordersSource"] = "stored";
  if (intent && orderIntents.has(intent)) {
    try {
      const synced = await syncBuyerOrders(
        ctx,
        { orgId: actor.orgId, storeId: row.storeId, customerId: row.customerId, identityId: row.identityId },
        { platformBuyerId: identity.platformBuyerId, displayName: identity.displayName },
        // The card asks again on every buyer message and after its triage: one platform call will do.
        { reuseWithinMs: ORDERS_FRESH_MS },
      );
      ordersSource = synced.source;
    } catch (err) {
      ctx.log.warn({ err, conversationId: row.id }, "recommendation order sync failed");
    }
  }
  return { orders: await presentedCustomerOrders(ctx.db, actor, row.customerId), ordersSource };
}

/**
 * Canned replies for the store (its own, its platform's, the org's; the agent's personal
 * ones), found on the org's in-memory index by each of the intent's keywords and each of
 * the buyer's words, then ranked together (rank.ts).
 */
async function recommendReplies(
  ctx: AppContext,
  actor: Actor,
  storeId: string,
  intent: Intent | null,
  buyerText: string,
  category: ProductCategory | null,
) {
  if (!intent) return [];
  const [index, stores] = await Promise.all([replyIndexOf(ctx, actor.orgId), orgStores(ctx, actor.orgId, storeId)]);
  const store = stores.get(storeId);
  if (!store) return [];
  const now = ctx.now();
  const filter = { storeId, platform: store.platform, userId: actor.userId, now, limit: PER_WORD };
  const keywords = intentKeywords[intent];
  const words: { word: string; from: WordHit["from"] }[] = [
    ...keywords.map((word) => ({ word, from: "intent" as const })),
    ...(buyerText ? queryWords(buyerText) : [])
      .filter((w) => !keywords.includes(w))
      .slice(0, MESSAGE_WORDS)
      .map((word) => ({ word, from: "message" as const })),
  ];
  const present = await replyPresenter(ctx, actor.orgId, now, index.categoryPaths);
  const searches = words.flatMap(({ word, from }) => {
    const query = replyQuery(word);
    if (!query) return [];
    const hits = index.search(query, filter, false).map((h) => ({ reply: present(h.row), match: h.match }));
    return [{ word, from, hits }];
  });
  return rankReplies(collectCandidates(searches), category, TOP);
}

/** Articles of the store and the org's, found by the intent's keywords and by the buyer's words (rank.ts). */
async function recommendArticles(
  ctx: AppContext,
  actor: Actor,
  storeId: string,
  intent: Intent | null,
  buyerText: string,
) {
  if (!intent) return [];
  const keywords = intentKeywords[intent];
  const search = (q: string): Promise<KbSearchHit[]> =>
    q.trim() ? searchKnowledge(ctx, actor, { q, storeId, limit: 10 }) : Promise.resolve([]);
  const [byIntent, byMessage] = await Promise.all([search(keywords.join(" ")), search(buyerText.slice(0, 200))]);
  return rankArticles(byIntent, byMessage, TOP);
}

/** The actions for the order in question, with the parcel's latest node asked from the platform when one is to be checked. */
async function orderActions(
  ctx: AppContext,
  actor: Actor,
  row: ConversationRow,
  facts: { intent: Intent | null; negative: boolean; order: Order | undefined },
): Promise<RecommendedAction[]> {
  const needsGroup = facts.intent?.startsWith("售后-") ?? false;
  const groups = needsGroup ? await listGroups(ctx.db, actor.orgId) : [];
  const actions = recommendedActions({
    ...facts,
    afterSalesGroup: afterSalesGroupOf(groups),
    conversationGroupId: row.groupId,
    now: ctx.now(),
  });
  return Promise.all(
    actions.map(async (action) => {
      if (action.kind !== "check_logistics") return action;
      try {
        const trace = await orderLogisticsInStore(ctx, actor.orgId, row.storeId, action.order.orderNo);
        const latest = [...trace.nodes].sort((a, b) => a.at.getTime() - b.at.getTime()).at(-1);
        return {
          ...action,
          order: {
            ...action.order,
            carrier: action.order.carrier ?? trace.carrier,
            trackingNo: action.order.trackingNo ?? trace.trackingNo,
          },
          latestNode: latest ? { at: latest.at.toISOString(), description: latest.description } : null,
        };
      } catch (err) {
        ctx.log.warn({ err, conversationId: row.id }, "recommendation logistics lookup failed");
        return action;
      }
    }),
  );
}

/** The bot's latest decision on the conversation, when it handed over or stayed out. */
async function latestBotDecision(db: Executor, orgId: string, conversationId: string): Promise<BotHandOver | null> {
  const [latest] = await db
    .select()
    .from(autoReplyDecisions)
    .where(and(eq(autoReplyDecisions.orgId, orgId), eq(autoReplyDecisions.conversationId, conversationId)))
    .orderBy(desc(autoReplyDecisions.createdAt))
    .limit(1);
  if (!latest || !BOT_STAYED_OUT.includes(latest.outcome as AutoReplyOutcome)) return null;
  if (SAYS_NOTHING.includes(latest.reason as AutoReplyReason)) return null;
  return {
    outcome: latest.outcome as AutoReplyOutcome,
    reason: latest.reason as AutoReplyReason,
    note: latest.text,
    dryRun: latest.dryRun,
    at: latest.createdAt.toISOString(),
  };
}

/** The intent an agent last corrected the conversation to. */
async function latestCorrection(db: Executor, orgId: string, conversationId: string): Promise<Intent | null> {
  const [latest] = await db
    .select({ corrected: intentCorrections.corrected })
    .from(intentCorrections)
    .where(and(eq(intentCorrections.orgId, orgId), eq(intentCorrections.conversationId, conversationId)))
    .orderBy(desc(intentCorrections.createdAt))
    .limit(1);
  return (latest?.corrected as Intent | undefined) ?? null;
}
