import { type AssistDraft, type Order, type PlatformId, storeLabel } from "@yunxi/contracts";
import { and, eq, inArray } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import { AppError } from "../../../platform/http/errors.ts";
import { type Actor, getOrg } from "../../identity/index.ts";
import { conversationBuyer, type MessageRow, recentMessagesForBot } from "../../inbox/index.ts";
import { presentOrder, syncBuyerOrders } from "../../orders/index.ts";
import { extractEntities } from "../classifier/index.ts";
import { searchKnowledge } from "../kb/index.ts";
import { formatLocalTime, orderOfConversation } from "../replies/context.ts";
import { kbArticles } from "../tables.ts";
import { chatCompletion, LlmError } from "./client.ts";
import { cleanDraft, type DraftFacts, draftPrompt } from "./prompts.ts";
import { endpointOf, isUsable, settingsRow } from "./settings.ts";

/**
 * 「AI 草稿」: a reply drafted by the org's LLM from the conversation, the knowledge-base
 * articles that answer the buyer's question and the buyer's order, for the agent to edit.
 * Nothing is sent: the draft goes to the composer.
 */

/** The conversation the model reads: the latest messages, notes left out. */
const THREAD_MESSAGES = 12;
const ARTICLES = 3;

/** What the buyer asked since the last answer (else their last message): the knowledge-base query. */
function buyerQuestion(thread: MessageRow[]): string {
  const lastAnswer = thread.findLastIndex((m) => m.direction === "outbound");
  const unanswered = thread.slice(lastAnswer + 1).filter((m) => m.direction === "inbound");
  const asked = unanswered.length > 0 ? unanswered : thread.filter((m) => m.direction === "inbound").slice(-1);
  return asked.map((m) => m.body).join("\n");
}

/** The order the buyer names by number, else the one the conversation is most likely about. */
function orderAbout(orders: Order[], storeId: string, question: string): Order | undefined {
  const named = new Set(extractEntities(question).orderNumbers);
  return orders.find((o) => o.storeId === storeId && named.has(o.orderId)) ?? orderOfConversation(orders, storeId);
}

function orderFacts(order: Order, timeZone: string): NonNullable<DraftFacts["order"]> {
  const time = (iso: string | null) => (iso ? formatLocalTime(iso, timeZone) : null);
  return {
    orderId: order.orderId,
    status: order.status,
    items: order.items.map((i) => (i.sku ? `${i.title}（${i.sku}）×${i.quantity}` : `${i.title} ×${i.quantity}`)),
    totalYuan: (order.totalCents / 100).toFixed(2),
    paidAt: time(order.paidAt),
    promisedShipAt: time(order.promisedShipAt),
    shippedAt: time(order.shippedAt),
    carrier: order.carrier,
    trackingNo: order.trackingNo,
  };
}

async function articlesFor(ctx: AppContext, actor: Actor, storeId: string, question: string) {
  if (question.trim() === "") return [];
  const hits = await searchKnowledge(ctx, actor, { q: question.slice(0, 200), storeId, limit: ARTICLES });
  if (hits.length === 0) return [];
  const ids = hits.map((h) => h.article.id);
  const rows = await ctx.db
    .select({ id: kbArticles.id, title: kbArticles.title, text: kbArticles.plainText })
    .from(kbArticles)
    .where(and(eq(kbArticles.orgId, actor.orgId), inArray(kbArticles.id, ids)));
  // Best match first, as the search ranked them.
  return ids.flatMap((id) => rows.filter((r) => r.id === id));
}

export async function draftReply(ctx: AppContext, actor: Actor, conversationId: string): Promise<AssistDraft> {
  const started = performance.now();
  const settings = await settingsRow(ctx.db, actor.orgId);
  if (!isUsable(settings) || !settings.drafts) {
    throw new AppError(409, "llm_disabled", "The language model is not switched on for drafts");
  }
  const conversation = await conversationBuyer(ctx.db, actor, conversationId);
  const [thread, synced, org] = await Promise.all([
    recentMessagesForBot(ctx.db, actor.orgId, conversationId, THREAD_MESSAGES * 2),
    // The buyer's orders in this store asked from the platform now, as the order panel does (stored ones if it fails).
    syncBuyerOrders(ctx, conversation, conversation.buyer),
    getOrg(ctx.db, actor.orgId),
  ]);
  const { store } = synced;
  const orders = synced.rows.map((row) => presentOrder(row, store));
  const said = thread.filter((m) => m.direction !== "internal").slice(-THREAD_MESSAGES);
  const question = buyerQuestion(said);
  const order = orderAbout(orders, conversation.storeId, question);
  const articles = await articlesFor(ctx, actor, conversation.storeId, question);
  const facts: DraftFacts = {
    storeLabel: storeLabel(store.platform as PlatformId, store.name),
    messages: said.map((m) => ({
      from: m.direction === "inbound" ? "buyer" : m.senderType === "bot" ? "bot" : "agent",
      text: m.body,
    })),
    articles: articles.map((a) => ({ title: a.title, text: a.text })),
    order: order ? orderFacts(order, org.timezone) : null,
  };
  let text: string;
  try {
    const answer = await chatCompletion(
      endpointOf(ctx, settings),
      { messages: draftPrompt(facts), temperature: 0.3, maxTokens: 600 },
      settings.draftTimeoutMs,
    );
    text = cleanDraft(answer.text);
  } catch (err) {
    if (!(err instanceof LlmError)) throw err;
    ctx.log.warn({ code: err.code, conversationId }, "LLM draft failed");
    throw new AppError(503, "llm_unavailable", `The language model did not answer (${err.code})`);
  }
  if (text === "") throw new AppError(503, "llm_unavailable", "The language model answered an empty draft");
  return {
    text,
    sources: {
      articles: articles.map((a) => ({ id: a.id, title: a.title })),
      order: order ? { id: order.id, orderId: order.orderId } : null,
    },
    tookMs: Math.round(performance.now() - started),
  };
}
