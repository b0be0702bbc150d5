import type { BuyerMessage, EncodedPush } from "./personality.ts";

/**
 * Delivers buyer-message pushes to Yunxi and keeps each one until Yunxi answers
 * HTTP 2xx. A failed attempt (network error, timeout, non-2xx) is retried with
 * the same message id and a fresh timestamp and signature, for as long as it
 * takes: the crash tests rely on "acknowledged ⇒ stored" and "sent until
 * acknowledged", like TMC redelivering unconfirmed messages.
 */

export interface PushRecord {
  msgId: string;
  platform: string;
  storeKey: string;
  buyerNick: string;
  text: string;
  createdAt: string;
  firstAttemptAt: string | null;
  ackedAt: string | null;
  attempts: number;
  lastError: string | null;
}

export interface PushQueueOptions {
  encode(message: BuyerMessage, attemptAt: Date): EncodedPush;
  retryMs: number;
  timeoutMs: number;
  maxInFlight: number;
  now: () => Date;
}

export interface PushQueue {
  enqueue(message: BuyerMessage): PushRecord;
  records(filter?: { storeKey?: string | undefined }): PushRecord[];
  counts(): { total: number; acked: number; pending: number };
  setTarget(yunxiUrl: string | undefined): void;
  target(): string | undefined;
  /** Resolves true once nothing is pending, false on timeout. */
  settled(timeoutMs: number): Promise<boolean>;
  stop(): void;
}

interface Job {
  message: BuyerMessage;
  record: PushRecord;
}

export function createPushQueue(options: PushQueueOptions, initialTarget?: string): PushQueue {
  const records: PushRecord[] = [];
  const ready: Job[] = [];
  const retryTimers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<AbortController>();
  let target = initialTarget?.replace(/\/+$/, "");
  let stopped = false;
  let pending = 0;

  function pump(): void {
    while (!stopped && target && inFlight.size < options.maxInFlight && ready.length > 0) {
      void attempt(ready.shift() as Job, target);
    }
  }

  async function attempt(job: Job, base: string): Promise<void> {
    const { record } = job;
    const attemptAt = options.now();
    record.attempts++;
    record.firstAttemptAt ??= attemptAt.toISOString();
    const push = options.encode(job.message, attemptAt);
    const url = `${base}${push.path}?${new URLSearchParams(push.query).toString()}`;
    const controller = new AbortController();
    inFlight.add(controller);
    const timer = setTimeout(
      () => controller.abort(new Error(`timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    let error: string | null = null;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: push.headers,
        body: push.body,
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      error = cause?.code ?? (e as Error).message;
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
    if (error === null) {
      record.ackedAt = options.now().toISOString();
      record.lastError = null;
      pending--;
    } else {
      record.lastError = error;
      if (!stopped) {
        const retry = setTimeout(() => {
          retryTimers.delete(retry);
          ready.push(job);
          pump();
        }, options.retryMs);
        retryTimers.add(retry);
      }
    }
    pump();
  }

  return {
    enqueue(message) {
      const record: PushRecord = {
        msgId: message.msgId,
        platform: message.platform,
        storeKey: message.storeKey,
        buyerNick: message.buyerNick,
        text: message.text,
        createdAt: message.createdAt.toISOString(),
        firstAttemptAt: null,
        ackedAt: null,
        attempts: 0,
        lastError: null,
      };
      records.push(record);
      pending++;
      ready.push({ message, record });
      pump();
      return record;
    },
    records: (filter) =>
      records.filter((r) => filter?.storeKey === undefined || r.storeKey === filter.storeKey).map((r) => ({ ...r })),
    counts: () => ({ total: records.length, acked: records.length - pending, pending }),
    setTarget(yunxiUrl) {
      target = yunxiUrl?.replace(/\/+$/, "");
      pump();
    },
    target: () => target,
    async settled(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (pending > 0) {
        if (Date.now() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return true;
    },
    stop() {
      stopped = true;
      for (const timer of retryTimers) clearTimeout(timer);
      retryTimers.clear();
      for (const controller of inFlight) controller.abort(new Error("simulator stopped"));
    },
  };
}
