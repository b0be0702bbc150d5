import { type Dashboard, type PlatformId, storeLabel } from "@yunxi/contracts";
import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "../../platform/db/client.ts";
import type { CounterName } from "./counters.ts";
import { kpisFrom } from "./kpis.ts";
import {
  dimensionsOf,
  emptySummed,
  mergeSummed,
  onlineSeconds,
  questionDayFilter,
  rollupTable,
  type Summed,
  scopeFilter,
  sumRollups,
  topQuestions,
} from "./queries.ts";
import { agentsOn, type Scope } from "./scope.ts";
import { floorMinute, localDay, startOfLocalDay } from "./time.ts";

/**
 * The live dashboard: today's figures from the rollups (kept ≤ 2 s behind by the
 * consumer) plus a few live reads of the workspace (agents' status and load, the
 * queue). Clients poll it every few seconds; `lagSeconds` says how far behind the
 * rollups are.
 */

const iso = (ms: number) => new Date(ms).toISOString();
const uuids = (ids: string[]) => sql`${sql.param(ids)}::uuid[]`;
const MINUTE = 60_000;
/** A spike: the last 15 minutes at least twice the previous hour's pace, and at least this many messages. */
export const SPIKE_FACTOR = 2;
export const SPIKE_MIN_MESSAGES = 20;

/** What the agent and volume tiles show: their queries sum only these. */
const agentCounters: CounterName[] = [
  "handled",
  "rounds",
  "roundsAnswered",
  "rounds3m",
  "responseMsSum",
  "consultBuyers",
  "convertedBuyers",
];
const volumeCounters: CounterName[] = [
  "inboundMsgs",
  "conversations",
  "evaluations",
  "evalSatisfied",
  "surveyResponses",
  "surveySatisfied",
  "complaints",
  "rounds",
  "rounds3m",
];

export async function dashboard(db: Executor, scope: Scope, nowMs: number): Promise<Dashboard> {
  const today = localDay(nowMs, scope.timeZone);
  const dayStart = startOfLocalDay(today, scope.timeZone);
  const end = floorMinute(nowMs) + MINUTE;
  const last15 = floorMinute(nowMs) - 14 * MINUTE;
  const hourBefore = last15 - 60 * MINUTE;
  const byStoreMinutes = rollupTable(scope, "minute", dimensionsOf(scope, "store"));

  const [total, byAgent, byStore, recentByStore, trend, byIntent, intentHours, questions] = await Promise.all([
    sumRollups(db, scope, dayStart, end, nowMs),
    sumRollups(db, scope, dayStart, end, nowMs, "agent", agentCounters),
    sumRollups(db, scope, dayStart, end, nowMs, "store", volumeCounters),
    queryRows<{ store_id: string; last15: string | number; before: string | number }>(
      db,
      sql`SELECT r.store_id,
                 coalesce(sum(r.inbound_msgs) FILTER (WHERE r.minute >= ${iso(last15)}::timestamptz), 0) AS last15,
                 coalesce(sum(r.inbound_msgs) FILTER (WHERE r.minute < ${iso(last15)}::timestamptz), 0) AS before
          FROM ${byStoreMinutes} r WHERE ${scopeFilter(scope, "r", hourBefore, end)} GROUP BY r.store_id`,
    ),
    queryRows<{ store_id: string; at: string | Date; inbound: string | number; conversations: string | number }>(
      db,
      sql`SELECT r.store_id, date_bin('5 minutes', r.minute, ${iso(dayStart)}::timestamptz) AS at,
                 sum(r.inbound_msgs) AS inbound, sum(r.conversations) AS conversations
          FROM ${byStoreMinutes} r WHERE ${scopeFilter(scope, "r", dayStart, end)}
          GROUP BY 1, 2 ORDER BY 2`,
    ),
    sumRollups(db, scope, dayStart, end, nowMs, "intent", ["conversations"]),
    queryRows<{ intent: string; last_hour: string | number; previous_hour: string | number }>(
      db,
      sql`SELECT r.intent,
                 coalesce(sum(r.conversations) FILTER (WHERE r.minute >= ${iso(end - 60 * MINUTE)}::timestamptz), 0) AS last_hour,
                 coalesce(sum(r.conversations) FILTER (WHERE r.minute < ${iso(end - 60 * MINUTE)}::timestamptz), 0) AS previous_hour
          FROM ${rollupTable(scope, "minute", dimensionsOf(scope, "intent"))} r
          WHERE ${scopeFilter(scope, "r", end - 120 * MINUTE, end)} AND r.intent <> ''
          GROUP BY r.intent`,
    ),
    topQuestions(db, scope, { startMs: dayStart, endMs: end, nowMs }, 3),
  ]);

  // ── Agents: live status and load, today's figures.
  const online = await onlineSeconds(db, scope.orgId, dayStart, end, nowMs);
  const agentRows = await queryRows<{
    id: string;
    name: string;
    status: string | null;
    capacity: number | null;
    load: string | number;
  }>(
    db,
    sql`SELECT u.id, u.name, s.status, s.capacity,
               (SELECT count(*) FROM conversations c WHERE c.org_id = u.org_id AND c.assignee_id = u.id
                  AND c.status <> 'resolved') AS load
        FROM users u LEFT JOIN agent_states s ON s.user_id = u.id AND s.org_id = u.org_id
        WHERE u.org_id = ${scope.orgId} AND NOT u.disabled AND (u.role = 'agent' OR s.user_id IS NOT NULL)
          ${scope.agentIds === null ? sql`` : sql`AND u.id = ANY(${uuids(scope.agentIds)})`}
        ORDER BY u.name`,
  );
  const agents = agentRows.map((a) => {
    const k = kpisFrom((byAgent.get(a.id) ?? emptySummed()).counters, { rounds: 0, rounds1h: 0 });
    return {
      userId: a.id,
      name: a.name,
      status: a.status ?? "offline",
      load: Number(a.load),
      capacity: a.capacity ?? 10,
      handledToday: k.handled,
      avgResponseSeconds: k.avgResponseSeconds,
      responseRate3m: k.responseRate3m,
      conversionRate: k.inquiryConversionRate,
      onlineSeconds: Math.round(online.get(a.id) ?? 0),
    };
  });

  // ── Platforms and stores: volume, CSAT, complaints, the 5-minute trend and spikes.
  const recent = new Map(
    recentByStore.map((r) => [r.store_id, { last15: Number(r.last15), before: Number(r.before) }]),
  );
  const volume = (
    platform: PlatformId,
    storeId: string | null,
    label: string,
    s: Summed,
    r: { last15: number; before: number },
  ) => {
    const k = kpisFrom(s.counters, s.mature);
    const previousHourPer15 = r.before / 4;
    return {
      platform,
      storeId,
      label,
      inbound: k.inboundMessages,
      conversations: k.conversations,
      csat: k.csat,
      complaintRate: k.complaintRate,
      responseRate3m: k.responseRate3m,
      last15: r.last15,
      previousHourPer15,
      spike: r.last15 >= SPIKE_MIN_MESSAGES && r.last15 >= SPIKE_FACTOR * previousHourPer15,
      trend: [] as { at: string; inbound: number; conversations: number }[],
    };
  };
  const storeIds = [...new Set([...byStore.keys(), ...recent.keys()])].filter((id) => scope.allStores.has(id));
  const platformTotals = new Map<string, { summed: Summed; recent: { last15: number; before: number } }>();
  const stores = storeIds.map((id) => {
    const store = scope.allStores.get(id)!;
    const s = byStore.get(id) ?? emptySummed();
    const r = recent.get(id) ?? { last15: 0, before: 0 };
    const p = platformTotals.get(store.platform) ?? { summed: emptySummed(), recent: { last15: 0, before: 0 } };
    mergeSummed(p.summed, s);
    p.recent.last15 += r.last15;
    p.recent.before += r.before;
    platformTotals.set(store.platform, p);
    return volume(store.platform as PlatformId, id, storeLabel(store.platform as PlatformId, store.name), s, r);
  });
  const platforms = [...platformTotals].map(([platform, p]) =>
    volume(platform as PlatformId, null, storeLabel(platform as PlatformId, "").replace(/-$/, ""), p.summed, p.recent),
  );
  const trendOf = new Map<string, Map<string, { inbound: number; conversations: number }>>();
  for (const t of trend) {
    const platform = scope.allStores.get(t.store_id)?.platform;
    if (!platform) continue;
    const at = new Date(t.at).toISOString();
    const series = trendOf.get(platform) ?? new Map();
    const point = series.get(at) ?? { inbound: 0, conversations: 0 };
    point.inbound += Number(t.inbound);
    point.conversations += Number(t.conversations);
    series.set(at, point);
    trendOf.set(platform, series);
  }
  for (const p of platforms) {
    const series = trendOf.get(p.platform) ?? new Map<string, { inbound: number; conversations: number }>();
    for (let at = dayStart; at < end; at += 5 * MINUTE) {
      const point = series.get(iso(at)) ?? { inbound: 0, conversations: 0 };
      p.trend.push({ at: iso(at), ...point });
    }
  }

  // ── Hotspots: today's top intents with their phrasings; the biggest growers of the last hour.
  const classified = [...byIntent].filter(([intent]) => intent !== "");
  const classifiedTotal = classified.reduce((n, [, s]) => n + s.counters.conversations, 0);
  const top = classified
    .map(([intent, s]) => ({ intent, conversations: s.counters.conversations }))
    .filter((x) => x.conversations > 0)
    .sort((a, b) => b.conversations - a.conversations || a.intent.localeCompare(b.intent))
    .slice(0, 10);
  const examples = await latestQuestions(
    db,
    scope,
    { startMs: dayStart, endMs: end, nowMs },
    top.map((t) => t.intent),
  );
  const growers = intentHours
    .map((r) => ({
      intent: r.intent,
      lastHour: Number(r.last_hour),
      previousHour: Number(r.previous_hour),
      growth: Number(r.last_hour) - Number(r.previous_hour),
    }))
    .filter((g) => g.growth > 0)
    .sort((a, b) => b.growth - a.growth || a.intent.localeCompare(b.intent))
    .slice(0, 5);

  // ── The queue, live.
  const storeFilter = scope.storeIds === null ? sql`` : sql`AND c.store_id = ANY(${uuids(scope.storeIds)})`;
  const [queue] = await queryRows<{
    open: string | number;
    waiting: string | number;
    longest: string | number | null;
    unanswered: string | number;
    unanswered_unassigned: string | number;
    breached: string | number;
  }>(
    db,
    sql`SELECT count(*) FILTER (WHERE c.status = 'open') AS open,
               count(*) FILTER (WHERE c.status = 'open' AND c.queued_at IS NOT NULL) AS waiting,
               extract(epoch FROM ${iso(nowMs)}::timestamptz
                 - min(c.queued_at) FILTER (WHERE c.status = 'open' AND c.queued_at IS NOT NULL))::float8 AS longest,
               count(*) FILTER (WHERE c.status = 'open'
                 AND c.last_inbound_at > coalesce(c.last_outbound_at, '-infinity'::timestamptz)) AS unanswered,
               count(*) FILTER (WHERE c.status = 'open' AND c.assignee_id IS NULL
                 AND c.last_inbound_at > coalesce(c.last_outbound_at, '-infinity'::timestamptz)) AS unanswered_unassigned,
               count(*) FILTER (WHERE jsonb_array_length(c.sla_breaches) > 0) AS breached
        FROM conversations c
        WHERE c.org_id = ${scope.orgId} AND c.status <> 'resolved' AND c.merged_into_id IS NULL ${storeFilter}
          AND ${agentsOn(scope, sql`c.assignee_id`)}`,
  );
  const [lag] = await queryRows<{ oldest: string | Date | null }>(
    db,
    sql`SELECT min(e.created_at) AS oldest FROM realtime_events e
        WHERE e.org_id = ${scope.orgId}
          AND e.seq > coalesce((SELECT last_seq FROM analytics_cursors WHERE org_id = ${scope.orgId}), 0)`,
  );
  const totals = total.get("") ?? emptySummed();
  return {
    generatedAt: iso(nowMs),
    timezone: scope.timeZone,
    today,
    lagSeconds: lag?.oldest ? Math.max(0, (nowMs - new Date(lag.oldest).getTime()) / 1000) : 0,
    totals: kpisFrom(totals.counters, totals.mature),
    agents,
    platforms,
    stores,
    hotspots: {
      top: top.map((t) => ({
        intent: t.intent,
        conversations: t.conversations,
        share: classifiedTotal > 0 ? t.conversations / classifiedTotal : null,
        phrasings: questions.get(t.intent) ?? [],
        examples: examples.get(t.intent) ?? [],
      })),
      growers,
    },
    queue: {
      open: Number(queue?.open ?? 0),
      waiting: Number(queue?.waiting ?? 0),
      longestWaitSeconds:
        queue?.longest === null || queue?.longest === undefined ? null : Math.max(0, Number(queue.longest)),
      unanswered: Number(queue?.unanswered ?? 0),
      unansweredUnassigned: Number(queue?.unanswered_unassigned ?? 0),
      slaBreachedOpen: Number(queue?.breached ?? 0),
      slaBreachesToday: totals.counters.slaBreaches,
    },
  };
}

/**
 * The latest distinct first lines of each intent today (examples beside the counts), of
 * the scope's stores and agents: from the lines counted per day unless agents are
 * filtered on.
 */
async function latestQuestions(
  db: Executor,
  scope: Scope,
  range: { startMs: number; endMs: number; nowMs: number },
  intentsWanted: string[],
): Promise<Map<string, string[]>> {
  if (intentsWanted.length === 0) return new Map();
  const intents = sql`${sql.param(intentsWanted)}::text[]`;
  // Whatever intent or category the scope names, examples are of every category of the top intents.
  const perDay = questionDayFilter({ ...scope, intent: null, category: null }, range.startMs, range.endMs, range.nowMs);
  const grouped = perDay
    ? sql`SELECT q.intent, q.question AS text,
                 row_number() OVER (PARTITION BY q.intent ORDER BY max(q.last_started_at) DESC, q.question) AS rank
          FROM analytics_question_days q WHERE ${perDay} AND q.intent = ANY(${intents})
          GROUP BY q.intent, q.question`
    : sql`SELECT c.intent, c.first_question AS text,
                 row_number() OVER (PARTITION BY c.intent ORDER BY max(c.started_at) DESC, c.first_question) AS rank
          FROM analytics_conversations c
          WHERE c.org_id = ${scope.orgId} AND c.started_at >= ${iso(range.startMs)}::timestamptz
            AND c.started_at < ${iso(range.endMs)}::timestamptz AND c.first_question <> ''
            AND c.intent = ANY(${intents})
            ${scope.storeIds === null ? sql`` : sql`AND c.store_id = ANY(${uuids(scope.storeIds)})`}
            AND ${agentsOn(scope, sql`c.agent_id`)}
          GROUP BY c.intent, c.first_question`;
  const rows = await queryRows<{ intent: string; text: string }>(
    db,
    sql`SELECT intent, text FROM (${grouped}) t WHERE rank <= 3 ORDER BY intent, rank`,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.intent, [...(out.get(r.intent) ?? []), r.text]);
  return out;
}
