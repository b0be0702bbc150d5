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
    const parsed = RealtimeEventSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn("yunxi: ignored a realtime event that does not match the contract", parsed.error);
      return;
    }
    const event = parsed.data;
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

function seqOf(payload: unknown): number | null {
  if (typeof payload !== "object" || payload === null) return null;
  for (const key of ["lastSeq", "seq"] as const) {
    const value = key in payload ? (payload as Record<string, unknown>)[key] : undefined;
    if (typeof value === "number" && Number.isInteger(value)) return value;
  }
  return null;
}
