import { type Conversation, type Message, widgetChannel } from "@yunxi/contracts";
import type { Namespace, Server } from "socket.io";
import type { AppContext } from "../../../platform/context.ts";
import { registerChannelSender } from "../../connect/index.ts";
import { widgetMessageOf } from "./messages.ts";
import { readVisitorToken, type VisitorClaims } from "./visitor-token.ts";

export const WIDGET_NAMESPACE = "/widget";

const visitorRoom = (storeId: string, visitorId: string) => `visitor:${storeId}:${visitorId}`;

/**
 * The visitors' side of realtime: the `/widget` namespace, apart from the agents'
 * gateway (which authenticates by session cookie). A visitor's socket shows the
 * token the server issued and joins only its own room. Rooms go through the
 * gateway's adapter, so with Redis a reply sent on any node reaches the visitor.
 */
export function openVisitorNamespace(ctx: AppContext, io: Server): { namespace: Namespace; close: () => void } {
  const namespace = io.of(WIDGET_NAMESPACE);
  namespace.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as { token?: unknown };
    const claims = readVisitorToken(ctx.vault, typeof auth.token === "string" ? auth.token : undefined, ctx.now());
    if (!claims) return next(new Error("unauthenticated"));
    socket.data.visitor = claims;
    next();
  });
  namespace.on("connection", (socket) => {
    const visitor = socket.data.visitor as VisitorClaims;
    socket.join(visitorRoom(visitor.s, visitor.v));
  });

  // The visitor's own messages, to their other tabs and devices.
  const unsubscribe = ctx.bus.subscribe((events) => {
    for (const e of events) {
      if (e.type !== "message.created") continue;
      const { message, conversation } = e.payload as { message: Message; conversation: Conversation };
      if (conversation.platform !== "webchat" || message.direction !== "inbound") continue;
      namespace
        .to(visitorRoom(conversation.storeId, conversation.customer.platformBuyerId))
        .emit(widgetChannel.message, widgetMessageOf(message));
    }
  });

  // Agents' replies: the delivery worker hands them here; a visitor who is away reads them in the history.
  registerChannelSender(ctx, "webchat", async ({ target, message, buyer }) => {
    namespace
      .to(visitorRoom(target.store.id, buyer.platformBuyerId))
      .emit(widgetChannel.message, widgetMessageOf(message));
    return { platformMessageId: `webchat:${message.id}` };
  });

  return { namespace, close: unsubscribe };
}

/**
 * Whether anyone serving the store is connected to the agents' gateway. The room
 * names are the gateway's (`store:<id>`, `org:<orgId>:all` for supervisors);
 * fetchSockets asks every node when clustered.
 */
export async function agentsOnline(io: Server, orgId: string, storeId: string): Promise<boolean> {
  const sockets = await io
    .of("/")
    .in([`store:${storeId}`, `org:${orgId}:all`])
    .fetchSockets();
  return sockets.length > 0;
}
