import type { AnalyticsSettings, ConversationQuality, QualityFinding, QualityRuleSet } from "@yunxi/contracts";
import type { AppContext } from "../../platform/context.ts";
import { type Executor, queryRows, sql } from "../../platform/db/client.ts";
import { isId } from "../../platform/db/ids.ts";
import { forbidden, notFound } from "../../platform/http/errors.ts";
import { enqueue } from "../../platform/jobs/queue.ts";
import { recordAudit } from "../audit/index.ts";
import { type Actor, canSeeStore } from "../identity/index.ts";
import { effectiveRules } from "./quality.ts";
import { assertSupervisor, canChangeAnalyticsSettings, oversightOf } from "./scope.ts";
import { analyticsSettings } from "./tables.ts";
import { addDays, localDay, startOfLocalDay } from "./time.ts";

/** Recomputing after a settings change: a rebuild of the last 31 days, as a job. */
export const REBUILD_QUEUE = "analytics-rebuild";
const REBUILD_DAYS_AFTER_CHANGE = 31;

async function settingsRow(db: Executor, orgId: string) {
  const [row] = await db.select().from(analyticsSettings).where(sql`${analyticsSettings.orgId} = ${orgId}`);
  return row;
}

export async function getSettings(db: Executor, actor: Actor): Promise<AnalyticsSettings> {
  assertSupervisor(actor);
  return { conversionWindowHours: (await settingsRow(db, actor.orgId))?.conversionWindowHours ?? 24 };
}

async function enqueueRecompute(ctx: AppContext, tx: Executor, orgId: string): Promise<void> {
  const [org] = await queryRows<{ timezone: string }>(tx, sql`SELECT timezone FROM orgs WHERE id = ${orgId}`);
  const tz = org?.timezone ?? "Asia/Shanghai";
  const today = localDay(ctx.now().getTime(), tz);
  await enqueue(tx, {
    orgId,
    queue: REBUILD_QUEUE,
    payload: {
      from: new Date(startOfLocalDay(addDays(today, -REBUILD_DAYS_AFTER_CHANGE), tz)).toISOString(),
      to: new Date(startOfLocalDay(addDays(today, 1), tz)).toISOString(),
    },
    orderingKey: `${REBUILD_QUEUE}:${orgId}`,
    maxAttempts: 3,
  });
}

/** Admins change the conversion window; the last 31 days are recomputed with it. */
export async function updateSettings(
  ctx: AppContext,
  actor: Actor,
  input: AnalyticsSettings,
): Promise<AnalyticsSettings> {
  if (!canChangeAnalyticsSettings(actor)) throw forbidden("Only admins can change analytics settings");
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(analyticsSettings)
      .values({ orgId: actor.orgId, conversionWindowHours: input.conversionWindowHours })
      .onConflictDoUpdate({
        target: analyticsSettings.orgId,
        set: { conversionWindowHours: input.conversionWindowHours, updatedAt: ctx.now() },
      });
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "analytics.settings_changed",
      targetType: "org",
      targetId: actor.orgId,
      details: { ...input },
    });
    await enqueueRecompute(ctx, tx, actor.orgId);
  });
  ctx.jobs.notify();
  return input;
}

export async function getQualityRules(db: Executor, actor: Actor): Promise<QualityRuleSet> {
  assertSupervisor(actor);
  const row = await settingsRow(db, actor.orgId);
  return { rules: effectiveRules(row?.qualityRules as QualityRuleSet["rules"] | null | undefined) };
}

/**
 * Supervisors set the org's quality rules (a rule left out keeps its default); the
 * last 31 days are checked again with them.
 */
export async function updateQualityRules(
  ctx: AppContext,
  actor: Actor,
  input: QualityRuleSet,
): Promise<QualityRuleSet> {
  assertSupervisor(actor);
  const rules = effectiveRules(input.rules);
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(analyticsSettings)
      .values({ orgId: actor.orgId, qualityRules: rules })
      .onConflictDoUpdate({ target: analyticsSettings.orgId, set: { qualityRules: rules, updatedAt: ctx.now() } });
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "analytics.quality_rules_changed",
      targetType: "org",
      targetId: actor.orgId,
      details: { rules: rules.map((r) => ({ id: r.id, enabled: r.enabled, score: r.score, level: r.level })) },
    });
    await enqueueRecompute(ctx, tx, actor.orgId);
  });
  ctx.jobs.notify();
  return { rules };
}

/** One conversation's quality-check result; an agent sees only conversations they own. */
export async function conversationQuality(
  db: Executor,
  actor: Actor,
  conversationId: string,
): Promise<ConversationQuality> {
  if (!isId(conversationId)) throw notFound("Conversation");
  const [row] = await queryRows<{
    conversation_id: string;
    store_id: string;
    agent_id: string | null;
    qc_score: number | null;
    qc_findings: unknown;
  }>(
    db,
    sql`SELECT conversation_id, store_id, agent_id, qc_score, qc_findings FROM analytics_conversations
        WHERE org_id = ${actor.orgId} AND conversation_id = ${conversationId}`,
  );
  if (!row || !canSeeStore(actor, row.store_id)) throw notFound("Conversation");
  const oversight = await oversightOf(db, actor);
  if (oversight.kind === "own" && row.agent_id !== actor.userId) throw forbidden("You see your own figures only");
  if (
    oversight.kind === "groups" &&
    !(row.agent_id === null ? oversight.storeIds.includes(row.store_id) : oversight.agentIds.includes(row.agent_id))
  ) {
    throw forbidden("This conversation is outside your groups");
  }
  const findings = (
    typeof row.qc_findings === "string" ? JSON.parse(row.qc_findings) : row.qc_findings
  ) as QualityFinding[];
  return {
    conversationId: row.conversation_id,
    agentId: row.agent_id,
    score: row.qc_score === null ? null : Number(row.qc_score),
    findings,
  };
}
