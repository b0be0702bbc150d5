import { createAdapter } from "@socket.io/redis-adapter";
import { type RealtimeEvent, ResumeAuth, realtimeChannel } from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import { Server, type Socket } from "socket.io";
import type { AppContext } from "../../platform/context.ts";
import { eventsSince, type LoggedEvent, latestSeq } from "../../platform/events/log.ts";
import { type Actor, resolveSession, SESSION_COOKIE } from "../identity/index.ts";
import { listStores } from "../stores/index.ts";

const CATCH_UP_PAGE = 500;

const storeRoom = (storeId: string) => `store:${storeId}`;
const userRoom = (userId: string) => `user:${userId}`;
/** Supervisors and above: every store of the org, including stores created after they connected. */
const orgRoom = (orgId: string) => `org:${orgId}:all`;

export function toRealtimeEvent(e: LoggedEvent): RealtimeEvent {
  return { seq: e.seq, type: e.type, storeId: e.storeId, ...e.payload } as RealtimeEvent;
}

export interface RealtimeGateway {
  io: Server;
  close(): Promise<void>;
}

/**
 * socket.io gateway. An agent's socket joins the rooms of the stores they serve,
 * so events of other stores never reach it. A reconnecting client sends the last
 * seq it saw and first receives everything after it from the event log.
 */
export function startGateway(app: FastifyInstance, ctx: AppContext): RealtimeGateway {
  const io = new Server(app.server, { serveClient: false, cors: { origin: false } });
  const redis = ctx.config.redisUrl ? attachRedis(io, ctx.config.redisUrl) : null;

  io.use(async (socket, next) => {
    try {
      const cookies = app.parseCookie(socket.handshake.headers.cookie ?? "");
      const token = cookies[SESSION_COOKIE];
      const actor = token ? await resolveSession(ctx, token) : null;
      if (!actor) return next(new Error("unauthenticated"));
      socket.data.actor = actor;
      next();
    } catch (err) {
      next(err instanceof Error ? err : new Error(String(err)));
    }
  });

  io.on("connection", (socket) => {
    onConnection(ctx, socket).catch((err: unknown) => {
      ctx.log.error({ err }, "realtime connection setup failed");
      socket.disconnect(true);
    });
  });

  // Revocation is instant: a revoked session's or a changed user's sockets are signed out on
  // every node (the adapter carries disconnectSockets); a client then reconnects, is refused or
  // rejoins the rooms of the stores it now serves, and resumes from its last seq.
  const unwatch = ctx.bus.onChanged((kind, id) => {
    if (kind === "session") disconnectSession(io, id);
    if (kind === "user") io.in(userRoom(id)).disconnectSockets(true);
  });

  const unsubscribe = ctx.bus.subscribe((events) => {
    for (const e of events) {
      const rooms = e.storeId ? [storeRoom(e.storeId), orgRoom(e.orgId)] : [orgRoom(e.orgId)];
      // An agent's own status (auto-away, a supervisor's change) reaches them too, not only supervisors.
      if (e.type === "agent.updated") rooms.push(userRoom((e.payload.agent as { userId: string }).userId));
      io.to(rooms).emit(realtimeChannel.event, toRealtimeEvent(e));
    }
  });

  return {
    io,
    async close() {
      unsubscribe();
      unwatch();
      await io.close();
      if (redis) await Promise.all([redis.pub.quit(), redis.sub.quit()]);
    },
  };
}

async function onConnection(ctx: AppContext, socket: Socket): Promise<void> {
  const actor = socket.data.actor as Actor;
  socket.join([`session:${actor.sessionId}`, userRoom(actor.userId)]);
  // Join first, then catch up: an event committed in between arrives twice (clients dedupe by seq), never zero times.
  if (actor.storeIds === null) {
    socket.join(orgRoom(actor.orgId));
  } else {
    const stores = await listStores(ctx.db, actor);
    socket.join(stores.map((s) => storeRoom(s.id)));
  }
  const resume = ResumeAuth.safeParse(socket.handshake.auth ?? {});
  let seq = resume.success && resume.data.lastSeq !== undefined ? resume.data.lastSeq : null;
  if (seq === null) {
    seq = await latestSeq(ctx.db, actor.orgId);
  } else {
    for (;;) {
      const page = await eventsSince(ctx.db, actor.orgId, seq, actor.storeIds, CATCH_UP_PAGE);
      for (const e of page) socket.emit(realtimeChannel.event, toRealtimeEvent(e));
      if (page.length > 0) seq = page[page.length - 1]!.seq;
      if (page.length < CATCH_UP_PAGE) break;
    }
  }
  socket.emit(realtimeChannel.synced, { seq });
}

function attachRedis(io: Server, url: string) {
  const pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: null });
  const sub = pub.duplicate();
  io.adapter(createAdapter(pub, sub));
  return { pub, sub };
}

/** Sign a revoked session's sockets out at once, on every node. */
export function disconnectSession(io: Server, sessionId: string): void {
  io.in(`session:${sessionId}`).disconnectSockets(true);
}
