import { EventEmitter } from "node:events";
import { type Executor, queryRows, sql } from "../db/client.ts";

export interface NewEvent {
  type: string;
  storeId: string | null;
  payload: Record<string, unknown>;
}

export interface LoggedEvent extends NewEvent {
  seq: number;
  orgId: string;
}

/**
 * Append events inside the caller's transaction. The per-org advisory lock, taken
 * as the transaction's last step, makes commit order equal seq order within an
 * org: without it a reconnecting client that saw seq 11 could miss a seq 10 that
 * committed later. It is held only from here to commit.
 *
 * One statement, whatever the number of events: every row to insert is joined
 * with the lock's result, so no seq is drawn before the lock is held; rows are
 * inserted in the given order, so their seqs ascend in that order.
 */
export async function appendEvents(tx: Executor, orgId: string, events: NewEvent[]): Promise<LoggedEvent[]> {
  if (events.length === 0) return [];
  const rows = await queryRows<{ seq: string | number }>(
    tx,
    sql`WITH org_lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(7111, hashtext(${orgId})))
        INSERT INTO realtime_events (org_id, store_id, type, payload)
        SELECT ${orgId}::uuid, e.store_id, e.type, e.payload::jsonb
        FROM org_lock,
             unnest(${sql.param(events.map((e) => e.storeId))}::uuid[], ${sql.param(events.map((e) => e.type))}::text[],
                    ${sql.param(events.map((e) => JSON.stringify(e.payload)))}::text[])
             WITH ORDINALITY AS e(store_id, type, payload, ord)
        ORDER BY e.ord
        RETURNING seq`,
  );
  // RETURNING's order is not promised; the seqs were drawn in insertion order.
  const seqs = rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
  return events.map((e, i) => ({ ...e, orgId, seq: seqs[i]! }));
}

/** Events after `afterSeq` for the given stores (null = every store of the org), oldest first. */
export async function eventsSince(
  db: Executor,
  orgId: string,
  afterSeq: number,
  storeIds: string[] | null,
  limit: number,
): Promise<LoggedEvent[]> {
  const storeFilter =
    storeIds === null
      ? sql`true`
      : storeIds.length === 0
        ? sql`false`
        : sql`store_id IN (${sql.join(
            storeIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`;
  const rows = await queryRows<{ seq: string | number; store_id: string | null; type: string; payload: unknown }>(
    db,
    sql`SELECT seq, store_id, type, payload FROM realtime_events
        WHERE org_id = ${orgId} AND seq > ${afterSeq} AND ${storeFilter}
        ORDER BY seq LIMIT ${limit}`,
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    orgId,
    storeId: r.store_id,
    type: r.type,
    payload: (typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
  }));
}

export async function latestSeq(db: Executor, orgId: string): Promise<number> {
  const rows = await queryRows<{ seq: string | number | null }>(
    db,
    sql`SELECT max(seq) AS seq FROM realtime_events WHERE org_id = ${orgId}`,
  );
  return Number(rows[0]?.seq ?? 0);
}

/**
 * In-process hand-off of committed events to the realtime gateway. Across nodes
 * the socket.io Redis adapter carries the emits, so nothing here needs Redis.
 */
/**
 * What changed: a store (caches drop it), a session revoked or a user whose role,
 * stores or access changed (the realtime gateway signs their sockets out at once, on
 * every node through the socket.io adapter; clients reconnect with fresh rooms).
 */
export type ChangedKind = "store" | "session" | "user";

export class EventBus {
  readonly #emitter = new EventEmitter().setMaxListeners(50);
  publish(events: LoggedEvent[]): void {
    if (events.length > 0) this.#emitter.emit("committed", events);
  }
  subscribe(listener: (events: LoggedEvent[]) => void): () => void {
    this.#emitter.on("committed", listener);
    return () => this.#emitter.off("committed", listener);
  }
  /**
   * A row that something in this process may cache changed (after commit), e.g. a
   * store's status or secret: caches drop their copy. Other nodes are not told;
   * their caches expire on their own.
   */
  changed(kind: ChangedKind, id: string): void {
    this.#emitter.emit("changed", kind, id);
  }
  onChanged(listener: (kind: ChangedKind, id: string) => void): () => void {
    this.#emitter.on("changed", listener);
    return () => this.#emitter.off("changed", listener);
  }
}
