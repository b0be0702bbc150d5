import { type Conversation, type Intent, intents } from "@yunxi/contracts";
import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import type { Executor } from "../../platform/db/client.ts";
import { appendEvents } from "../../platform/events/log.ts";
import type { Actor } from "../identity/index.ts";
import { getConversationRow, presentConversations } from "./queries.ts";
import { enqueueTriage, NEGATIVE_TAG } from "./routing/queue.ts";
import { conversations, messages } from "./tables.ts";

/**
 * An agent's one-click correction of the conversation's intent tag (AI pre-review got it
 * wrong). The inbox replaces the tag; what the correction means for the classifier is the
 * assist module's business, told through `onCorrected` inside the same transaction.
 */

/** Longest labels first, so `其他-发票-…` is not read as `其他`. */
const labelsLongestFirst = [...intents].sort((a, b) => b.length - a.length);

/** The intent and product category a tag carries (`售后-退换货-鞋子类目` → 售后-退换货, 鞋子类目). */
export function parseIntentTag(tag: string): { intent: Intent; category: string | null } | null {
  for (const label of labelsLongestFirst) {
    if (tag === label) return { intent: label, category: null };
    if (tag.startsWith(`${label}-`)) return { intent: label, category: tag.slice(label.length + 1) };
  }
  return null;
}

/** The conversation's intent tag (the sentiment tag is no intent), if it has one. */
export const intentTagOf = (tags: readonly string[]): string | undefined =>
  tags.find((t) => t !== NEGATIVE_TAG && parseIntentTag(t) !== null);

export interface IntentCorrected {
  orgId: string;
  storeId: string;
  conversationId: string;
  /** The buyer's latest messages, as the classifier read them. */
  text: string;
  /** The intent the tag had (null: it had none). */
  predicted: Intent | null;
  corrected: Intent;
  by: string;
  at: Date;
}

/** The buyer's latest run of messages (up to five, oldest first): what triage classified. */
async function latestBuyerText(db: Executor, orgId: string, conversationId: string): Promise<string> {
  const recent = await db
    .select({ direction: messages.direction, body: messages.body })
    .from(messages)
    .where(and(eq(messages.orgId, orgId), eq(messages.conversationId, conversationId)))
    .orderBy(desc(messages.createdAt))
    .limit(20);
  const run: string[] = [];
  for (const m of recent) {
    if (m.direction === "inbound") {
      run.push(m.body);
      if (run.length === 5) break;
    } else if (m.direction === "outbound" && run.length > 0) break;
  }
  return run.reverse().join("\n");
}

/**
 * Replace the conversation's intent tag (keeping its product category, the sentiment tag
 * and every other tag) for a user who can see it; `onCorrected` records the correction in
 * the same transaction. Returns the conversation as shown.
 */
export async function correctIntentTag(
  ctx: AppContext,
  actor: Actor,
  conversationId: string,
  intent: Intent,
  onCorrected: (tx: Executor, correction: IntentCorrected) => Promise<void>,
): Promise<Conversation> {
  const result = await ctx.db.transaction(async (tx) => {
    const row = await getConversationRow(tx, actor, conversationId);
    const current = intentTagOf(row.tags);
    const parsed = current ? parseIntentTag(current) : null;
    const tag = parsed?.category ? `${intent}-${parsed.category}` : intent;
    const now = ctx.now();
    const [updated] = await tx
      .update(conversations)
      .set({ tags: [tag, ...row.tags.filter((t) => t !== current && t !== tag)], updatedAt: now })
      .where(eq(conversations.id, row.id))
      .returning();
    await onCorrected(tx, {
      orgId: actor.orgId,
      storeId: row.storeId,
      conversationId: row.id,
      text: await latestBuyerText(tx, actor.orgId, row.id),
      predicted: parsed?.intent ?? null,
      corrected: intent,
      by: actor.userId,
      at: now,
    });
    const [shown] = await presentConversations(tx, actor.orgId, [updated!]);
    const events = await appendEvents(tx, actor.orgId, [
      { type: "conversation.updated", storeId: row.storeId, payload: { conversation: shown } },
    ]);
    return { conversation: shown!, events };
  });
  ctx.bus.publish(result.events);
  return result.conversation;
}

/** The buyer's messages since the last answer (as triage counts them). */
async function unansweredCount(
  db: Executor,
  row: { orgId: string; id: string; lastOutboundAt: Date | null },
): Promise<number> {
  const [counted] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .where(
      and(
        eq(messages.orgId, row.orgId),
        eq(messages.conversationId, row.id),
        eq(messages.direction, "inbound"),
        row.lastOutboundAt ? gt(messages.createdAt, row.lastOutboundAt) : undefined,
      ),
    );
  return Number(counted?.n ?? 0);
}

/** An intent settled after triage by something slower than the local classifier (the assist module's LLM). */
export interface IntentRefinement {
  orgId: string;
  conversationId: string;
  intent: Intent;
  /** The product category of the buyer's messages (the local classifier's), kept in the tag. */
  category: string | null;
  /** The run of buyer messages the refinement read (its newest time, how many): a new message makes it stale. */
  basedOn: Date;
  unanswered: number;
  /** The intent tag the conversation had when read (null: none): another one now (an agent's correction) makes it stale. */
  expectedTag: string | null;
}

export type RefinementOutcome = "applied" | "unchanged" | "stale";

/**
 * Replace the conversation's intent tag with a refined one, unless the buyer wrote again or
 * the tag changed since it was read; then re-triage it (priority rules weigh tags). One
 * transaction, with `onRecorded` writing the refiner's own record of the outcome.
 */
export async function refineIntentTag(
  ctx: AppContext,
  refinement: IntentRefinement,
  onRecorded: (tx: Executor, outcome: RefinementOutcome) => Promise<void>,
): Promise<RefinementOutcome> {
  const { orgId, conversationId } = refinement;
  const result = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(and(eq(conversations.orgId, orgId), eq(conversations.id, conversationId)))
      .for("update");
    const current = row ? (intentTagOf(row.tags) ?? null) : null;
    const tag = refinement.category ? `${refinement.intent}-${refinement.category}` : refinement.intent;
    const sameRun =
      row !== undefined &&
      row.lastInboundAt?.getTime() === refinement.basedOn.getTime() &&
      (await unansweredCount(tx, row)) === refinement.unanswered;
    const outcome: RefinementOutcome =
      !row || !sameRun || row.status === "resolved" || current !== refinement.expectedTag
        ? "stale"
        : current === tag
          ? "unchanged"
          : "applied";
    await onRecorded(tx, outcome);
    if (outcome !== "applied" || !row) return { outcome, events: [] };
    const [updated] = await tx
      .update(conversations)
      .set({
        tags: [tag, ...row.tags.filter((t) => t !== current && t !== tag)],
        needsTriage: true,
        updatedAt: ctx.now(),
      })
      .where(eq(conversations.id, row.id))
      .returning();
    await enqueueTriage(tx, orgId);
    const [shown] = await presentConversations(tx, orgId, [updated!]);
    const events = await appendEvents(tx, orgId, [
      { type: "conversation.updated", storeId: row.storeId, payload: { conversation: shown } },
    ]);
    return { outcome, events };
  });
  ctx.bus.publish(result.events);
  if (result.outcome === "applied") ctx.jobs.notify();
  return result.outcome;
}
