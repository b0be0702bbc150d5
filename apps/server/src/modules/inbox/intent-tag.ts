import { type Conversation, type Intent, intents } from "@yunxi/contracts";
import { and, desc, eq } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import type { Executor } from "../../platform/db/client.ts";
import { appendEvents } from "../../platform/events/log.ts";
import type { Actor } from "../identity/index.ts";
import { getConversationRow, presentConversations } from "./queries.ts";
import { NEGATIVE_TAG } from "./routing/queue.ts";
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
    const current = row.tags.find((t) => t !== NEGATIVE_TAG && parseIntentTag(t) !== null);
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
