import {
  type AgentReport,
  type AnalyticsGranularity,
  type DrilldownMetric,
  type DrilldownResult,
  type IntentReport,
  type KpiReport,
  type Kpis,
  type PlatformId,
  type PlatformReport,
  type QualityFinding,
  type QualityReport,
  storeLabel,
} from "@yunxi/contracts";
import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "../../platform/db/client.ts";
import {
  addCounters,
  type CounterName,
  type Counters,
  counterAggregates,
  counterDefs,
  zeroCounters,
} from "./counters.ts";
import { kpisFrom, type Mature, platformKpi } from "./kpis.ts";
import { type Dimension, fullLevel, narrowestLevel } from "./levels.ts";
import { agentsOn, previousRange, type Range, resolveRange, type Scope } from "./scope.ts";
import { NO_AGENT } from "./tables.ts";
import { addDays, daysOf, periodOf, startOfLocalDay, wholeLocalDays } from "./time.ts";

/**
 * KPI queries over the rollups (and, for drill-down and top questions, the facts,
 * first lines per day and per-conversation rows), always scoped by org and the
 * request's scope.
 */

const iso = (ms: number) => new Date(ms).toISOString();
const uuids = (ids: string[]) => sql`${sql.param(ids)}::uuid[]`;
const HOUR_MS = 3_600_000;

/** The scope's dimensions (stores, agents, intent, category) on rows aliased `alias`. */
function dimensionFilter(scope: Scope, alias: string): SQL[] {
  const t = sql.raw(alias);
  const parts: SQL[] = [sql`${t}.org_id = ${scope.orgId}`];
  if (scope.storeIds !== null) parts.push(sql`${t}.store_id = ANY(${uuids(scope.storeIds)})`);
  if (scope.agentIds !== null) parts.push(sql`${t}.agent_id = ANY(${uuids(scope.agentIds)})`);
  if (scope.intent !== null) parts.push(sql`${t}.intent = ${scope.intent}`);
  if (scope.category !== null) parts.push(sql`${t}.category = ${scope.category}`);
  return parts;
}

/** The filter every minute-rollup or fact query shares: the scope and [start, end). */
export function scopeFilter(scope: Scope, alias: string, startMs: number, endMs: number): SQL {
  const t = sql.raw(alias);
  return sql.join(
    [
      ...dimensionFilter(scope, alias),
      sql`${t}.minute >= ${iso(startMs)}::timestamptz`,
      sql`${t}.minute < ${iso(endMs)}::timestamptz`,
    ],
    sql` AND `,
  );
}

/** What a sum is grouped by: nothing, one dimension, or the period (day, week, month) in the org's zone. */
export type Grouping = "total" | "agent" | "store" | "intent" | "intentCategory" | { period: AnalyticsGranularity };

/** The dimensions a query needs from its rollup rows: those the scope filters on and those it groups by. */
export function dimensionsOf(scope: Scope, grouping: Grouping): Dimension[] {
  const needed: Dimension[] = [];
  if (scope.storeIds !== null || grouping === "store") needed.push("store");
  if (scope.agentIds !== null || grouping === "agent") needed.push("agent");
  if (scope.intent !== null || grouping === "intent" || grouping === "intentCategory") needed.push("intent");
  if (scope.category !== null || grouping === "intentCategory") needed.push("category");
  return needed;
}

/**
 * The rollup table (per minute or per day) a query reads: the narrowest that has the
 * dimensions it needs (an org-wide total: per store; per agent: per store × agent …),
 * or the full one when the scope asks for it.
 */
export function rollupTableName(scope: Scope, time: "minute" | "day", needed: Dimension[]): string {
  return (scope.rollups === "full" ? fullLevel(time) : narrowestLevel(time, needed)).table;
}

export const rollupTable = (scope: Scope, time: "minute" | "day", needed: Dimension[]): SQL =>
  sql.raw(rollupTableName(scope, time, needed));

function groupSql(g: Grouping, table: "minute" | "day", timeZone: string): SQL {
  if (typeof g === "object") {
    return table === "minute"
      ? sql`to_char(date_trunc(${g.period}, r.minute AT TIME ZONE ${timeZone}), 'YYYY-MM-DD')`
      : sql`to_char(date_trunc(${g.period}, r.day::timestamp), 'YYYY-MM-DD')`;
  }
  switch (g) {
    case "total":
      return sql`''`;
    case "agent":
      return sql`r.agent_id::text`;
    case "store":
      return sql`r.store_id::text`;
    case "intent":
      return sql`r.intent`;
    case "intentCategory":
      return sql`r.intent || '|' || r.category`;
  }
}

export interface Summed {
  counters: Counters;
  mature: Mature;
}

export const emptySummed = (): Summed => ({ counters: zeroCounters(), mature: { rounds: 0, rounds1h: 0 } });

function summedFromRaw(raw: Record<string, unknown>): Summed {
  const counters = zeroCounters();
  for (const d of counterDefs) counters[d.name] = Number(raw[d.column] ?? 0);
  return { counters, mature: { rounds: Number(raw.mature_rounds ?? 0), rounds1h: Number(raw.mature_rounds_1h ?? 0) } };
}

export function mergeSummed(into: Summed, other: Summed): Summed {
  addCounters(into.counters, other.counters);
  into.mature.rounds += other.mature.rounds;
  into.mature.rounds1h += other.mature.rounds1h;
  return into;
}

/**
 * Sum the rollups in [start, end), grouped as asked, the counters named in `only` (every
 * counter by default; the others stay 0). Rounds that started less than an hour before
 * `nowMs` are left out of the missed rate ("mature" rounds).
 *
 * A range of whole local days (or one from a day's start to now or later) is read from the
 * daily rollups, with the rounds of the last hour taken back out of the mature counts from
 * the minute rollups; any other range from the minute rollups alone. Each from the
 * narrowest level that carries the scope's filters and the grouping.
 */
export async function sumRollups(
  db: Executor,
  scope: Scope,
  startMs: number,
  endMs: number,
  nowMs: number,
  grouping: Grouping = "total",
  only?: readonly CounterName[],
): Promise<Map<string, Summed>> {
  const tz = scope.timeZone;
  const needed = dimensionsOf(scope, grouping);
  const minutes = rollupTable(scope, "minute", needed);
  const sums = sql.raw(counterAggregates("r", true, only));
  const dimensions = sql.join(dimensionFilter(scope, "r"), sql` AND `);
  const matureFrom = nowMs - HOUR_MS;
  const out = new Map<string, Summed>();
  const add = (rows: Record<string, unknown>[], sign = 1) => {
    for (const r of rows) {
      const key = String(r.k ?? "");
      const summed = out.get(key) ?? emptySummed();
      if (sign > 0) mergeSummed(summed, summedFromRaw(r));
      else {
        summed.mature.rounds -= Number(r.mature_rounds ?? 0);
        summed.mature.rounds1h -= Number(r.mature_rounds_1h ?? 0);
      }
      out.set(key, summed);
    }
  };
  const days = wholeLocalDays(startMs, endMs, nowMs, tz);
  if (days) {
    const { first: firstDay, last: lastDay } = days;
    const daysEnd = startOfLocalDay(addDays(lastDay, 1), tz);
    const [daily, recent] = await Promise.all([
      queryRows<Record<string, unknown>>(
        db,
        sql`SELECT ${groupSql(grouping, "day", tz)} AS k, ${sums},
                   sum(r.rounds) AS mature_rounds, sum(r.rounds_1h) AS mature_rounds_1h
            FROM ${rollupTable(scope, "day", needed)} r
            WHERE ${dimensions} AND r.day >= ${firstDay}::date AND r.day <= ${lastDay}::date
            GROUP BY 1`,
      ),
      matureFrom < daysEnd
        ? queryRows<Record<string, unknown>>(
            db,
            sql`SELECT ${groupSql(grouping, "minute", tz)} AS k,
                       sum(r.rounds) AS mature_rounds, sum(r.rounds_1h) AS mature_rounds_1h
                FROM ${minutes} r
                WHERE ${scopeFilter(scope, "r", Math.max(startMs, matureFrom), daysEnd)}
                GROUP BY 1`,
          )
        : Promise.resolve([]),
    ]);
    add(daily);
    add(recent, -1);
    return out;
  }
  add(
    await queryRows<Record<string, unknown>>(
      db,
      sql`SELECT ${groupSql(grouping, "minute", tz)} AS k, ${sums},
                 sum(r.rounds) FILTER (WHERE r.minute < ${iso(matureFrom)}::timestamptz) AS mature_rounds,
                 sum(r.rounds_1h) FILTER (WHERE r.minute < ${iso(matureFrom)}::timestamptz) AS mature_rounds_1h
          FROM ${minutes} r
          WHERE ${scopeFilter(scope, "r", startMs, endMs)}
          GROUP BY 1`,
    ),
  );
  return out;
}

const kpisOf = (s: Summed | undefined): Kpis => {
  const v = s ?? emptySummed();
  return kpisFrom(v.counters, v.mature);
};

export async function totalKpis(db: Executor, scope: Scope, range: Range, nowMs: number): Promise<Kpis> {
  return kpisOf((await sumRollups(db, scope, range.startMs, range.endMs, nowMs)).get(""));
}

/** KPIs of the range and of the period before, with a series per day, week or month. */
export async function kpiReport(
  db: Executor,
  scope: Scope,
  q: { from: string; to: string; granularity: AnalyticsGranularity },
  nowMs: number,
): Promise<KpiReport> {
  const range = resolveRange(q.from, q.to, scope.timeZone);
  const previous = previousRange(q.from, q.to, scope.timeZone);
  const [current, before, byPeriod] = await Promise.all([
    totalKpis(db, scope, range, nowMs),
    totalKpis(db, scope, previous, nowMs),
    sumRollups(db, scope, range.startMs, range.endMs, nowMs, { period: q.granularity }),
  ]);
  const periods = [...new Set(daysOf(q.from, q.to).map((d) => periodOf(d, q.granularity)))];
  return {
    timezone: scope.timeZone,
    oversight: scope.oversight,
    granularity: q.granularity,
    range: publicRange(range),
    previousRange: publicRange(previous),
    current,
    previous: before,
    series: periods.map((period) => ({
      period,
      start: resolveRange(period, period, scope.timeZone).start,
      kpis: kpisOf(byPeriod.get(period)),
    })),
  };
}

export const publicRange = (r: Range) => ({ from: r.from, to: r.to, start: r.start, end: r.end });

// ── Agents ───────────────────────────────────────────────────────────────

/** Seconds each agent was online or busy in [start, end) (an open interval runs to `nowMs`). */
export async function onlineSeconds(
  db: Executor,
  orgId: string,
  startMs: number,
  endMs: number,
  nowMs: number,
): Promise<Map<string, number>> {
  const rows = await queryRows<{ user_id: string; seconds: string | number | null }>(
    db,
    sql`SELECT user_id, sum(extract(epoch FROM
              least(coalesce(ended_at, ${iso(nowMs)}::timestamptz), ${iso(endMs)}::timestamptz)
              - greatest(started_at, ${iso(startMs)}::timestamptz)))::float8 AS seconds
        FROM analytics_presence
        WHERE org_id = ${orgId} AND status IN ('online', 'busy')
          AND started_at < ${iso(Math.min(endMs, nowMs))}::timestamptz
          AND coalesce(ended_at, ${iso(nowMs)}::timestamptz) > ${iso(startMs)}::timestamptz
        GROUP BY user_id`,
  );
  return new Map(rows.map((r) => [r.user_id, Math.max(0, Number(r.seconds ?? 0))]));
}

/** Minutes in which each agent sent at least one reply (the working part of their online time). */
/**
 * Minutes in which each agent sent at least one reply, in any store (the working part of
 * their online time): per local day from analytics_agent_days.
 */
async function activeMinutes(db: Executor, scope: Scope, range: Range): Promise<Map<string, number>> {
  const agents = scope.agentIds === null ? sql`` : sql`AND d.agent_id = ANY(${uuids(scope.agentIds)})`;
  const rows = await queryRows<{ agent_id: string; minutes: string | number }>(
    db,
    sql`SELECT d.agent_id, sum(d.active_minutes) AS minutes FROM analytics_agent_days d
        WHERE d.org_id = ${scope.orgId} AND d.day >= ${range.from}::date AND d.day <= ${range.to}::date ${agents}
        GROUP BY d.agent_id`,
  );
  return new Map(rows.map((r) => [r.agent_id, Number(r.minutes)]));
}

export async function agentReport(
  db: Executor,
  scope: Scope,
  q: { from: string; to: string },
  nowMs: number,
): Promise<AgentReport> {
  const range = resolveRange(q.from, q.to, scope.timeZone);
  const previous = previousRange(q.from, q.to, scope.timeZone);
  const [current, before, online, active] = await Promise.all([
    sumRollups(db, scope, range.startMs, range.endMs, nowMs, "agent"),
    sumRollups(db, scope, previous.startMs, previous.endMs, nowMs, "agent"),
    onlineSeconds(db, scope.orgId, range.startMs, range.endMs, nowMs),
    activeMinutes(db, scope, range),
  ]);
  const ids = new Set([...current.keys(), ...before.keys()].filter((id) => id !== NO_AGENT));
  // One's own row is shown even empty; a group's members only with figures, as everyone's.
  if (scope.oversight === "own") for (const id of scope.agentIds ?? []) ids.add(id);
  const items = [...ids]
    .filter((id) => scope.userNames.has(id))
    .map((agentId) => {
      const seconds = online.get(agentId) ?? 0;
      return {
        agentId,
        name: scope.userNames.get(agentId) ?? agentId,
        kpis: kpisOf(current.get(agentId)),
        previous: kpisOf(before.get(agentId)),
        onlineSeconds: Math.round(seconds),
        utilisation: seconds >= 60 ? Math.min(1, (active.get(agentId) ?? 0) / (seconds / 60)) : null,
      };
    })
    .sort((a, b) => b.kpis.handled - a.kpis.handled || a.name.localeCompare(b.name, "zh-CN"));
  return { timezone: scope.timeZone, range: publicRange(range), previousRange: publicRange(previous), items };
}

// ── Platforms and stores ─────────────────────────────────────────────────

export async function platformReport(
  db: Executor,
  scope: Scope,
  q: { from: string; to: string },
  nowMs: number,
): Promise<PlatformReport> {
  const range = resolveRange(q.from, q.to, scope.timeZone);
  const previous = previousRange(q.from, q.to, scope.timeZone);
  const [current, before] = await Promise.all([
    sumRollups(db, scope, range.startMs, range.endMs, nowMs, "store"),
    sumRollups(db, scope, previous.startMs, previous.endMs, nowMs, "store"),
  ]);
  const storeIds = [...new Set([...current.keys(), ...before.keys()])].filter((id) => scope.allStores.has(id));
  const platforms = new Map<string, { current: Summed; previous: Summed }>();
  const stores = storeIds.map((storeId) => {
    const store = scope.allStores.get(storeId)!;
    const p = platforms.get(store.platform) ?? { current: emptySummed(), previous: emptySummed() };
    mergeSummed(p.current, current.get(storeId) ?? emptySummed());
    mergeSummed(p.previous, before.get(storeId) ?? emptySummed());
    platforms.set(store.platform, p);
    const kpis = kpisOf(current.get(storeId));
    return {
      platform: store.platform as PlatformId,
      storeId,
      label: storeLabel(store.platform as PlatformId, store.name),
      kpis,
      previous: kpisOf(before.get(storeId)),
      platformKpi: platformKpi(store.platform, kpis),
    };
  });
  return {
    timezone: scope.timeZone,
    range: publicRange(range),
    previousRange: publicRange(previous),
    platforms: [...platforms].map(([platform, p]) => {
      const kpis = kpisOf(p.current);
      return {
        platform: platform as PlatformId,
        storeId: null,
        label: storeLabel(platform as PlatformId, "").replace(/-$/, ""),
        kpis,
        previous: kpisOf(p.previous),
        platformKpi: platformKpi(platform, kpis),
      };
    }),
    stores,
  };
}

// ── Customer needs ───────────────────────────────────────────────────────

/** The filter of per-conversation rows (analytics_conversations) by scope and a time column. */
function conversationFilter(scope: Scope, column: "started_at" | "resolved_at", startMs: number, endMs: number): SQL {
  const parts: SQL[] = [
    sql`c.org_id = ${scope.orgId}`,
    sql`c.${sql.raw(column)} >= ${iso(startMs)}::timestamptz`,
    sql`c.${sql.raw(column)} < ${iso(endMs)}::timestamptz`,
  ];
  if (scope.storeIds !== null) parts.push(sql`c.store_id = ANY(${uuids(scope.storeIds)})`);
  if (scope.agentIds !== null) parts.push(agentsOn(scope, sql`c.agent_id`));
  if (scope.intent !== null) parts.push(sql`c.intent = ${scope.intent}`);
  if (scope.category !== null) parts.push(sql`c.category = ${scope.category}`);
  return sql.join(parts, sql` AND `);
}

/** The first lines of whole local days (analytics_question_days) by scope; null when they cannot answer it. */
export function questionDayFilter(scope: Scope, startMs: number, endMs: number, nowMs: number): SQL | null {
  const days = wholeLocalDays(startMs, endMs, nowMs, scope.timeZone);
  // Counted per store, intent and category: an agent filter needs the conversation rows.
  if (!days || scope.agentIds !== null || scope.rollups === "full") return null;
  const parts: SQL[] = [
    sql`q.org_id = ${scope.orgId}`,
    sql`q.day >= ${days.first}::date`,
    sql`q.day <= ${days.last}::date`,
  ];
  if (scope.storeIds !== null) parts.push(sql`q.store_id = ANY(${uuids(scope.storeIds)})`);
  if (scope.intent !== null) parts.push(sql`q.intent = ${scope.intent}`);
  if (scope.category !== null) parts.push(sql`q.category = ${scope.category}`);
  return sql.join(parts, sql` AND `);
}

/**
 * The most frequent first lines per intent (top `per` each), of all conversations or of
 * complaints only: from the lines counted per day when the range is whole days and no
 * agent is filtered on, else grouped from the conversation rows.
 */
export async function topQuestions(
  db: Executor,
  scope: Scope,
  range: { startMs: number; endMs: number; nowMs: number },
  per: number,
  complaintsOnly = false,
): Promise<Map<string, { text: string; count: number }[]>> {
  const perDay = questionDayFilter(scope, range.startMs, range.endMs, range.nowMs);
  const counted = complaintsOnly ? sql`sum(q.complaints)` : sql`sum(q.conversations)`;
  const grouped = perDay
    ? sql`SELECT q.intent, q.question AS text, ${counted} AS n,
                 row_number() OVER (PARTITION BY q.intent ORDER BY ${counted} DESC, q.question) AS rank
          FROM analytics_question_days q WHERE ${perDay}
          GROUP BY q.intent, q.question ${complaintsOnly ? sql`HAVING sum(q.complaints) > 0` : sql``}`
    : sql`SELECT c.intent, c.first_question AS text, count(*) AS n,
                 row_number() OVER (PARTITION BY c.intent ORDER BY count(*) DESC, c.first_question) AS rank
          FROM analytics_conversations c
          WHERE ${conversationFilter(scope, "started_at", range.startMs, range.endMs)} AND c.first_question <> ''
            ${complaintsOnly ? sql`AND c.complaint` : sql``}
          GROUP BY c.intent, c.first_question`;
  const rows = await queryRows<{ intent: string; text: string; n: string | number }>(
    db,
    sql`SELECT intent, text, n FROM (${grouped}) t WHERE rank <= ${per} ORDER BY intent, n DESC, text`,
  );
  const out = new Map<string, { text: string; count: number }[]>();
  for (const r of rows) out.set(r.intent, [...(out.get(r.intent) ?? []), { text: r.text, count: Number(r.n) }]);
  return out;
}

const needsCounters: CounterName[] = ["conversations", "complaints"];

export async function intentReport(
  db: Executor,
  scope: Scope,
  q: { from: string; to: string },
  nowMs: number,
): Promise<IntentReport> {
  const range = resolveRange(q.from, q.to, scope.timeZone);
  const previous = previousRange(q.from, q.to, scope.timeZone);
  const [current, before, byCategory, questions, complaintLines] = await Promise.all([
    sumRollups(db, scope, range.startMs, range.endMs, nowMs, "intent", needsCounters),
    sumRollups(db, scope, previous.startMs, previous.endMs, nowMs, "intent", needsCounters),
    sumRollups(db, scope, range.startMs, range.endMs, nowMs, "intentCategory", needsCounters),
    topQuestions(db, scope, { ...range, nowMs }, 5),
    topQuestions(db, scope, { ...range, nowMs }, 10, true),
  ]);
  const total = [...current.values()].reduce((n, s) => n + s.counters.conversations, 0);
  const intentsSeen = [...new Set([...current.keys(), ...before.keys()])];
  const items = intentsSeen
    .map((intent) => {
      const c = current.get(intent)?.counters ?? zeroCounters();
      return {
        intent,
        conversations: c.conversations,
        previousConversations: before.get(intent)?.counters.conversations ?? 0,
        share: total > 0 ? c.conversations / total : null,
        complaints: c.complaints,
        categories: [...byCategory]
          .filter(([k]) => k.startsWith(`${intent}|`))
          .map(([k, s]) => ({ category: k.slice(intent.length + 1), conversations: s.counters.conversations }))
          .filter((x) => x.conversations > 0)
          .sort((a, b) => b.conversations - a.conversations),
        topQuestions: questions.get(intent) ?? [],
      };
    })
    .filter((i) => i.conversations > 0 || i.previousConversations > 0)
    .sort((a, b) => b.conversations - a.conversations || a.intent.localeCompare(b.intent));
  const categories = new Map<string, { conversations: number; complaints: number }>();
  for (const [k, s] of byCategory) {
    const category = k.slice(k.indexOf("|") + 1);
    const c = categories.get(category) ?? { conversations: 0, complaints: 0 };
    c.conversations += s.counters.conversations;
    c.complaints += s.counters.complaints;
    categories.set(category, c);
  }
  return {
    timezone: scope.timeZone,
    range: publicRange(range),
    previousRange: publicRange(previous),
    items,
    categories: [...categories]
      .map(([category, c]) => ({ category, ...c }))
      .filter((c) => c.conversations > 0)
      .sort((a, b) => b.conversations - a.conversations),
    complaintReasons: [...complaintLines.values()]
      .flat()
      .sort((a, b) => b.count - a.count)
      .slice(0, 10),
  };
}

// ── Quality ──────────────────────────────────────────────────────────────

export async function qualityReport(
  db: Executor,
  scope: Scope,
  q: { from: string; to: string },
  limit = 20,
): Promise<QualityReport> {
  const range = resolveRange(q.from, q.to, scope.timeZone);
  const where = sql`${conversationFilter(scope, "resolved_at", range.startMs, range.endMs)} AND c.qc_score IS NOT NULL`;
  const [byRule, byAgent, byAgentRule, worst] = await Promise.all([
    queryRows<{ rule: string; level: string; n: string | number }>(
      db,
      sql`SELECT f->>'rule' AS rule, f->>'level' AS level, count(*) AS n
          FROM analytics_conversations c, jsonb_array_elements(c.qc_findings) AS f
          WHERE ${where} GROUP BY 1, 2 ORDER BY 3 DESC, 1`,
    ),
    queryRows<{
      agent_id: string | null;
      checked: string | number;
      avg: string | number | null;
      alerts: string | number;
    }>(
      db,
      sql`SELECT c.agent_id, count(*) AS checked, avg(c.qc_score)::float8 AS avg,
                 count(*) FILTER (WHERE c.qc_level IN ('warning', 'critical')) AS alerts
          FROM analytics_conversations c WHERE ${where} GROUP BY c.agent_id ORDER BY avg, c.agent_id`,
    ),
    queryRows<{ agent_id: string | null; rule: string; n: string | number }>(
      db,
      sql`SELECT c.agent_id, f->>'rule' AS rule, count(*) AS n
          FROM analytics_conversations c, jsonb_array_elements(c.qc_findings) AS f
          WHERE ${where} GROUP BY 1, 2`,
    ),
    queryRows<{
      conversation_id: string;
      agent_id: string | null;
      store_id: string;
      qc_score: number;
      qc_findings: unknown;
      resolved_at: string | Date | null;
    }>(
      db,
      sql`SELECT c.conversation_id, c.agent_id, c.store_id, c.qc_score, c.qc_findings, c.resolved_at
          FROM analytics_conversations c WHERE ${where}
          ORDER BY c.qc_score, c.resolved_at DESC, c.conversation_id LIMIT ${limit}`,
    ),
  ]);
  const rulesOf = new Map<string, Record<string, number>>();
  for (const r of byAgentRule) {
    const key = r.agent_id ?? NO_AGENT;
    rulesOf.set(key, { ...(rulesOf.get(key) ?? {}), [r.rule]: Number(r.n) });
  }
  const parse = <T>(v: unknown): T => (typeof v === "string" ? JSON.parse(v) : v) as T;
  return {
    timezone: scope.timeZone,
    range: publicRange(range),
    rules: byRule.map((r) => ({
      rule: r.rule as QualityReport["rules"][number]["rule"],
      level: r.level as QualityReport["rules"][number]["level"],
      triggered: Number(r.n),
    })),
    agents: byAgent.map((a) => ({
      agentId: a.agent_id ?? NO_AGENT,
      name: a.agent_id ? (scope.userNames.get(a.agent_id) ?? a.agent_id) : "—",
      checked: Number(a.checked),
      avgScore: a.avg === null ? null : Number(a.avg),
      alerts: Number(a.alerts),
      byRule: rulesOf.get(a.agent_id ?? NO_AGENT) ?? {},
    })),
    conversations: worst.map((w) => {
      const store = scope.allStores.get(w.store_id);
      return {
        conversationId: w.conversation_id,
        agentId: w.agent_id,
        score: Number(w.qc_score),
        findings: parse<QualityFinding[]>(w.qc_findings),
        resolvedAt: w.resolved_at ? new Date(w.resolved_at).toISOString() : null,
        storeLabel: store ? storeLabel(store.platform as PlatformId, store.name) : "",
      };
    }),
  };
}

// ── Drill-down ───────────────────────────────────────────────────────────

/** What each clickable number adds up, per fact row: the conversations with a positive sum are behind it. */
const drilldownValue: Record<DrilldownMetric, string> = {
  conversations: "f.conversations",
  handled: "f.handled",
  rounds: "f.rounds",
  slow_rounds: "f.rounds - f.rounds_3m",
  missed_rounds: "f.rounds - f.rounds_1h",
  unanswered_rounds: "f.rounds - f.rounds_answered",
  human_slow: "f.human_needed - f.human_answered_3m",
  consulting_buyers: "f.consult_buyers",
  converted_buyers: "f.converted_buyers",
  not_converted_buyers: "f.consult_buyers - f.converted_buyers",
  // Platform ratings and answers to Yunxi's own survey alike.
  evaluations: "f.evaluations + f.survey_responses",
  unsatisfied_evaluations: "f.evaluations - f.eval_satisfied + f.survey_responses - f.survey_satisfied",
  complaints: "f.complaints",
  resolved: "f.resolved",
  bot_conversations: "f.bot_conversations",
  handovers: "f.handovers",
  sla_breaches: "f.sla_breaches",
  qc_alerts: "f.qc_alerts",
};

export async function drilldown(
  db: Executor,
  scope: Scope,
  q: { from: string; to: string; metric: DrilldownMetric; limit: number; offset: number },
  nowMs: number,
): Promise<DrilldownResult> {
  const range = resolveRange(q.from, q.to, scope.timeZone);
  // Missed rounds are only those that had their hour.
  const endMs = q.metric === "missed_rounds" ? Math.min(range.endMs, nowMs - HOUR_MS) : range.endMs;
  const value = sql.raw(drilldownValue[q.metric]);
  const rows = await queryRows<{
    conversation_id: string;
    value: string | number;
    total: string | number;
    store_id: string | null;
    agent_id: string | null;
    intent: string | null;
    category: string | null;
    started_at: string | Date | null;
    first_question: string | null;
    first_response_ms: string | number | null;
    platform: string | null;
  }>(
    db,
    sql`WITH behind AS (
          SELECT f.conversation_id, sum(${value}) AS value
          FROM analytics_facts f
          WHERE ${scopeFilter(scope, "f", range.startMs, endMs)} AND f.conversation_id IS NOT NULL
          GROUP BY f.conversation_id HAVING sum(${value}) > 0)
        SELECT b.conversation_id, b.value, count(*) OVER () AS total, c.store_id, c.agent_id, c.intent, c.category,
               c.started_at, c.first_question, c.first_response_ms, c.platform
        FROM behind b LEFT JOIN analytics_conversations c
          ON c.conversation_id = b.conversation_id AND c.org_id = ${scope.orgId}
        ORDER BY c.started_at DESC NULLS LAST, b.conversation_id
        LIMIT ${q.limit} OFFSET ${q.offset}`,
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map((r) => {
      const store = r.store_id ? scope.allStores.get(r.store_id) : undefined;
      const platform = (store?.platform ?? r.platform ?? "api") as PlatformId;
      return {
        conversationId: r.conversation_id,
        storeId: r.store_id ?? "",
        storeLabel: store ? storeLabel(platform, store.name) : "",
        platform,
        agentId: r.agent_id,
        agentName: r.agent_id ? (scope.userNames.get(r.agent_id) ?? null) : null,
        intent: r.intent ?? "",
        category: r.category ?? "",
        startedAt: r.started_at ? new Date(r.started_at).toISOString() : null,
        firstQuestion: r.first_question ?? "",
        firstResponseSeconds: r.first_response_ms === null ? null : Number(r.first_response_ms) / 1000,
        value: Number(r.value),
      };
    }),
  };
}
