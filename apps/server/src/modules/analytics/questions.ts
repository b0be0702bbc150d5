import { sql } from "drizzle-orm";
import { type Executor, queryRows } from "../../platform/db/client.ts";
import type { ConversationSummary } from "./facts.ts";
import { addDays, localDay, startOfLocalDay } from "./time.ts";

/**
 * First buyer lines counted per local day (analytics_question_days), kept beside the
 * per-conversation rows they are counted from: whenever a conversation's row is written
 * or removed, the days × stores × intents × categories × lines it leaves or joins are
 * counted again from analytics_conversations, in the same transaction. Top questions of
 * whole days then add up a few rows a day instead of grouping every conversation.
 */

/** What a conversation contributes to the question counts; null when it has no first line. */
export interface QuestionOf {
  startedAt: number;
  storeId: string;
  intent: string;
  category: string;
  question: string;
  complaint: boolean;
}

const signature = (q: QuestionOf | undefined) =>
  q ? `${q.startedAt}|${q.storeId}|${q.intent}|${q.category}|${q.complaint}|${q.question}` : "";

export function questionOfSummary(s: ConversationSummary): QuestionOf | null {
  if (s.startedAt === null || s.firstQuestion === "") return null;
  return {
    startedAt: s.startedAt,
    storeId: s.storeId,
    intent: s.intent,
    category: s.category,
    question: s.firstQuestion,
    complaint: s.complaint,
  };
}

/** What these conversations contribute now (read before their rows are rewritten). */
export async function questionsOf(tx: Executor, orgId: string, ids: string[]): Promise<Map<string, QuestionOf>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<{
    conversation_id: string;
    started_ms: string | number;
    store_id: string;
    intent: string;
    category: string;
    first_question: string;
    complaint: boolean | string;
  }>(
    tx,
    sql`SELECT conversation_id, floor(extract(epoch FROM started_at) * 1000)::int8 AS started_ms, store_id, intent,
               category, first_question, complaint
        FROM analytics_conversations
        WHERE org_id = ${orgId} AND conversation_id = ANY(${sql.param(ids)}::uuid[])
          AND started_at IS NOT NULL AND first_question <> ''`,
  );
  return new Map(
    rows.map((r) => [
      r.conversation_id,
      {
        startedAt: Number(r.started_ms),
        storeId: r.store_id,
        intent: r.intent,
        category: r.category,
        question: r.first_question,
        complaint: r.complaint === true || r.complaint === "t",
      },
    ]),
  );
}

/**
 * Count again the question rows that changed conversations left or joined: `before` and
 * `after` by conversation (absent: no first line). Unchanged conversations (most events:
 * a reply, a status) cost nothing.
 */
export async function recountQuestions(
  tx: Executor,
  orgId: string,
  before: Map<string, QuestionOf>,
  after: Map<string, QuestionOf>,
  timeZone: string,
): Promise<void> {
  const keys = new Map<string, { day: string; storeId: string; intent: string; category: string; question: string }>();
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(id);
    const is = after.get(id);
    if (signature(was) === signature(is)) continue;
    for (const q of [was, is]) {
      if (!q) continue;
      const day = localDay(q.startedAt, timeZone);
      keys.set(`${day}|${q.storeId}|${q.intent}|${q.category}|${q.question}`, { day, ...q });
    }
  }
  const all = [...keys.values()];
  for (let i = 0; i < all.length; i += 5000) {
    const chunk = all.slice(i, i + 5000);
    const keyTable = sql`unnest(${sql.param(chunk.map((k) => k.day))}::date[],
        ${sql.param(chunk.map((k) => new Date(startOfLocalDay(k.day, timeZone)).toISOString()))}::timestamptz[],
        ${sql.param(chunk.map((k) => new Date(startOfLocalDay(addDays(k.day, 1), timeZone)).toISOString()))}::timestamptz[],
        ${sql.param(chunk.map((k) => k.storeId))}::uuid[], ${sql.param(chunk.map((k) => k.intent))}::text[],
        ${sql.param(chunk.map((k) => k.category))}::text[], ${sql.param(chunk.map((k) => k.question))}::text[])
        AS k(day, day_start, day_end, store_id, intent, category, question)`;
    await tx.execute(
      sql`DELETE FROM analytics_question_days q USING ${keyTable}
          WHERE q.org_id = ${orgId} AND q.day = k.day AND q.store_id = k.store_id AND q.intent = k.intent
            AND q.category = k.category AND q.question = k.question`,
    );
    await tx.execute(
      sql`INSERT INTO analytics_question_days (org_id, day, store_id, intent, category, question, conversations,
            complaints, last_started_at)
          SELECT ${orgId}::uuid, k.day, k.store_id, k.intent, k.category, k.question, count(*),
                 count(*) FILTER (WHERE c.complaint), max(c.started_at)
          FROM (SELECT DISTINCT * FROM ${keyTable}) AS k
          JOIN analytics_conversations c
            ON c.org_id = ${orgId} AND c.store_id = k.store_id AND c.intent = k.intent AND c.category = k.category
               AND c.first_question = k.question AND c.started_at >= k.day_start AND c.started_at < k.day_end
          GROUP BY k.day, k.store_id, k.intent, k.category, k.question`,
    );
  }
}

/** A whole local day's question rows counted again (the rebuild's last step). */
export async function recountQuestionDay(tx: Executor, orgId: string, day: string, timeZone: string): Promise<void> {
  const start = new Date(startOfLocalDay(day, timeZone)).toISOString();
  const end = new Date(startOfLocalDay(addDays(day, 1), timeZone)).toISOString();
  await tx.execute(sql`DELETE FROM analytics_question_days WHERE org_id = ${orgId} AND day = ${day}::date`);
  await tx.execute(
    sql`INSERT INTO analytics_question_days (org_id, day, store_id, intent, category, question, conversations,
          complaints, last_started_at)
        SELECT ${orgId}::uuid, ${day}::date, c.store_id, c.intent, c.category, c.first_question, count(*),
               count(*) FILTER (WHERE c.complaint), max(c.started_at)
        FROM analytics_conversations c
        WHERE c.org_id = ${orgId} AND c.started_at >= ${start}::timestamptz AND c.started_at < ${end}::timestamptz
          AND c.first_question <> ''
        GROUP BY c.store_id, c.intent, c.category, c.first_question`,
  );
}
