import http from "node:http";
import https from "node:https";
import type { EncodedPush, SimEvent } from "./personality.ts";

/**
 * Delivers pushes (buyer messages, order changes, read receipts, evaluations)
 * to Yunxi and keeps each one until Yunxi answers HTTP 2xx. A failed attempt
 * (network error, timeout, non-2xx) is retried with the same id and a fresh
 * timestamp and signature, for as long as it takes: the crash tests rely on
 * "acknowledged ⇒ stored" and "sent until acknowledged", like TMC redelivering
 * unconfirmed messages.
 *
 * Built for rate: a ring of ready jobs (no Array.shift), counters kept as it
 * goes, up to `maxInFlight` requests at once over kept-alive connections
 * (node:http rather than fetch, which costs several times more per request).
 */

export type PushKind = SimEvent["kind"];

export interface PushRecord {
  kind: PushKind;
  /** The message id, or the event id for other kinds. */
  msgId: string;
  platform: string;
  storeKey: string;
  buyerNick: string;
  /** The message text, or a short description of the event (`order paid 3012…`). */
  text: string;
  createdAt: string;
  firstAttemptAt: string | null;
  ackedAt: string | null;
  attempts: number;
  lastError: string | null;
}

export interface PushQueueOptions {
  /** One attempt's HTTP push; undefined when the platform does not push this event after all. */
  encode(event: SimEvent, attemptAt: Date): EncodedPush | undefined;
  retryMs: number;
  timeoutMs: number;
  maxInFlight: number;
  now: () => Date;
}

export interface PushCounts {
  total: number;
  acked: number;
  pending: number;
  inFlight: number;
  attempts: number;
  failedAttempts: number;
  byKind: Record<PushKind, number>;
}

export interface PushQueue {
  enqueue(event: SimEvent): PushRecord;
  /** Records in order; buyer messages only unless `kind` says otherwise ("all" for every kind). */
  records(filter?: { storeKey?: string | undefined; kind?: PushKind | "all" | undefined }): PushRecord[];
  counts(): PushCounts;
  setTarget(yunxiUrl: string | undefined): void;
  target(): string | undefined;
  /** Resolves true once nothing is pending, false on timeout. */
  settled(timeoutMs: number): Promise<boolean>;
  stop(): void;
}

interface Job {
  event: SimEvent;
  record: PushRecord;
}

/** A FIFO with O(1) push and shift. */
class Ring<T> {
  private items: Array<T | undefined> = new Array(64);
  private head = 0;
  private count = 0;
  get length() {
    return this.count;
  }
  push(item: T): void {
    if (this.count === this.items.length) {
      const grown: Array<T | undefined> = new Array(this.items.length * 2);
      for (let i = 0; i < this.count; i++) grown[i] = this.items[(this.head + i) % this.items.length];
      this.items = grown;
      this.head = 0;
    }
    this.items[(this.head + this.count) % this.items.length] = item;
    this.count++;
  }
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return item;
  }
}

function describe(event: SimEvent): Pick<PushRecord, "msgId" | "buyerNick" | "text" | "createdAt"> {
  switch (event.kind) {
    case "message":
      return {
        msgId: event.message.msgId,
        buyerNick: event.message.buyerNick,
        text: event.message.text,
        createdAt: event.message.createdAt.toISOString(),
      };
    case "order":
      return {
        msgId: event.event.eventId,
        buyerNick: event.event.order.buyerNick,
        text: `order ${event.event.change} ${event.event.order.orderId}`,
        createdAt: event.event.createdAt.toISOString(),
      };
    case "read":
      return {
        msgId: event.event.eventId,
        buyerNick: event.event.buyerNick,
        text: "read",
        createdAt: event.event.createdAt.toISOString(),
      };
    case "evaluation":
      return {
        msgId: event.event.eventId,
        buyerNick: event.event.buyerNick,
        text: `evaluation ${event.event.score} ${event.event.comment}`,
        createdAt: event.event.createdAt.toISOString(),
      };
  }
}

interface Agents {
  http: http.Agent;
  https: https.Agent;
}

/** POST one push; resolves with the status once the body is read, rejects on network errors and timeouts. */
function post(agents: Agents, url: string, push: EncodedPush, signal: AbortSignal, timeoutMs: number): Promise<number> {
  const target = new URL(url);
  const secure = target.protocol === "https:";
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      target,
      {
        method: "POST",
        headers: { ...push.headers, "content-length": String(Buffer.byteLength(push.body)) },
        agent: secure ? agents.https : agents.http,
        signal,
        timeout: timeoutMs,
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("timeout", () =>
      request.destroy(Object.assign(new Error(`timed out after ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
    );
    request.on("error", reject);
    request.end(push.body);
  });
}

const storeOf = (event: SimEvent) => (event.kind === "message" ? event.message : event.event);

export function createPushQueue(options: PushQueueOptions, initialTarget?: string): PushQueue {
  const records: PushRecord[] = [];
  const ready = new Ring<Job>();
  const retryTimers = new Set<NodeJS.Timeout>();
  const inFlight = new Set<AbortController>();
  const byKind: Record<PushKind, number> = { message: 0, order: 0, read: 0, evaluation: 0 };
  const agents: Agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: options.maxInFlight }),
    https: new https.Agent({ keepAlive: true, maxSockets: options.maxInFlight }),
  };
  let target = initialTarget?.replace(/\/+$/, "");
  let stopped = false;
  let pending = 0;
  let attempts = 0;
  let failedAttempts = 0;

  function pump(): void {
    while (!stopped && target && inFlight.size < options.maxInFlight && ready.length > 0) {
      void attempt(ready.shift() as Job, target);
    }
  }

  async function attempt(job: Job, base: string): Promise<void> {
    const { record } = job;
    const attemptAt = options.now();
    record.attempts++;
    attempts++;
    record.firstAttemptAt ??= attemptAt.toISOString();
    const push = options.encode(job.event, attemptAt);
    if (!push) {
      // Nothing to send for this platform after all: settled, not lost.
      record.ackedAt = attemptAt.toISOString();
      record.lastError = "not pushed by this platform";
      pending--;
      return;
    }
    const query = new URLSearchParams(push.query).toString();
    const url = `${base}${push.path}${query ? `?${query}` : ""}`;
    const controller = new AbortController();
    inFlight.add(controller);
    let error: string | null = null;
    try {
      const status = await post(agents, url, push, controller.signal, options.timeoutMs);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      error = (e as { code?: string }).code ?? (e as Error).message;
    } finally {
      inFlight.delete(controller);
    }
    if (error === null) {
      record.ackedAt = options.now().toISOString();
      record.lastError = null;
      pending--;
    } else {
      failedAttempts++;
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
    enqueue(event) {
      const source = storeOf(event);
      const record: PushRecord = {
        kind: event.kind,
        ...describe(event),
        platform: source.platform,
        storeKey: source.storeKey,
        firstAttemptAt: null,
        ackedAt: null,
        attempts: 0,
        lastError: null,
      };
      records.push(record);
      byKind[event.kind]++;
      pending++;
      ready.push({ event, record });
      pump();
      return record;
    },
    records: (filter) => {
      const kind = filter?.kind ?? "message";
      return records
        .filter(
          (r) =>
            (kind === "all" || r.kind === kind) && (filter?.storeKey === undefined || r.storeKey === filter.storeKey),
        )
        .map((r) => ({ ...r }));
    },
    counts: () => ({
      total: records.length,
      acked: records.length - pending,
      pending,
      inFlight: inFlight.size,
      attempts,
      failedAttempts,
      byKind: { ...byKind },
    }),
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
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
