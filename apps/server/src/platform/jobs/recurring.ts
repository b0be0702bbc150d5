import { type Database, queryRows, sql } from "../db/client.ts";
import { enqueue } from "./queue.ts";

/** The org of jobs that serve the whole deployment rather than one org. */
export const SYSTEM_ORG = "00000000-0000-0000-0000-000000000000";

/**
 * The deployment's recurring jobs (the workspace and authorization sweeps, the rollup
 * consumer, the report scheduler) are each one queued job that enqueues its successor
 * when done, so they survive restarts and run on whichever node is free. Starting one
 * enqueues it unless one is already waiting (another node started it, or this one
 * restarted); the advisory lock makes that check-then-insert safe between nodes.
 */
export async function enqueueRecurring(db: Database, queue: string, runAt = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(7113, hashtext(${queue}))`);
    const waiting = await queryRows(tx, sql`SELECT 1 FROM jobs WHERE queue = ${queue} AND status = 'queued' LIMIT 1`);
    if (waiting.length > 0) return;
    await enqueue(tx, { orgId: SYSTEM_ORG, queue, payload: {}, orderingKey: queue, maxAttempts: 3, runAt });
  });
}
