import type { Conversation, Intent, IntentCorrectionLine } from "@yunxi/contracts";
import { and, asc, eq, gte, type SQL } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { isId, newId } from "../../../platform/db/ids.ts";
import { notFound } from "../../../platform/http/errors.ts";
import type { Actor } from "../../identity/index.ts";
import { correctIntentTag } from "../../inbox/index.ts";
import { intentCorrections } from "./tables.ts";

/**
 * Agents' corrections of AI pre-review's intent: the tag changes at once (inbox), and the
 * correction is kept here so the retraining command can learn from it.
 */

/** Correct a conversation's intent tag (any user who can see it) and keep the correction. */
export async function correctIntent(
  ctx: AppContext,
  actor: Actor,
  conversationId: string,
  intent: Intent,
): Promise<Conversation> {
  if (!isId(conversationId)) throw notFound("Conversation");
  return correctIntentTag(ctx, actor, conversationId, intent, async (tx, c) => {
    // Nothing to learn from an empty text or from "correcting" to what the model said.
    if (c.text.trim() === "" || c.predicted === c.corrected) return;
    await tx.insert(intentCorrections).values({
      id: newId(),
      orgId: c.orgId,
      storeId: c.storeId,
      conversationId: c.conversationId,
      text: c.text,
      predicted: c.predicted,
      corrected: c.corrected,
      correctedBy: c.by,
      createdAt: c.at,
    });
  });
}

/** The corrections of one org (or of every org, for the operator), oldest first, as JSONL lines. */
export async function correctionLines(
  db: Executor,
  filter: { orgId?: string | undefined; since?: Date | undefined } = {},
): Promise<IntentCorrectionLine[]> {
  const conditions: SQL[] = [];
  if (filter.orgId !== undefined && !isId(filter.orgId)) return [];
  if (filter.orgId) conditions.push(eq(intentCorrections.orgId, filter.orgId));
  if (filter.since) conditions.push(gte(intentCorrections.createdAt, filter.since));
  const rows = await db
    .select()
    .from(intentCorrections)
    .where(and(...conditions))
    .orderBy(asc(intentCorrections.createdAt));
  return rows.map((r) => ({
    text: r.text,
    predicted: (r.predicted as Intent | null) ?? null,
    corrected: r.corrected as Intent,
    at: r.createdAt.toISOString(),
  }));
}
