import { type SQL, sql } from "drizzle-orm";
import { type Executor, queryRows } from "../../platform/db/client.ts";
import { type Counters, counterAggregates, counterDefs, counterNames, zeroCounters } from "./counters.ts";
import {
  type Analysis,
  analyse,
  buyerDayFacts,
  buyerDayId,
  buyerDaysOf,
  type ConversationSummary,
  conversationFacts,
  evaluationFacts,
  type FactRow,
  orderFacts,
  type SourceKind,
  surveyFacts,
} from "./facts.ts";
import { resumNarrowDay, resumNarrowLevels, resumNarrowMinutes } from "./levels.ts";
import { questionOfSummary, questionsOf, recountQuestionDay, recountQuestions } from "./questions.ts";
import {
  type BuyerPair,
  conversationsOfPairs,
  evaluationsAfter,
  loadConversations,
  loadEvaluations,
  loadOrders,
  loadSurveys,
  type OrgEnv,
  paidOrdersOfPairs,
  pairKey,
} from "./sources.ts";
import { NO_AGENT } from "./tables.ts";
import { addDays, localDay, startOfLocalDay } from "./time.ts";

/** What changed, as the event log or a rebuild names it. */
export interface Seeds {
  conversations: Set<string>;
  orders: Set<string>;
  evaluations: Set<string>;
  surveys: Set<string>;
}

export const emptySeeds = (): Seeds => ({
  conversations: new Set(),
  orders: new Set(),
  evaluations: new Set(),
  surveys: new Set(),
});

export interface ApplyResult {
  /** Every source recomputed (conversations, buyer-days, ratings, orders). */
  sources: string[];
  /** Of those, the ones whose facts changed. */
  changed: number;
}

const uuids = (ids: string[]) => sql`${sql.param(ids)}::uuid[]`;
const texts = (values: string[]) => sql`${sql.param(values)}::text[]`;
const instants = (ms: number[]) => sql`${sql.param(ms.map((m) => new Date(m).toISOString()))}::timestamptz[]`;
const epochMs = (column: SQL) => sql`floor(extract(epoch FROM ${column}) * 1000)::int8`;

/**
 * Recompute everything the seeds touch from raw rows and store it: the facts of each
 * source (replacing what it contributed before), the rollup rows of every key whose
 * sum changed, and the per-conversation summaries. Idempotent: applying the same
 * seeds twice leaves the same rows. Runs inside the caller's transaction.
 *
 * A conversation seeds its buyer-days (the local days it has buyer lines on), the
 * ratings that may be credited to it and its survey; an order seeds the buyer-days it
 * may convert.
 */
export async function recomputeSources(tx: Executor, orgId: string, seeds: Seeds, org: OrgEnv): Promise<ApplyResult> {
  const { env, stores } = org;
  const tz = env.timeZone;
  const analyses = new Map<string, Analysis>();
  const load = async (ids: Iterable<string>) => {
    const missing = [...new Set(ids)].filter((id) => !analyses.has(id));
    for (const record of (await loadConversations(tx, orgId, missing, stores)).values()) {
      analyses.set(record.id, analyse(record));
    }
  };

  await load(seeds.conversations);
  const seedAnalyses = [...seeds.conversations].flatMap((id) => analyses.get(id) ?? []);
  const orders = await loadOrders(tx, orgId, [...seeds.orders]);
  const evaluationIds = new Set(seeds.evaluations);
  const credited = seedAnalyses
    .filter((a) => a.firstBuyerAt !== null && !a.record.mergedIntoId)
    .map((a) => ({
      storeId: a.record.storeId,
      identityId: a.record.identityId,
      customerId: a.record.customerId,
      fromMs: a.firstBuyerAt!,
    }));
  for (const id of await evaluationsAfter(tx, orgId, credited)) evaluationIds.add(id);
  const evaluations = await loadEvaluations(tx, orgId, [...evaluationIds]);
  const surveys = await loadSurveys(tx, orgId, [...seeds.surveys], [...seeds.conversations]);

  // Buyer-days: those of the seed conversations, and those an order may convert.
  const buyerDays = new Map<string, { storeId: string; identityId: string; customerId: string; day: string }>();
  const addBuyerDay = (storeId: string, identityId: string, customerId: string, day: string) =>
    buyerDays.set(buyerDayId(storeId, identityId, day), { storeId, identityId, customerId, day });
  for (const a of seedAnalyses) {
    for (const day of buyerDaysOf(a, tz)) addBuyerDay(a.record.storeId, a.record.identityId, a.record.customerId, day);
  }
  for (const o of orders) {
    if (o.paidAt === null) continue;
    const last = localDay(o.paidAt, tz);
    for (let d = localDay(o.paidAt - env.conversionWindowMs, tz); d <= last; d = addDays(d, 1)) {
      addBuyerDay(o.storeId, o.identityId, o.customerId, d);
    }
  }
  const pairs = new Map<string, BuyerPair>();
  for (const b of buyerDays.values()) {
    const fromMs = startOfLocalDay(b.day, tz);
    const toMs = startOfLocalDay(addDays(b.day, 1), tz);
    const key = pairKey(b.storeId, b.identityId);
    const p = pairs.get(key);
    if (p) {
      p.fromMs = Math.min(p.fromMs, fromMs);
      p.toMs = Math.max(p.toMs, toMs);
    } else {
      pairs.set(key, { storeId: b.storeId, identityId: b.identityId, customerId: b.customerId, fromMs, toMs });
    }
  }
  const pairList = [...pairs.values()];
  await load([
    ...(await conversationsOfPairs(tx, orgId, pairList)),
    ...evaluations.flatMap((e) => (e.conversationId ? [e.conversationId] : [])),
    ...surveys.map((v) => v.conversationId),
  ]);
  const paid = await paidOrdersOfPairs(tx, orgId, pairList, env.conversionWindowMs);

  const facts = new Map<string, FactRow[]>();
  const summaries: ConversationSummary[] = [];
  const removed: string[] = [];
  for (const id of seeds.conversations) {
    const a = analyses.get(id);
    const out = a ? conversationFacts(a, env) : { rows: [], summary: null };
    facts.set(id, out.rows);
    if (out.summary) summaries.push(out.summary);
    else removed.push(id);
  }
  const byPair = new Map<string, Analysis[]>();
  for (const a of analyses.values()) {
    const key = pairKey(a.record.storeId, a.record.identityId);
    byPair.set(key, [...(byPair.get(key) ?? []), a]);
  }
  for (const [id, b] of buyerDays) {
    const key = pairKey(b.storeId, b.identityId);
    facts.set(
      id,
      buyerDayFacts(
        {
          storeId: b.storeId,
          identityId: b.identityId,
          day: b.day,
          analyses: byPair.get(key) ?? [],
          paidOrders: paid.get(key) ?? [],
        },
        env,
      ),
    );
  }
  const foundEvaluations = new Map(evaluations.map((e) => [e.id, e]));
  for (const id of evaluationIds) {
    const e = foundEvaluations.get(id);
    facts.set(id, e ? evaluationFacts(e, (e.conversationId && analyses.get(e.conversationId)) || null) : []);
  }
  const foundSurveys = new Map(surveys.map((v) => [v.id, v]));
  for (const id of new Set([...seeds.surveys, ...foundSurveys.keys()])) {
    const v = foundSurveys.get(id);
    facts.set(id, v ? surveyFacts(v, analyses.get(v.conversationId) ?? null) : []);
  }
  const foundOrders = new Map(orders.map((o) => [o.id, o]));
  for (const id of seeds.orders) {
    const o = foundOrders.get(id);
    facts.set(id, o ? orderFacts(o) : []);
  }

  const changed = await writeFacts(tx, orgId, facts, tz);
  await writeSummaries(tx, orgId, summaries, removed, tz);
  return { sources: [...facts.keys()], changed };
}

// ── Writing ──────────────────────────────────────────────────────────────

interface RollupKey {
  minute: number;
  storeId: string;
  agentId: string;
  intent: string;
  category: string;
}

const keyOf = (r: RollupKey): string => `${r.minute}|${r.storeId}|${r.agentId}|${r.intent}|${r.category}`;

const canonical = (rows: FactRow[]): string =>
  rows
    .map(
      (r) =>
        `${keyOf(r)}|${r.sourceKind}|${r.conversationId ?? ""}|${counterNames.map((n) => r.counters[n]).join(",")}`,
    )
    .sort()
    .join("\n");

const counterList = sql.raw(counterDefs.map((d) => d.column).join(", "));

type RawFact = Record<string, unknown> & {
  source_id: string;
  source_kind: string;
  minute_ms: string | number;
  store_id: string;
  agent_id: string;
  intent: string;
  category: string;
  conversation_id: string | null;
};

function factFromRaw(r: RawFact): FactRow {
  const counters = zeroCounters();
  for (const d of counterDefs) counters[d.name] = Number(r[d.column] ?? 0);
  return {
    sourceId: r.source_id,
    sourceKind: r.source_kind as SourceKind,
    minute: Number(r.minute_ms),
    storeId: r.store_id,
    agentId: r.agent_id,
    intent: r.intent,
    category: r.category,
    conversationId: r.conversation_id,
    counters,
  };
}

/** Replace the facts of sources whose facts changed; sum the rollups of the keys they touch again. */
async function writeFacts(
  tx: Executor,
  orgId: string,
  facts: Map<string, FactRow[]>,
  timeZone: string,
): Promise<number> {
  const ids = [...facts.keys()];
  if (ids.length === 0) return 0;
  const oldRows = await queryRows<RawFact>(
    tx,
    sql`SELECT source_id, source_kind, ${epochMs(sql`minute`)} AS minute_ms, store_id, agent_id, intent, category,
               conversation_id, ${counterList}
        FROM analytics_facts WHERE org_id = ${orgId} AND source_id = ANY(${uuids(ids)})`,
  );
  const old = new Map<string, FactRow[]>();
  for (const raw of oldRows) {
    const row = factFromRaw(raw);
    old.set(row.sourceId, [...(old.get(row.sourceId) ?? []), row]);
  }
  const changed = ids.filter((id) => canonical(old.get(id) ?? []) !== canonical(facts.get(id) ?? []));
  if (changed.length === 0) return 0;
  const keys = new Map<string, RollupKey>();
  for (const id of changed) {
    for (const r of [...(old.get(id) ?? []), ...(facts.get(id) ?? [])]) keys.set(keyOf(r), r);
  }
  await tx.execute(sql`DELETE FROM analytics_facts WHERE org_id = ${orgId} AND source_id = ANY(${uuids(changed)})`);
  const rows = changed.flatMap((id) => facts.get(id) ?? []);
  for (let i = 0; i < rows.length; i += 2000) await insertFacts(tx, orgId, rows.slice(i, i + 2000));
  await resumRollups(tx, orgId, [...keys.values()]);
  await resumDaily(tx, orgId, [...keys.values()], timeZone);
  return changed.length;
}

async function insertFacts(tx: Executor, orgId: string, rows: FactRow[]): Promise<void> {
  if (rows.length === 0) return;
  const counterArrays = sql.join(
    counterDefs.map((d) => sql`${sql.param(rows.map((r) => r.counters[d.name]))}::int8[]`),
    sql`, `,
  );
  await tx.execute(
    sql`INSERT INTO analytics_facts (org_id, source_id, source_kind, minute, store_id, agent_id, intent, category,
                                     conversation_id, ${counterList})
        SELECT ${orgId}::uuid, u.* FROM unnest(
          ${uuids(rows.map((r) => r.sourceId))}, ${texts(rows.map((r) => r.sourceKind))},
          ${instants(rows.map((r) => r.minute))}, ${uuids(rows.map((r) => r.storeId))},
          ${uuids(rows.map((r) => r.agentId))}, ${texts(rows.map((r) => r.intent))},
          ${texts(rows.map((r) => r.category))}, ${sql.param(rows.map((r) => r.conversationId))}::uuid[],
          ${counterArrays}) AS u`,
  );
}

const rollupAggregates = sql.raw(counterAggregates("f", false));

/**
 * The rollup rows of these keys, summed again from the facts: a key whose facts are
 * all gone loses its row. Two statements, whatever the number of keys.
 */
async function resumRollups(tx: Executor, orgId: string, keys: RollupKey[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 5000) {
    const chunk = keys.slice(i, i + 5000);
    const keyTable = sql`unnest(${instants(chunk.map((k) => k.minute))}, ${uuids(chunk.map((k) => k.storeId))},
        ${uuids(chunk.map((k) => k.agentId))}, ${texts(chunk.map((k) => k.intent))},
        ${texts(chunk.map((k) => k.category))}) AS k(minute, store_id, agent_id, intent, category)`;
    await tx.execute(
      sql`DELETE FROM analytics_minute_rollups r USING ${keyTable}
          WHERE r.org_id = ${orgId} AND r.minute = k.minute AND r.store_id = k.store_id
            AND r.agent_id = k.agent_id AND r.intent = k.intent AND r.category = k.category`,
    );
    await tx.execute(
      sql`INSERT INTO analytics_minute_rollups (org_id, minute, store_id, agent_id, intent, category, ${counterList})
          SELECT ${orgId}::uuid, f.minute, f.store_id, f.agent_id, f.intent, f.category, ${rollupAggregates}
          FROM analytics_facts f JOIN (SELECT DISTINCT * FROM ${keyTable}) AS k
            ON f.org_id = ${orgId} AND f.minute = k.minute AND f.store_id = k.store_id
               AND f.agent_id = k.agent_id AND f.intent = k.intent AND f.category = k.category
          GROUP BY f.minute, f.store_id, f.agent_id, f.intent, f.category`,
    );
  }
  await resumNarrowLevels(
    tx,
    orgId,
    "minute",
    keys.map((k) => ({ ...k, at: new Date(k.minute).toISOString() })),
  );
}

const dailyAggregates = sql.raw(counterAggregates("r", false));

/**
 * The daily rows of the local days these minute keys fall on, summed again from their
 * minute rows; and the agents' active minutes of those days, counted again.
 */
async function resumDaily(tx: Executor, orgId: string, keys: RollupKey[], timeZone: string): Promise<void> {
  const days = new Map<string, { day: string; start: number; end: number } & Omit<RollupKey, "minute">>();
  const agentDays = new Map<string, { day: string; start: number; end: number; agentId: string }>();
  for (const k of keys) {
    const day = localDay(k.minute, timeZone);
    const id = `${day}|${k.storeId}|${k.agentId}|${k.intent}|${k.category}`;
    if (days.has(id)) continue;
    const start = startOfLocalDay(day, timeZone);
    const end = startOfLocalDay(addDays(day, 1), timeZone);
    days.set(id, { day, start, end, storeId: k.storeId, agentId: k.agentId, intent: k.intent, category: k.category });
    if (k.agentId !== NO_AGENT) agentDays.set(`${day}|${k.agentId}`, { day, start, end, agentId: k.agentId });
  }
  const all = [...days.values()];
  for (let i = 0; i < all.length; i += 5000) {
    const chunk = all.slice(i, i + 5000);
    const keyTable = sql`unnest(${sql.param(chunk.map((k) => k.day))}::date[], ${instants(chunk.map((k) => k.start))},
        ${instants(chunk.map((k) => k.end))}, ${uuids(chunk.map((k) => k.storeId))},
        ${uuids(chunk.map((k) => k.agentId))}, ${texts(chunk.map((k) => k.intent))},
        ${texts(chunk.map((k) => k.category))}) AS k(day, day_start, day_end, store_id, agent_id, intent, category)`;
    await tx.execute(
      sql`DELETE FROM analytics_daily_rollups d USING ${keyTable}
          WHERE d.org_id = ${orgId} AND d.day = k.day AND d.store_id = k.store_id
            AND d.agent_id = k.agent_id AND d.intent = k.intent AND d.category = k.category`,
    );
    await tx.execute(
      sql`INSERT INTO analytics_daily_rollups (org_id, day, store_id, agent_id, intent, category, ${counterList})
          SELECT ${orgId}::uuid, k.day, k.store_id, k.agent_id, k.intent, k.category, ${dailyAggregates}
          FROM (SELECT DISTINCT * FROM ${keyTable}) AS k
          JOIN analytics_minute_rollups r
            ON r.org_id = ${orgId} AND r.store_id = k.store_id AND r.agent_id = k.agent_id
               AND r.intent = k.intent AND r.category = k.category
               AND r.minute >= k.day_start AND r.minute < k.day_end
          GROUP BY k.day, k.store_id, k.agent_id, k.intent, k.category`,
    );
  }
  await resumNarrowLevels(
    tx,
    orgId,
    "day",
    all.map((k) => ({ ...k, at: k.day })),
  );
  const agents = [...agentDays.values()];
  for (let i = 0; i < agents.length; i += 5000) {
    const chunk = agents.slice(i, i + 5000);
    const keyTable = sql`unnest(${sql.param(chunk.map((k) => k.day))}::date[], ${instants(chunk.map((k) => k.start))},
        ${instants(chunk.map((k) => k.end))}, ${uuids(chunk.map((k) => k.agentId))}) AS k(day, day_start, day_end, agent_id)`;
    await tx.execute(
      sql`DELETE FROM analytics_agent_days d USING ${keyTable}
          WHERE d.org_id = ${orgId} AND d.day = k.day AND d.agent_id = k.agent_id`,
    );
    await tx.execute(
      sql`INSERT INTO analytics_agent_days (org_id, day, agent_id, active_minutes)
          SELECT ${orgId}::uuid, k.day, k.agent_id, count(DISTINCT r.minute)
          FROM ${keyTable}
          JOIN analytics_minute_rollups r
            ON r.org_id = ${orgId} AND r.agent_id = k.agent_id AND r.human_msgs > 0
               AND r.minute >= k.day_start AND r.minute < k.day_end
          GROUP BY k.day, k.agent_id`,
    );
  }
}

/**
 * The daily rows of whole local days summed again from the minute rows, the narrower day
 * levels from those, and the day's first lines counted again (the rebuild's last step).
 */
export async function resumDailyRange(tx: Executor, orgId: string, day: string, timeZone: string): Promise<void> {
  const start = new Date(startOfLocalDay(day, timeZone)).toISOString();
  const end = new Date(startOfLocalDay(addDays(day, 1), timeZone)).toISOString();
  await tx.execute(sql`DELETE FROM analytics_daily_rollups WHERE org_id = ${orgId} AND day = ${day}::date`);
  await tx.execute(sql`DELETE FROM analytics_agent_days WHERE org_id = ${orgId} AND day = ${day}::date`);
  await tx.execute(
    sql`INSERT INTO analytics_daily_rollups (org_id, day, store_id, agent_id, intent, category, ${counterList})
        SELECT ${orgId}::uuid, ${day}::date, r.store_id, r.agent_id, r.intent, r.category, ${dailyAggregates}
        FROM analytics_minute_rollups r
        WHERE r.org_id = ${orgId} AND r.minute >= ${start}::timestamptz AND r.minute < ${end}::timestamptz
        GROUP BY r.store_id, r.agent_id, r.intent, r.category`,
  );
  await tx.execute(
    sql`INSERT INTO analytics_agent_days (org_id, day, agent_id, active_minutes)
        SELECT ${orgId}::uuid, ${day}::date, r.agent_id, count(DISTINCT r.minute)
        FROM analytics_minute_rollups r
        WHERE r.org_id = ${orgId} AND r.minute >= ${start}::timestamptz AND r.minute < ${end}::timestamptz
          AND r.human_msgs > 0 AND r.agent_id <> ${NO_AGENT}::uuid
        GROUP BY r.agent_id`,
  );
  await resumNarrowDay(tx, orgId, day);
  await recountQuestionDay(tx, orgId, day, timeZone);
}

/** Rollups of a whole range summed again from the facts, and the narrower minute levels from those (the rebuild's last step, a day at a time). */
export async function resumRollupRange(tx: Executor, orgId: string, fromMs: number, toMs: number): Promise<void> {
  await tx.execute(
    sql`DELETE FROM analytics_minute_rollups WHERE org_id = ${orgId}
          AND minute >= ${new Date(fromMs).toISOString()}::timestamptz AND minute < ${new Date(toMs).toISOString()}::timestamptz`,
  );
  await tx.execute(
    sql`INSERT INTO analytics_minute_rollups (org_id, minute, store_id, agent_id, intent, category, ${counterList})
        SELECT ${orgId}::uuid, f.minute, f.store_id, f.agent_id, f.intent, f.category, ${rollupAggregates}
        FROM analytics_facts f
        WHERE f.org_id = ${orgId} AND f.minute >= ${new Date(fromMs).toISOString()}::timestamptz
          AND f.minute < ${new Date(toMs).toISOString()}::timestamptz
        GROUP BY f.minute, f.store_id, f.agent_id, f.intent, f.category`,
  );
  await resumNarrowMinutes(tx, orgId, fromMs, toMs);
}

/** Sources with facts in a range (a rebuild recomputes them too, so vanished ones are cleared). */
export async function sourcesWithFactsIn(
  tx: Executor,
  orgId: string,
  fromMs: number,
  toMs: number,
): Promise<{ sourceId: string; sourceKind: SourceKind }[]> {
  const rows = await queryRows<{ source_id: string; source_kind: string }>(
    tx,
    sql`SELECT DISTINCT source_id, source_kind FROM analytics_facts
        WHERE org_id = ${orgId} AND minute >= ${new Date(fromMs).toISOString()}::timestamptz
          AND minute < ${new Date(toMs).toISOString()}::timestamptz`,
  );
  return rows.map((r) => ({ sourceId: r.source_id, sourceKind: r.source_kind as SourceKind }));
}

/** Drop the facts of sources that no longer exist (a buyer-day left without lines), fixing their rollups. */
export async function dropSources(tx: Executor, orgId: string, sourceIds: string[], timeZone: string): Promise<number> {
  if (sourceIds.length === 0) return 0;
  return writeFacts(tx, orgId, new Map(sourceIds.map((id) => [id, []])), timeZone);
}

async function writeSummaries(
  tx: Executor,
  orgId: string,
  summaries: ConversationSummary[],
  removed: string[],
  timeZone: string,
): Promise<void> {
  const questionsBefore = await questionsOf(tx, orgId, [...summaries.map((s) => s.conversationId), ...removed]);
  if (removed.length > 0) {
    await tx.execute(
      sql`DELETE FROM analytics_conversations WHERE org_id = ${orgId} AND conversation_id = ANY(${uuids(removed)})`,
    );
  }
  for (let i = 0; i < summaries.length; i += 1000) {
    const chunk = summaries.slice(i, i + 1000);
    const ms = (v: number | null) => (v === null ? null : new Date(v).toISOString());
    await tx.execute(
      sql`INSERT INTO analytics_conversations (conversation_id, org_id, store_id, platform, customer_id, identity_id,
            agent_id, intent, category, started_at, first_question, rounds, unanswered_rounds, first_response_ms,
            resolved_at, complaint, qc_score, qc_findings, qc_level, updated_at)
          SELECT u.conversation_id, ${orgId}::uuid, u.store_id, u.platform, u.customer_id, u.identity_id, u.agent_id,
                 u.intent, u.category, u.started_at, u.first_question, u.rounds, u.unanswered_rounds,
                 u.first_response_ms, u.resolved_at, u.complaint, u.qc_score, u.qc_findings::jsonb, u.qc_level, now()
          FROM unnest(${uuids(chunk.map((s) => s.conversationId))}, ${uuids(chunk.map((s) => s.storeId))},
                      ${texts(chunk.map((s) => s.platform))}, ${uuids(chunk.map((s) => s.customerId))},
                      ${uuids(chunk.map((s) => s.identityId))}, ${sql.param(chunk.map((s) => s.agentId))}::uuid[],
                      ${texts(chunk.map((s) => s.intent))}, ${texts(chunk.map((s) => s.category))},
                      ${sql.param(chunk.map((s) => ms(s.startedAt)))}::timestamptz[],
                      ${texts(chunk.map((s) => s.firstQuestion))}, ${sql.param(chunk.map((s) => s.rounds))}::int4[],
                      ${sql.param(chunk.map((s) => s.unansweredRounds))}::int4[],
                      ${sql.param(chunk.map((s) => s.firstResponseMs))}::int8[],
                      ${sql.param(chunk.map((s) => ms(s.resolvedAt)))}::timestamptz[],
                      ${sql.param(chunk.map((s) => s.complaint))}::bool[],
                      ${sql.param(chunk.map((s) => s.qcScore))}::int4[],
                      ${texts(chunk.map((s) => JSON.stringify(s.qcFindings)))},
                      ${sql.param(chunk.map((s) => s.qcLevel))}::text[])
               AS u(conversation_id, store_id, platform, customer_id, identity_id, agent_id, intent, category,
                    started_at, first_question, rounds, unanswered_rounds, first_response_ms, resolved_at, complaint,
                    qc_score, qc_findings, qc_level)
          ON CONFLICT (conversation_id) DO UPDATE SET
            store_id = excluded.store_id, platform = excluded.platform, customer_id = excluded.customer_id,
            identity_id = excluded.identity_id, agent_id = excluded.agent_id, intent = excluded.intent,
            category = excluded.category, started_at = excluded.started_at, first_question = excluded.first_question,
            rounds = excluded.rounds, unanswered_rounds = excluded.unanswered_rounds,
            first_response_ms = excluded.first_response_ms, resolved_at = excluded.resolved_at,
            complaint = excluded.complaint, qc_score = excluded.qc_score, qc_findings = excluded.qc_findings,
            qc_level = excluded.qc_level, updated_at = now()
          WHERE analytics_conversations.org_id = ${orgId}`,
    );
  }
  const questionsAfter = new Map(
    summaries.flatMap((s) => {
      const q = questionOfSummary(s);
      return q ? [[s.conversationId, q] as const] : [];
    }),
  );
  await recountQuestions(tx, orgId, questionsBefore, questionsAfter, timeZone);
}

/** The counters of a raw rollup or fact row. */
export function countersFromRaw(raw: Record<string, unknown>): Counters {
  const c = zeroCounters();
  for (const d of counterDefs) c[d.name] = Number(raw[d.column] ?? 0);
  return c;
}
