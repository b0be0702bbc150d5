import type {
  AgentReport,
  AnalyticsGranularity,
  IntentReport,
  KpiReport,
  PlatformReport,
  QualityReport,
} from "@yunxi/contracts";
import { type Executor, queryRows, sql } from "../../platform/db/client.ts";
import { agentReport, intentReport, kpiReport, platformReport, qualityReport } from "./queries.ts";
import { agentsOn, type Scope } from "./scope.ts";
import { zoneOffsetMs } from "./time.ts";

/** Everything a report file shows: the KPI summary and series, and the four reports. */
export interface ReportBundle {
  title: string;
  /** What the figures are filtered to, in words (全部门店 / 淘宝-旗舰店 …). */
  scopeLabel: string;
  generatedAt: string;
  kpis: KpiReport;
  agents: AgentReport;
  platforms: PlatformReport;
  intents: IntentReport;
  quality: QualityReport;
}

export async function buildBundle(
  db: Executor,
  scope: Scope,
  q: { from: string; to: string; granularity: AnalyticsGranularity },
  nowMs: number,
  scopeLabel: string,
): Promise<ReportBundle> {
  const [kpis, agents, platforms, intents, quality] = await Promise.all([
    kpiReport(db, scope, q, nowMs),
    agentReport(db, scope, q, nowMs),
    platformReport(db, scope, q, nowMs),
    intentReport(db, scope, q, nowMs),
    qualityReport(db, scope, q, 50),
  ]);
  return {
    title: "云席 客服数据报表",
    scopeLabel,
    generatedAt: formatLocal(nowMs, scope.timeZone),
    kpis,
    agents,
    platforms,
    intents,
    quality,
  };
}

/** `2026-11-03 14:05:09` in the org's time zone. */
export function formatLocal(ms: number, timeZone: string): string {
  return new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString().slice(0, 19).replace("T", " ");
}

export interface ConversationLine {
  conversationId: string;
  storeId: string;
  agentId: string | null;
  intent: string;
  category: string;
  startedAt: number | null;
  firstQuestion: string;
  rounds: number;
  unansweredRounds: number;
  firstResponseMs: number | null;
  resolvedAt: number | null;
  complaint: boolean;
  qcScore: number | null;
}

/**
 * The conversations of the range, page by page (keyset on start time and id), so a
 * million rows stream through an export in constant memory.
 */
export async function* conversationLines(
  db: Executor,
  scope: Scope,
  startMs: number,
  endMs: number,
  pageSize = 5000,
): AsyncGenerator<ConversationLine[]> {
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const keyset: ReturnType<typeof sql> = after
      ? sql`AND (c.started_at, c.conversation_id) > (${after.at}::timestamptz, ${after.id}::uuid)`
      : sql``;
    const rows: Array<{
      conversation_id: string;
      store_id: string;
      agent_id: string | null;
      intent: string;
      category: string;
      started_iso: string | null;
      started_ms: string | number | null;
      first_question: string;
      rounds: number;
      unanswered_rounds: number;
      first_response_ms: string | number | null;
      resolved_ms: string | number | null;
      complaint: boolean;
      qc_score: number | null;
    }> = await queryRows(
      db,
      sql`SELECT c.conversation_id, c.store_id, c.agent_id, c.intent, c.category,
                 to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS started_iso,
                 floor(extract(epoch FROM c.started_at) * 1000)::int8 AS started_ms,
                 c.first_question, c.rounds, c.unanswered_rounds, c.first_response_ms,
                 floor(extract(epoch FROM c.resolved_at) * 1000)::int8 AS resolved_ms, c.complaint, c.qc_score
          FROM analytics_conversations c
          WHERE c.org_id = ${scope.orgId} AND c.started_at >= ${new Date(startMs).toISOString()}::timestamptz
            AND c.started_at < ${new Date(endMs).toISOString()}::timestamptz
            ${scope.storeIds === null ? sql`` : sql`AND c.store_id = ANY(${sql.param(scope.storeIds)}::uuid[])`}
            AND ${agentsOn(scope, sql`c.agent_id`)}
            ${scope.intent === null ? sql`` : sql`AND c.intent = ${scope.intent}`}
            ${scope.category === null ? sql`` : sql`AND c.category = ${scope.category}`}
            ${keyset}
          ORDER BY c.started_at, c.conversation_id LIMIT ${pageSize}`,
    );
    if (rows.length === 0) return;
    yield rows.map((r) => ({
      conversationId: r.conversation_id,
      storeId: r.store_id,
      agentId: r.agent_id,
      intent: r.intent,
      category: r.category,
      startedAt: r.started_ms === null ? null : Number(r.started_ms),
      firstQuestion: r.first_question,
      rounds: Number(r.rounds),
      unansweredRounds: Number(r.unanswered_rounds),
      firstResponseMs: r.first_response_ms === null ? null : Number(r.first_response_ms),
      resolvedAt: r.resolved_ms === null ? null : Number(r.resolved_ms),
      complaint: r.complaint === true || String(r.complaint) === "t",
      qcScore: r.qc_score === null ? null : Number(r.qc_score),
    }));
    const last = rows.at(-1)!;
    after = { at: last.started_iso!, id: last.conversation_id };
    if (rows.length < pageSize) return;
  }
}
