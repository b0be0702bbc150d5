import type { WidgetMessage, WidgetSession } from "@yunxi/contracts";
import { io, type Socket } from "socket.io-client";

/**
 * One shopper on the merchant's own site, speaking the widget's real protocol:
 * `POST /widget/<storeKey>/session`, `POST …/messages`, and the `/widget`
 * socket for the agent's replies — what the embedded widget.js does in a browser.
 */
export interface SimVisitor {
  readonly name: string;
  readonly replies: WidgetMessage[];
  say(text: string): Promise<{ offline: boolean }>;
  /** Resolves with the next agent reply, or null after timeoutMs. */
  nextReply(timeoutMs: number): Promise<WidgetMessage | null>;
  close(): void;
}

export async function startVisitor(yunxiUrl: string, storeKey: string): Promise<SimVisitor> {
  const base = `${yunxiUrl}/widget/${encodeURIComponent(storeKey)}`;
  const call = async <T>(path: string, token: string | null, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`widget ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const session = await call<WidgetSession>("/session", null, {});
  const replies: WidgetMessage[] = [];
  const waiters: ((m: WidgetMessage) => void)[] = [];
  const socket: Socket = io(`${yunxiUrl}/widget`, {
    transports: ["websocket"],
    auth: { token: session.token },
    forceNew: true,
  });
  socket.on("widget:message", (m: WidgetMessage) => {
    if (m.from !== "agent" || replies.some((r) => r.id === m.id)) return;
    replies.push(m);
    for (const w of waiters.splice(0)) w(m);
  });
  let sequence = 0;
  return {
    name: session.visitor.name,
    replies,
    async say(text) {
      const clientId = `sim${Date.now().toString(36)}${(sequence++).toString(36)}`.padEnd(8, "0");
      const result = await call<{ offline: boolean }>("/messages", session.token, { clientId, text });
      return { offline: result.offline };
    },
    nextReply(timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        waiters.push((m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    },
    close: () => socket.close(),
  };
}
