import { type Intent, LLM_CLASSIFY_BELOW_MAX } from "@yunxi/contracts";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { newId } from "../../../platform/db/ids.ts";
import { jobs } from "../../../platform/jobs/tables.ts";
import {
  conversationForBot,
  intentTagOf,
  onTriaged,
  refineIntentTag,
  type TriageListener,
  type TriageReview,
} from "../../inbox/index.ts";
import { chatCompletion, LlmError } from "./client.ts";
import { classifyPrompt, parseIntentLabel } from "./prompts.ts";
import { endpointOf, isUsable, settingsRow } from "./settings.ts";
import { llmClassifications } from "./tables.ts";

/**
 * Classify-when-unsure: triage tags with the local classifier at once; where it was unsure
 * and the org's LLM is on, a job asks the model afterwards for one label of the taxonomy
 * and, if it gives a valid one, replaces the intent tag and re-triages. The model is never
 * called inside triage, and a model that fails leaves the local tag: nothing waits for it.
 */
export const LLM_CLASSIFY_QUEUE = "assist-llm-classify";

interface RefinePayload {
  conversationId: string;
  /** The buyer's unanswered messages as triage classified them, oldest first. */
  text: string;
  /** The newest of them (the conversation's `last_inbound_at`), ISO, and how many: the run asked about. */
  basedOn: string;
  unanswered: number;
  localIntent: Intent;
  localConfidence: number;
  category: string | null;
  /** The intent tag triage left (null: none). */
  expectedTag: string | null;
}

const runKey = (conversationId: string, basedOn: Date, unanswered: number) =>
  `${conversationId}@${basedOn.getTime()}#${unanswered}`;

/** Runs of buyer messages the model has been asked about already, or will be by a waiting job. */
async function alreadyAsked(tx: Executor, orgId: string, conversationIds: string[]): Promise<Set<string>> {
  const [recorded, waiting] = await Promise.all([
    tx
      .select({
        conversationId: llmClassifications.conversationId,
        basedOn: llmClassifications.basedOn,
        unanswered: llmClassifications.unanswered,
      })
      .from(llmClassifications)
      .where(and(eq(llmClassifications.orgId, orgId), inArray(llmClassifications.conversationId, conversationIds))),
    tx
      .select({ payload: jobs.payload })
      .from(jobs)
      .where(
        and(
          eq(jobs.orgId, orgId),
          eq(jobs.queue, LLM_CLASSIFY_QUEUE),
          inArray(jobs.status, ["queued", "running"]),
          inArray(sql`${jobs.payload}->>'conversationId'`, conversationIds),
        ),
      ),
  ]);
  const keys = recorded.map((r) => runKey(r.conversationId, r.basedOn, r.unanswered));
  for (const { payload } of waiting) {
    const p = payload as RefinePayload;
    keys.push(runKey(p.conversationId, new Date(p.basedOn), p.unanswered));
  }
  return new Set(keys);
}

/**
 * Inside the triage transaction: a job for each conversation whose buyer messages the local
 * model was unsure of, once per run of messages. Costs nothing (no query) unless the local
 * model was unsure somewhere, then one settings read.
 */
const enqueueRefinements: TriageListener = async (tx, orgId, triaged, reviews) => {
  const unsure = triaged.filter((c) => {
    const review = reviews.get(c.id);
    return (
      review !== undefined && review.classification.confidence < LLM_CLASSIFY_BELOW_MAX && c.lastInboundAt !== null
    );
  });
  if (unsure.length === 0) return;
  const settings = await settingsRow(tx, orgId);
  if (!isUsable(settings) || !settings.classify) return;
  const due = unsure.filter((c) => (reviews.get(c.id)?.classification.confidence ?? 1) < settings.classifyBelow);
  if (due.length === 0) return;
  const asked = await alreadyAsked(
    tx,
    orgId,
    due.map((c) => c.id),
  );
  const fresh = due.filter(
    (c) => c.lastInboundAt && !asked.has(runKey(c.id, c.lastInboundAt, reviews.get(c.id)?.unanswered ?? 0)),
  );
  if (fresh.length === 0) return;
  await tx.insert(jobs).values(
    fresh.map((c) => {
      const { classification: review, unanswered } = reviews.get(c.id) as TriageReview;
      const payload: RefinePayload = {
        conversationId: c.id,
        text: review.text,
        basedOn: (c.lastInboundAt as Date).toISOString(),
        unanswered,
        localIntent: review.intent,
        localConfidence: review.confidence,
        category: review.category,
        expectedTag: intentTagOf(c.tags) ?? null,
      };
      // One attempt: a failed call leaves the local tag, and a later buyer message asks again.
      return {
        orgId,
        queue: LLM_CLASSIFY_QUEUE,
        payload: { ...payload },
        orderingKey: `llm-classify:${c.id}`,
        maxAttempts: 1,
        runAt: new Date(),
      };
    }),
  );
};

type Outcome = "applied" | "unchanged" | "invalid" | "stale" | "failed";

async function record(
  db: Executor,
  orgId: string,
  p: RefinePayload,
  fields: { outcome: Outcome; llmIntent?: Intent | null; detail?: string | null; latencyMs?: number | null },
  now: Date,
): Promise<void> {
  await db
    .insert(llmClassifications)
    .values({
      id: newId(),
      orgId,
      conversationId: p.conversationId,
      basedOn: new Date(p.basedOn),
      unanswered: p.unanswered,
      localIntent: p.localIntent,
      localConfidence: p.localConfidence,
      llmIntent: fields.llmIntent ?? null,
      outcome: fields.outcome,
      detail: fields.detail ?? null,
      latencyMs: fields.latencyMs ?? null,
      createdAt: now,
    })
    .onConflictDoNothing();
}

/** Ask the model about one run of buyer messages and apply a valid label. Returns what came of it (null: not asked). */
export async function refineIntent(ctx: AppContext, orgId: string, p: RefinePayload): Promise<Outcome | null> {
  const settings = await settingsRow(ctx.db, orgId);
  // Switched off since: no call at all.
  if (!isUsable(settings) || !settings.classify) return null;
  const conversation = await conversationForBot(ctx.db, orgId, p.conversationId);
  if (conversation?.lastInboundAt?.getTime() !== new Date(p.basedOn).getTime()) {
    // The buyer wrote again: that run has its own job. (A message in the same second is caught when applying.)
    await record(ctx.db, orgId, p, { outcome: "stale" }, ctx.now());
    return "stale";
  }
  let answer: Awaited<ReturnType<typeof chatCompletion>>;
  try {
    answer = await chatCompletion(
      endpointOf(ctx, settings),
      { messages: classifyPrompt(p.text), temperature: 0, maxTokens: 20 },
      settings.classifyTimeoutMs,
    );
  } catch (err) {
    if (!(err instanceof LlmError)) throw err;
    ctx.log.warn({ code: err.code, conversationId: p.conversationId }, "LLM classification failed, local tag kept");
    await record(ctx.db, orgId, p, { outcome: "failed", detail: err.code, latencyMs: err.latencyMs }, ctx.now());
    return "failed";
  }
  const intent = parseIntentLabel(answer.text);
  if (intent === null) {
    ctx.log.warn({ conversationId: p.conversationId }, "LLM answered no label of the taxonomy, local tag kept");
    const detail = answer.text.slice(0, 200);
    await record(ctx.db, orgId, p, { outcome: "invalid", detail, latencyMs: answer.latencyMs }, ctx.now());
    return "invalid";
  }
  return refineIntentTag(
    ctx,
    {
      orgId,
      conversationId: p.conversationId,
      intent,
      category: p.category,
      basedOn: new Date(p.basedOn),
      unanswered: p.unanswered,
      expectedTag: p.expectedTag,
    },
    (tx, outcome) => record(tx, orgId, p, { outcome, llmIntent: intent, latencyMs: answer.latencyMs }, ctx.now()),
  );
}

/** Listen to triage and run the job (once per process). */
export function registerLlmClassification(ctx: AppContext): void {
  onTriaged(enqueueRefinements);
  ctx.jobs.register(LLM_CLASSIFY_QUEUE, async (job) => {
    await refineIntent(ctx, job.orgId, job.payload as unknown as RefinePayload);
  });
}
