import type { RealtimeEvent } from "@yunxi/contracts";
import { RealtimeEvent as RealtimeEventSchema, realtimeChannel } from "@yunxi/contracts";
import { io } from "socket.io-client";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

export type RealtimeHandlers = {
  /** Events in arrival order, batched per ~frame so a catch-up burst renders once. */
  onEvents: (events: RealtimeEvent[]) => void;
  onState: (state: ConnectionState) => void;
  /**
   * A reconnect that could not resume from a seq (no event seen yet): what happened while
   * offline is unknown, so the caller reloads what it shows.
   */
  onResyncNeeded: () => void;
  /** The server refused the connection (e.g. the session ended); the caller checks the session. */
  onRejected: () => void;
};

const batchDelayMs = 25;
const rejectedRetryMs = [2_000, 5_000, 10_000, 30_000] as const;

/**
 * One socket.io connection to the realtime gateway. The cookie authenticates it; `auth.lastSeq`
 * is evaluated on every (re)connect, so a resumed connection receives what it missed.
 * Returns a function that closes the connection.
 */
export function connectRealtime(handlers: RealtimeHandlers): () => void {
  let lastSeq = 0;
  let everConnected = false;
  let rejections = 0;
  let queue: RealtimeEvent[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const socket = io({
    auth: (send) => send(lastSeq > 0 ? { lastSeq } : {}),
    transports: ["websocket", "polling"],
  });

  const flush = () => {
    flushTimer = undefined;
    const events = queue;
    queue = [];
    if (events.length > 0) handlers.onEvents(events);
  };

  handlers.onState("connecting");

  socket.on("connect", () => {
    rejections = 0;
    handlers.onState("connected");
    if (everConnected && lastSeq === 0) handlers.onResyncNeeded();
    everConnected = true;
  });

  socket.on("disconnect", (reason) => {
    flush();
    handlers.onState("reconnecting");
    // The server closed this socket on purpose (e.g. a deploy); socket.io does not retry that by itself.
    if (reason === "io server disconnect") socket.connect();
  });

  socket.on("connect_error", () => {
    if (socket.active) {
      handlers.onState("reconnecting");
      return;
    }
    // Refused by the server's middleware: socket.io will not retry on its own.
    handlers.onState("offline");
    handlers.onRejected();
    const delay = rejectedRetryMs[Math.min(rejections, rejectedRetryMs.length - 1)];
    rejections++;
    retryTimer = setTimeout(() => socket.connect(), delay);
  });

  socket.on(realtimeChannel.event, (raw: unknown) => {
    const read = readEvent(raw);
    if (read.kind === "unknown") {
      // A newer server's event type: nothing here shows it, but it is part of the log we resume from.
      if (read.seq > lastSeq) lastSeq = read.seq;
      return;
    }
    if (read.kind === "invalid") {
      console.warn("yunxi: ignored a realtime event that does not match the contract", read.error);
      return;
    }
    const event = read.event;
    if (event.seq <= lastSeq) return;
    lastSeq = event.seq;
    queue.push(event);
    flushTimer ??= setTimeout(flush, batchDelayMs);
  });

  socket.on(realtimeChannel.synced, (payload: unknown) => {
    // If the server tells where the log stands, resume from there next time even before any event.
    const seq = seqOf(payload);
    if (seq !== null && seq > lastSeq && queue.length === 0) lastSeq = seq;
    flush();
  });

  return () => {
    clearTimeout(flushTimer);
    clearTimeout(retryTimer);
    socket.removeAllListeners();
    socket.disconnect();
  };
}

const knownTypes: ReadonlySet<string> = new Set(RealtimeEventSchema.options.map((option) => option.shape.type.value));

export type ReadEvent =
  | { kind: "event"; event: RealtimeEvent }
  /** A type this client does not know yet: skipped quietly. */
  | { kind: "unknown"; seq: number }
  /** A known type that breaks the contract: a bug worth a warning. */
  | { kind: "invalid"; error: unknown };

/** Checks a socket payload against the contract, telling new event types from broken ones. */
export function readEvent(raw: unknown): ReadEvent {
  const parsed = RealtimeEventSchema.safeParse(raw);
  if (parsed.success) return { kind: "event", event: parsed.data };
  const record = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const { type, seq } = record;
  if (typeof type === "string" && !knownTypes.has(type) && typeof seq === "number" && Number.isInteger(seq)) {
    return { kind: "unknown", seq };
  }
  return { kind: "invalid", error: parsed.error };
}

function seqOf(payload: unknown): number | null {
  if (typeof payload !== "object" || payload === null) return null;
  for (const key of ["lastSeq", "seq"] as const) {
    const value = key in payload ? (payload as Record<string, unknown>)[key] : undefined;
    if (typeof value === "number" && Number.isInteger(value)) return value;
  }
  return null;
}
