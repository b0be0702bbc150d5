import { type WidgetMessage, widgetChannel } from "@yunxi/contracts";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, testDb } from "../../../../test/harness.ts";
import { waitFor } from "../../../../test/wait.ts";
import { type ChannelWorld, connectAgent, conversationOf, messagesOf, startChannelWorld } from "../testing.ts";
import { signIdentity } from "./identity-signature.ts";

const run = testDb === "pglite" || (await postgresAvailable());

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

describe.runIf(run)(`web chat widget: visitor ↔ agent (${testDb})`, () => {
  let w: ChannelWorld;
  let storeKey: string;
  const widget = (
    path: string,
    init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${w.t.url}/widget/${storeKey}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        ...(init.body !== undefined && { "content-type": "application/json" }),
        ...(init.token && { authorization: `Bearer ${init.token}` }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }).then(async (res) => ({ status: res.status, headers: res.headers, body: (await res.json()) as any }));

  const visitorSocket = async (token: string) => {
    const received: WidgetMessage[] = [];
    const socket: Socket = io(`${w.t.url}/widget`, {
      transports: ["websocket"],
      auth: { token },
      reconnection: false,
      forceNew: true,
    });
    socket.on(widgetChannel.message, (m: WidgetMessage) => received.push(m));
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    return { socket, received };
  };

  beforeAll(async () => {
    w = await startChannelWorld([
      { key: "web", platform: "webchat", name: "旗舰店" },
      { key: "web2", platform: "webchat", name: "品牌站", credentials: { allowedOrigins: ["https://shop.example"] } },
    ]);
    storeKey = w.stores.web!.storeKey;
  });
  afterAll(() => w?.close());

  it("takes an anonymous visitor's message to the agent, labelled 官网-<store>, and the reply back to the visitor's socket", async () => {
    const session = await widget("/session", { body: {} });
    expect(session.status).toBe(200);
    expect(session.headers.get("access-control-allow-origin")).toBe("*");
    expect(session.body.visitor.identified).toBe(false);
    expect(session.body.agentsOnline).toBe(false);
    const visitor = await visitorSocket(session.body.token);

    const offline = await widget("/messages", {
      token: session.body.token,
      body: { clientId: "c-0000001", text: "在吗？有42码吗" },
    });
    expect(offline.status).toBe(200);
    expect(offline.body.offline).toBe(true);
    expect(offline.body.message.from).toBe("visitor");
    const again = await widget("/messages", {
      token: session.body.token,
      body: { clientId: "c-0000001", text: "在吗？有42码吗" },
    });
    expect(again.body.duplicate).toBe(true);

    const conversation = await waitFor("conversation", () => conversationOf(w.agent, session.body.visitor.name));
    expect(conversation.storeLabel).toBe("官网-旗舰店");
    expect(conversation.platform).toBe("webchat");
    expect(await messagesOf(w.agent, conversation.id)).toHaveLength(1);

    const agentSocket = await connectAgent(w.t.url, w.agent);
    const online = await widget("/messages", {
      token: session.body.token,
      body: { clientId: "c-0000002", text: "有人吗" },
    });
    expect(online.body.offline).toBe(false);

    const sent = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "亲，42码有货哦",
      idempotencyKey: "widget-reply-1",
    });
    expect(sent.status).toBe(201);
    const reply = await waitFor("the reply on the visitor's socket", () =>
      visitor.received.find((m) => m.from === "agent"),
    );
    expect(reply).toMatchObject({ id: sent.body.id, text: "亲，42码有货哦", kind: "text" });
    await waitFor(
      "sent",
      async () =>
        (await messagesOf(w.agent, conversation.id)).find((m) => m.id === sent.body.id)?.deliveryStatus === "sent",
    );
    // The visitor's own messages reach their other tabs too.
    expect(visitor.received.filter((m) => m.from === "visitor").map((m) => m.text)).toContain("有人吗");
    visitor.socket.close();
    agentSocket.close();
  });

  it("resumes after a reload: the same visitor and the whole thread from history", async () => {
    const first = await widget("/session", { body: {} });
    await widget("/messages", { token: first.body.token, body: { clientId: "resume-01", text: "我要退货" } });
    const conversation = await waitFor("conversation", () => conversationOf(w.agent, first.body.visitor.name));
    const sent = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "好的，请提供订单号",
      idempotencyKey: "widget-reply-2",
    });
    await waitFor(
      "sent",
      async () =>
        (await messagesOf(w.agent, conversation.id)).find((m) => m.id === sent.body.id)?.deliveryStatus === "sent",
    );

    const reloaded = await widget("/session", { body: { token: first.body.token } });
    expect(reloaded.body.visitor.id).toBe(first.body.visitor.id);
    const history = await widget("/messages", { token: reloaded.body.token });
    expect(history.status).toBe(200);
    expect(history.body.items.map((m: WidgetMessage) => [m.from, m.text])).toEqual([
      ["visitor", "我要退货"],
      ["agent", "好的，请提供订单号"],
    ]);
    // Another visitor's token reads nothing of it, and no token reads nothing at all.
    const stranger = await widget("/session", { body: {} });
    expect((await widget("/messages", { token: stranger.body.token })).body.items).toEqual([]);
    expect((await widget("/messages")).status).toBe(401);
  });

  it("accepts an identified visitor signed with the store secret and refuses forged or stale signatures", async () => {
    const secret = w.stores.web!.appSecret;
    const ts = Math.floor(Date.now() / 1000);
    const good = { userId: "42", name: "张三", ts, signature: signIdentity(secret, "42", ts) };
    const ok = await widget("/session", { body: { identity: good } });
    expect(ok.status).toBe(200);
    expect(ok.body.visitor).toEqual({ id: "user:42", name: "张三", identified: true });
    await widget("/messages", { token: ok.body.token, body: { clientId: "ident-001", text: "我是会员" } });
    const conversation = await waitFor("conversation", () => conversationOf(w.agent, "张三"));
    expect(conversation.customer.platformBuyerId).toBe("user:42");

    const forged = await widget("/session", {
      body: { identity: { ...good, signature: signIdentity("not-the-secret", "42", ts) } },
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe("bad_signature");
    const otherUser = await widget("/session", { body: { identity: { ...good, userId: "43" } } });
    expect(otherUser.status).toBe(401);
    const old = ts - 3600;
    const stale = await widget("/session", {
      body: { identity: { ...good, ts: old, signature: signIdentity(secret, "42", old) } },
    });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe("stale_timestamp");
  });

  it("takes images as checked uploads and serves them back with their type", async () => {
    const session = await widget("/session", { body: {} });
    const upload = (body: Buffer, type: string) =>
      fetch(`${w.t.url}/widget/${storeKey}/uploads`, {
        method: "POST",
        headers: { "content-type": type, authorization: `Bearer ${session.body.token}` },
        body: new Uint8Array(body),
      });
    const res = await upload(PNG, "image/png");
    expect(res.status).toBe(201);
    const { url } = (await res.json()) as { url: string };
    const served = await fetch(`${w.t.url}${url}`);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);

    expect((await upload(Buffer.from("<svg onload=alert(1)>"), "image/png")).status).toBe(415);
    expect((await upload(Buffer.from("<svg/>"), "image/svg+xml")).status).toBe(415);
    expect((await upload(Buffer.alloc(6 * 1024 * 1024, 0x89), "image/png")).status).toBe(413);

    const sent = await widget("/messages", {
      token: session.body.token,
      body: { clientId: "img-00001", imageUrl: url },
    });
    expect(sent.body.message).toMatchObject({ kind: "image", imageUrl: url });
    const conversation = await waitFor("conversation", () => conversationOf(w.agent, session.body.visitor.name));
    const [message] = await messagesOf(w.agent, conversation.id);
    expect(message!.kind).toBe("image");
    const elsewhere = await widget("/messages", {
      token: session.body.token,
      body: { clientId: "img-00002", imageUrl: "https://evil.example/pixel.png" },
    });
    expect(elsewhere.status).toBe(400);
  });

  it("keeps a store's widget to its allowed origins, and a token to its store", async () => {
    const key = w.stores.web2!.storeKey;
    const post = (origin: string) =>
      fetch(`${w.t.url}/widget/${key}/session`, {
        method: "POST",
        headers: { "content-type": "application/json", origin },
        body: "{}",
      });
    const allowed = await post("https://shop.example");
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect((await post("https://copycat.example")).status).toBe(403);
    const preflight = await fetch(`${w.t.url}/widget/${key}/messages`, {
      method: "OPTIONS",
      headers: { origin: "https://shop.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);

    const token = ((await allowed.json()) as { token: string }).token;
    expect((await widget("/messages", { token })).status).toBe(401);
    const bad = io(`${w.t.url}/widget`, {
      transports: ["websocket"],
      auth: { token: "wv1.forged.token" },
      reconnection: false,
    });
    const refused = await new Promise<string>((resolve) => bad.once("connect_error", (e) => resolve(e.message)));
    expect(refused).toBe("unauthenticated");
    bad.close();
    expect(
      (
        await fetch(`${w.t.url}/widget/no-such-store/session`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
    ).toBe(404);
  });
});
