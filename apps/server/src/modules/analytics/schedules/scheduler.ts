import type { ScheduleCadence } from "@yunxi/contracts";
import type { AppContext } from "../../../platform/context.ts";
import { queryRows, sql } from "../../../platform/db/client.ts";
import { enqueueRecurring } from "../../../platform/jobs/recurring.ts";
import { getOrg } from "../../identity/index.ts";
import type { ExportOptions } from "../exports.ts";
import { failDelivery, runDelivery } from "./delivery.ts";
import { enqueueRun, SCHEDULE_RUN_QUEUE } from "./service.ts";
import { reportSchedules } from "./tables.ts";
import { nextRunAt } from "./timing.ts";

/**
 * The scheduler: a recurring job (one for the whole deployment, like the
 * authorization sweep) that claims every due schedule and turns it into a run
 * with its delivery job. A due row is locked FOR UPDATE SKIP LOCKED and its
 * next_run_at moved past now in the same transaction as the run is inserted, so
 * two schedulers (two server instances, or a tick racing a restart) never both
 * claim it: the second skips the locked row, or sees it no longer due.
 * A schedule missed while the server was down runs once on start, for the period
 * before its due time, and then keeps its rhythm; missed runs are not replayed.
 */
export const SCHEDULE_TICK_QUEUE = "analytics-schedule-tick";
const TICK_EVERY_MS = 30_000;
/** Schedules claimed per transaction. */
const CLAIM_BATCH = 50;

interface DueRow {
  id: string;
  org_id: string;
  cadence: string;
  minute_of_day: number;
  weekday: number | null;
  day_of_month: number | null;
  due_ms: string | number;
}

/** Claim the due schedules, one batch per transaction; returns the runs created. */
export async function claimDueSchedules(ctx: AppContext): Promise<number> {
  let total = 0;
  for (;;) {
    const nowMs = ctx.now().getTime();
    const claimed = await ctx.db.transaction(async (tx) => {
      const due = await queryRows<DueRow>(
        tx,
        sql`SELECT id, org_id, cadence, minute_of_day, weekday, day_of_month,
                   floor(extract(epoch FROM next_run_at) * 1000)::int8 AS due_ms
            FROM report_schedules
            WHERE enabled AND next_run_at <= ${new Date(nowMs).toISOString()}::timestamptz
            ORDER BY next_run_at LIMIT ${CLAIM_BATCH}
            FOR UPDATE SKIP LOCKED`,
      );
      const zones = new Map<string, string>();
      for (const row of due) {
        const timeZone = zones.get(row.org_id) ?? (await getOrg(tx, row.org_id)).timezone;
        zones.set(row.org_id, timeZone);
        const timing = {
          cadence: row.cadence as ScheduleCadence,
          minuteOfDay: row.minute_of_day,
          weekday: row.weekday,
          dayOfMonth: row.day_of_month,
        };
        await tx
          .update(reportSchedules)
          .set({ nextRunAt: new Date(nextRunAt(timing, nowMs, timeZone)), lastStatus: "queued", lastError: null })
          .where(sql`${reportSchedules.id} = ${row.id}`);
        await enqueueRun(
          tx,
          { id: row.id, orgId: row.org_id, cadence: row.cadence },
          "schedule",
          Number(row.due_ms),
          timeZone,
        );
      }
      return due.length;
    });
    total += claimed;
    if (claimed < CLAIM_BATCH) break;
  }
  if (total > 0) ctx.jobs.notify();
  return total;
}

export function registerScheduler(ctx: AppContext, options: ExportOptions = {}): void {
  ctx.jobs.register(SCHEDULE_TICK_QUEUE, async () => {
    // A failed tick must not end the chain: log it and let the next one try.
    try {
      await claimDueSchedules(ctx);
    } catch (err) {
      ctx.log.error({ err }, "report scheduler tick failed");
    }
    await scheduleTick(ctx, new Date(Date.now() + TICK_EVERY_MS));
  });
  ctx.jobs.register(
    SCHEDULE_RUN_QUEUE,
    (job) => runDelivery(ctx, job, options),
    (job, error) => failDelivery(ctx, job, error),
  );
}

/** Enqueue the next tick unless one is already waiting (another node started it, or this one restarted). */
export async function scheduleTick(ctx: AppContext, runAt = new Date()): Promise<void> {
  await enqueueRecurring(ctx.db, SCHEDULE_TICK_QUEUE, runAt);
}
