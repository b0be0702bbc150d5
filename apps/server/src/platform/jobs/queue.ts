import type { Logger } from "pino";
import { type Database, type Executor, queryRows, sql } from "../db/client.ts";
import type { Metrics } from "../metrics.ts";
import { jobs } from "./tables.ts";

export interface NewJob {
  orgId: string;
  queue: string;
  payload: Record<string, unknown>;
  orderingKey?: string;
  maxAttempts?: number;
  runAt?: Date;
}

export interface ClaimedJob {
  id: number;
  orgId: string;
  queue: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

/** What a handler tells the queue when it cannot finish now. */
export class RetryLater extends Error {
  readonly finalMessage: string;
  constructor(message: string) {
    super(message);
    this.name = "RetryLater";
    this.finalMessage = message;
  }
}

/**
 * What a handler throws when the job is not due yet (a rate limit's next slot):
 * it goes back to the queue for `delayMs` without spending one of its attempts.
 */
export class RunLater extends Error {
  readonly delayMs: number;
  constructor(delayMs: number, reason = "not due yet") {
    super(reason);
    this.name = "RunLater";
    this.delayMs = delayMs;
  }
}

export type JobHandler = (job: ClaimedJob) => Promise<void>;
/** Called once when a job has used its last attempt, so the owner can record the failure. */
export type JobFailureHandler = (job: ClaimedJob, error: Error) => Promise<void>;

/** Enqueue inside the caller's transaction: the job exists if and only if the work it follows committed. */
export async function enqueue(tx: Executor, job: NewJob): Promise<void> {
  await tx.insert(jobs).values({
    orgId: job.orgId,
    queue: job.queue,
    payload: job.payload,
    orderingKey: job.orderingKey ?? null,
    maxAttempts: job.maxAttempts ?? 8,
    runAt: job.runAt ?? new Date(),
  });
}

/** Exponential back-off with jitter: 1 s, 2 s, 4 s … capped at 5 min. */
export function backoffMs(attempt: number): number {
  const base = Math.min(300_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * A claimed job is locked for this long and the lock is renewed while it runs, so a
 * job of a worker that died (kill -9, lost node) is claimed again within seconds,
 * not minutes, without a long job being taken twice.
 */
const LOCK_SECONDS = 15;
const RENEW_EVERY_MS = 5000;

interface Registered {
  handler: JobHandler;
  onFailure?: JobFailureHandler | undefined;
}

/**
 * Workers claim jobs with SKIP LOCKED. A job whose worker died is claimed again
 * once its lock lapses; a job whose ordering key has an older unfinished job waits.
 */
export class JobRunner {
  readonly #db: Database;
  readonly #log: Logger;
  readonly #metrics: Metrics;
  readonly #concurrency: number;
  readonly #handlers = new Map<string, Registered>();
  readonly #inFlight = new Set<Promise<void>>();
  #running = false;
  #wake: (() => void) | null = null;
  #loop: Promise<void> | null = null;
  pollMs = 500;

  readonly #runningIds = new Set<number>();
  readonly #singleProcess: boolean;
  #renewTimer: NodeJS.Timeout | undefined;

  /** `singleProcess`: no other process shares the database (PGlite), so a job left running at start is orphaned. */
  constructor(options: { db: Database; log: Logger; metrics: Metrics; concurrency: number; singleProcess?: boolean }) {
    this.#singleProcess = options.singleProcess ?? false;
    this.#db = options.db;
    this.#log = options.log;
    this.#metrics = options.metrics;
    this.#concurrency = options.concurrency;
  }

  register(queue: string, handler: JobHandler, onFailure?: JobFailureHandler): void {
    this.#handlers.set(queue, { handler, onFailure });
  }

  start(): void {
    if (this.#running || this.#concurrency === 0) return;
    this.#running = true;
    this.#loop = this.#releaseOrphans().then(() => this.#run());
    this.#renewTimer = setInterval(() => void this.#renewLocks(), RENEW_EVERY_MS);
    this.#renewTimer.unref();
  }

  /** With one process on the database, jobs still `running` at start belong to a process that died. */
  async #releaseOrphans(): Promise<void> {
    if (!this.#singleProcess) return;
    await this.#db.execute(sql`UPDATE jobs SET status = 'queued', locked_until = NULL WHERE status = 'running'`);
  }

  async #renewLocks(): Promise<void> {
    if (this.#runningIds.size === 0) return;
    const ids = sql.join(
      [...this.#runningIds].map((id) => sql`${id}`),
      sql`, `,
    );
    try {
      await this.#db.execute(
        sql`UPDATE jobs SET locked_until = now() + make_interval(secs => ${LOCK_SECONDS})
            WHERE status = 'running' AND id IN (${ids})`,
      );
    } catch (err) {
      this.#log.warn({ err }, "renewing job locks failed");
    }
  }

  /** Ask the loop to look for work now (after a commit that enqueued something). */
  notify(): void {
    this.#wake?.();
  }

  /** Stop claiming and wait for the jobs in flight to finish. */
  async stop(): Promise<void> {
    this.#running = false;
    clearInterval(this.#renewTimer);
    this.notify();
    await this.#loop;
    await Promise.allSettled([...this.#inFlight]);
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const free = this.#concurrency - this.#inFlight.size;
      let claimed: ClaimedJob[] = [];
      if (free > 0) {
        try {
          claimed = await this.claim(free);
        } catch (err) {
          this.#log.error({ err }, "job claim failed");
        }
      }
      for (const job of claimed) this.#track(this.#execute(job));
      if (claimed.length === 0 || claimed.length === free) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          const timer = setTimeout(resolve, this.pollMs);
          timer.unref();
        });
        this.#wake = null;
      }
    }
  }

  #track(work: Promise<void>): void {
    this.#inFlight.add(work);
    work.finally(() => {
      this.#inFlight.delete(work);
      this.notify();
    });
  }

  async claim(limit: number): Promise<ClaimedJob[]> {
    const queues = [...this.#handlers.keys()];
    if (queues.length === 0) return [];
    const rows = await queryRows<{
      id: string | number;
      org_id: string;
      queue: string;
      payload: unknown;
      attempts: number;
      max_attempts: number;
    }>(
      this.#db,
      sql`UPDATE jobs SET status = 'running', attempts = attempts + 1,
            locked_until = now() + make_interval(secs => ${LOCK_SECONDS})
          WHERE id IN (
            SELECT j.id FROM jobs j
            WHERE j.queue IN (${sql.join(
              queues.map((q) => sql`${q}`),
              sql`, `,
            )})
              AND ((j.status = 'queued' AND j.run_at <= now())
                   OR (j.status = 'running' AND j.locked_until < now()))
              AND (j.ordering_key IS NULL OR NOT EXISTS (
                SELECT 1 FROM jobs e WHERE e.ordering_key = j.ordering_key AND e.id < j.id
                  AND e.status IN ('queued', 'running')))
            ORDER BY j.run_at, j.id
            LIMIT ${limit}
            FOR UPDATE SKIP LOCKED)
          RETURNING id, org_id, queue, payload, attempts, max_attempts`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      orgId: r.org_id,
      queue: r.queue,
      payload: (typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
    }));
  }

  /** Run one job to its outcome. Public so tests and the CLI can drain a queue deterministically. */
  async #execute(job: ClaimedJob): Promise<void> {
    const registered = this.#handlers.get(job.queue);
    if (!registered) return;
    this.#runningIds.add(job.id);
    try {
      await this.#attempt(job, registered);
    } finally {
      this.#runningIds.delete(job.id);
    }
  }

  async #attempt(job: ClaimedJob, registered: Registered): Promise<void> {
    try {
      await registered.handler(job);
      await this.#db.execute(sql`DELETE FROM jobs WHERE id = ${job.id}`);
      this.#metrics.jobsProcessed.inc({ queue: job.queue, status: "done" });
    } catch (err) {
      if (err instanceof RunLater) {
        await this.#db.execute(
          sql`UPDATE jobs SET status = 'queued', locked_until = NULL, attempts = attempts - 1,
                run_at = now() + make_interval(secs => ${err.delayMs / 1000}) WHERE id = ${job.id}`,
        );
        this.#metrics.jobsProcessed.inc({ queue: job.queue, status: "deferred" });
        return;
      }
      const error = err instanceof Error ? err : new Error(String(err));
      if (job.attempts >= job.maxAttempts) {
        await this.#fail(job, error, registered.onFailure);
      } else {
        const delay = backoffMs(job.attempts);
        await this.#db.execute(
          sql`UPDATE jobs SET status = 'queued', locked_until = NULL, last_error = ${error.message},
                run_at = now() + make_interval(secs => ${delay / 1000}) WHERE id = ${job.id}`,
        );
        this.#metrics.jobsProcessed.inc({ queue: job.queue, status: "retry" });
        if (!(err instanceof RetryLater))
          this.#log.warn({ err, jobId: job.id, queue: job.queue }, "job failed, will retry");
      }
    }
  }

  async #fail(job: ClaimedJob, error: Error, onFailure: JobFailureHandler | undefined): Promise<void> {
    this.#metrics.jobsProcessed.inc({ queue: job.queue, status: "failed" });
    this.#log.error({ err: error, jobId: job.id, queue: job.queue }, "job failed for good");
    try {
      await onFailure?.(job, error);
    } finally {
      await this.#db.execute(
        sql`UPDATE jobs SET status = 'failed', locked_until = NULL, last_error = ${error.message} WHERE id = ${job.id}`,
      );
    }
  }

  /** Claim and run everything due now, one batch at a time (tests, CLI). */
  async drain(maxRounds = 100): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const batch = await this.claim(this.#concurrency || 1);
      if (batch.length === 0) break;
      await Promise.all(batch.map((job) => this.#execute(job)));
      total += batch.length;
    }
    return total;
  }
}
