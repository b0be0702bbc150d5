import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "../../platform/db/client.ts";
import { counterAggregates, counterDefs } from "./counters.ts";

/**
 * The rollups by level of detail: per minute and per local day, the full rollup (store ×
 * agent × intent × category) and narrower ones with fewer dimensions. A narrower row is
 * the sum of the full rows it covers and is summed again from them, in the same
 * transaction, whenever they change (live and rebuild alike), so reading any level that
 * carries a query's filters and grouping gives the same figures; the narrower, the fewer
 * rows to add up.
 */

export type Dimension = "store" | "agent" | "intent" | "category";

export interface RollupLevel {
  table: string;
  dimensions: readonly Dimension[];
}

type Time = "minute" | "day";

const ALL: readonly Dimension[] = ["store", "agent", "intent", "category"];

/** Narrowest first; the last is the full rollup, which every narrower one is summed from. */
export const rollupLevels: Record<Time, readonly RollupLevel[]> = {
  minute: [
    { table: "analytics_store_minutes", dimensions: ["store"] },
    { table: "analytics_minute_rollups", dimensions: ALL },
  ],
  day: [
    { table: "analytics_store_days", dimensions: ["store"] },
    { table: "analytics_store_agent_days", dimensions: ["store", "agent"] },
    { table: "analytics_store_intent_days", dimensions: ["store", "intent", "category"] },
    { table: "analytics_daily_rollups", dimensions: ALL },
  ],
};

export const fullLevel = (time: Time): RollupLevel => rollupLevels[time].at(-1) as RollupLevel;

/** The narrowest level of `time` that has every dimension asked for. */
export function narrowestLevel(time: Time, needed: readonly Dimension[]): RollupLevel {
  return rollupLevels[time].find((l) => needed.every((d) => l.dimensions.includes(d))) ?? fullLevel(time);
}

const column: Record<Dimension, string> = {
  store: "store_id",
  agent: "agent_id",
  intent: "intent",
  category: "category",
};
const arrayType: Record<Dimension, string> = { store: "uuid[]", agent: "uuid[]", intent: "text[]", category: "text[]" };

/** A key of the full rollup: `at` is the minute (ISO instant) or the local day (YYYY-MM-DD). */
export interface LevelKey {
  at: string;
  storeId: string;
  agentId: string;
  intent: string;
  category: string;
}

const dimensionValue = (k: LevelKey, d: Dimension): string =>
  d === "store" ? k.storeId : d === "agent" ? k.agentId : d === "intent" ? k.intent : k.category;

const counterList = sql.raw(counterDefs.map((d) => d.column).join(", "));
const aggregates = sql.raw(counterAggregates("r", false));

/**
 * The rows of every narrower level that these keys of the full rollup fall in, summed
 * again from the full rows (which must be up to date): a narrower row whose full rows
 * are all gone loses its row. Two statements per level, whatever the number of keys.
 */
export async function resumNarrowLevels(tx: Executor, orgId: string, time: Time, keys: LevelKey[]): Promise<void> {
  const source = sql.raw(fullLevel(time).table);
  const t = sql.raw(time);
  for (const level of rollupLevels[time].slice(0, -1)) {
    const projected = new Map<string, LevelKey>();
    for (const k of keys) projected.set([k.at, ...level.dimensions.map((d) => dimensionValue(k, d))].join("|"), k);
    const all = [...projected.values()];
    const columns = level.dimensions.map((d) => column[d]);
    const dims = sql.raw(columns.join(", "));
    const matches = (alias: string) =>
      sql.raw([`${alias}.${time} = k.${time}`, ...columns.map((c) => `${alias}.${c} = k.${c}`)].join(" AND "));
    for (let i = 0; i < all.length; i += 5000) {
      const chunk = all.slice(i, i + 5000);
      const arrays = sql.join(
        [
          sql`${sql.param(chunk.map((k) => k.at))}::${sql.raw(time === "day" ? "date[]" : "timestamptz[]")}`,
          ...level.dimensions.map(
            (d) => sql`${sql.param(chunk.map((k) => dimensionValue(k, d)))}::${sql.raw(arrayType[d])}`,
          ),
        ],
        sql`, `,
      );
      const keyTable = sql`unnest(${arrays}) AS k(${t}, ${dims})`;
      const table = sql.raw(level.table);
      await tx.execute(sql`DELETE FROM ${table} l USING ${keyTable} WHERE l.org_id = ${orgId} AND ${matches("l")}`);
      await tx.execute(
        sql`INSERT INTO ${table} (org_id, ${t}, ${dims}, ${counterList})
            SELECT ${orgId}::uuid, ${sql.raw(`k.${time}, ${columns.map((c) => `k.${c}`).join(", ")}`)}, ${aggregates}
            FROM (SELECT DISTINCT * FROM ${keyTable}) AS k
            JOIN ${source} r ON r.org_id = ${orgId} AND ${matches("r")}
            GROUP BY ${sql.raw(`k.${time}, ${columns.map((c) => `k.${c}`).join(", ")}`)}`,
      );
    }
  }
}

/** Every narrower level of `time` within `where` (on rows aliased r) summed again from the full rows. */
async function resumNarrowWithin(tx: Executor, orgId: string, time: Time, where: (alias: string) => SQL) {
  const source = sql.raw(fullLevel(time).table);
  const t = sql.raw(time);
  for (const level of rollupLevels[time].slice(0, -1)) {
    const table = sql.raw(level.table);
    const dims = sql.raw(level.dimensions.map((d) => column[d]).join(", "));
    const grouped = sql.raw(level.dimensions.map((d) => `r.${column[d]}`).join(", "));
    await tx.execute(sql`DELETE FROM ${table} l WHERE l.org_id = ${orgId} AND ${where("l")}`);
    await tx.execute(
      sql`INSERT INTO ${table} (org_id, ${t}, ${dims}, ${counterList})
          SELECT ${orgId}::uuid, r.${t}, ${grouped}, ${aggregates}
          FROM ${source} r WHERE r.org_id = ${orgId} AND ${where("r")}
          GROUP BY r.${t}, ${grouped}`,
    );
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The narrower minute levels of [from, to) summed again (the rebuild's last step, after the minute rows). */
export function resumNarrowMinutes(tx: Executor, orgId: string, fromMs: number, toMs: number): Promise<void> {
  return resumNarrowWithin(
    tx,
    orgId,
    "minute",
    (a) =>
      sql`${sql.raw(a)}.minute >= ${iso(fromMs)}::timestamptz AND ${sql.raw(a)}.minute < ${iso(toMs)}::timestamptz`,
  );
}

/** The narrower day levels of a local day summed again (the rebuild's last step, after the daily rows). */
export function resumNarrowDay(tx: Executor, orgId: string, day: string): Promise<void> {
  return resumNarrowWithin(tx, orgId, "day", (a) => sql`${sql.raw(a)}.day = ${day}::date`);
}
