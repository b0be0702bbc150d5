import { type RealtimeEvent, realtimeChannel } from "@yunxi/contracts";
import { personalities, type SimStore } from "@yunxi/marketplaces/simulator";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../../test/api-client.ts";
import { type DemoWorld, startDemoWorld } from "../../../test/demo-world.ts";
import { postgresAvailable, testDb } from "../../../test/harness.ts";
import { waitFor } from "../../../test/wait.ts";

const run = testDb === "pglite" || (await postgresAvailable());

function connectSocket(w: DemoWorld, client: ApiClient, lastSeq?: number) {
  const events: RealtimeEvent[] = [];
  const socket: Socket = io(w.t.url, {
    transports: ["websocket"],
    extraHeaders: { cookie: client.cookie },
    auth: lastSeq === undefined ? {} : { lastSeq },
    reconnection: false,
  });
  socket.on(realtimeChannel.event, (e: RealtimeEvent) => events.push(e));
  const synced = new Promise<number>((resolve) =>
    socket.once(realtimeChannel.synced, (s: { seq: number }) => resolve(s.seq)),
  );
  return { socket, events, synced };
}

async function conversationOf(client: ApiClient, buyerNick: string) {
  const list = await client.get("/api/conversations");
  return list.body.items.find((c: { customer: { displayName: string } }) => c.customer.displayName === buyerNick);
}

describe.runIf(run)(`the core loop: Taobao buyer → inbox → reply → buyer (${testDb})`, () => {
  let w: DemoWorld;
  let agent1: ApiClient;
  let agent2: ApiClient;
  let flagship: SimStore;

  beforeAll(async () => {
    w = await startDemoWorld();
    agent1 = await w.login("agent1");
    agent2 = await w.login("agent2");
    flagship = { ...w.demo.stores[0]!, signMethod: "hmac-sha256" };
  });
  afterAll(() => w?.close());

  it("delivers a buyer message to the agent of that store in realtime, and to nobody else", async () => {
    const a1 = connectSocket(w, agent1);
    const a2 = connectSocket(w, agent2);
    await Promise.all([a1.synced, a2.synced]);
    const said = w.sim.say({ storeKey: flagship.storeKey, buyerNick: "tb_小鹿乱撞", text: "在吗？这双鞋42码有货吗" })!;
    const event = await waitFor("the message event", () => a1.events.find((e) => e.type === "message.created"));
    expect(event.type === "message.created" && event.message.body).toBe("在吗？这双鞋42码有货吗");
    expect(event.type === "message.created" && event.conversation.storeLabel).toBe("淘宝-旗舰店");
    const conversation = await conversationOf(agent1, said.buyerNick);
    expect(conversation.unreadCount).toBe(1);
    expect(await conversationOf(agent2, said.buyerNick)).toBeUndefined();
    expect((await agent2.get(`/api/conversations/${conversation.id}/messages`)).status).toBe(404);
    expect(a2.events).toHaveLength(0);
    a1.socket.close();
    a2.socket.close();
  });

  it("sends the agent's reply through the Taobao gateway exactly once, idempotently", async () => {
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: "tb_回复测试", text: "什么时候发货" });
    const conversation = await waitFor("conversation", () => conversationOf(agent1, "tb_回复测试"));
    const body = { body: "亲，今天下午四点前发出哦", idempotencyKey: "reply-key-0001" };
    const first = await agent1.post(`/api/conversations/${conversation.id}/messages`, body);
    expect(first.status).toBe(201);
    expect(first.body.deliveryStatus).toBe("pending");
    const again = await agent1.post(`/api/conversations/${conversation.id}/messages`, body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    await waitFor("sent", async () => {
      const list = await agent1.get(`/api/conversations/${conversation.id}/messages`);
      return list.body.items.find((m: { id: string }) => m.id === first.body.id).deliveryStatus === "sent";
    });
    const replies = w.sim.replies({ storeKey: flagship.storeKey, buyerNick: "tb_回复测试" });
    expect(replies.map((r) => r.text)).toEqual(["亲，今天下午四点前发出哦"]);
    const after = await agent1.get(`/api/conversations/${conversation.id}`);
    expect(after.body.firstResponseAt).not.toBeNull();
  });

  it("treats a repeated push as a no-op and acknowledges it again", async () => {
    const personality = personalities.taobao!;
    const message = {
      msgId: "dup-msg-0001",
      envelopeId: 99001,
      platform: "taobao" as const,
      storeKey: flagship.storeKey,
      buyerNick: "tb_重复推送",
      text: "重复的消息",
      createdAt: new Date(),
    };
    for (let i = 0; i < 2; i++) {
      const push = personality.encodePush(flagship, message, new Date());
      const res = await fetch(`${w.t.url}${push.path}?${new URLSearchParams(push.query)}`, {
        method: "POST",
        headers: push.headers,
        body: push.body,
      });
      expect(res.status).toBe(200);
    }
    const conversation = await waitFor("conversation", () => conversationOf(agent1, "tb_重复推送"));
    const messages = await agent1.get(`/api/conversations/${conversation.id}/messages`);
    expect(messages.body.items).toHaveLength(1);
  });

  it("refuses forged, stale and misaddressed pushes and writes nothing", async () => {
    const personality = personalities.taobao!;
    const base = {
      envelopeId: 99002,
      platform: "taobao" as const,
      storeKey: flagship.storeKey,
      buyerNick: "tb_伪造者",
      text: "伪造",
      createdAt: new Date(),
    };
    const post = (push: {
      path: string;
      query: Record<string, string>;
      headers: Record<string, string>;
      body: string;
    }) =>
      fetch(`${w.t.url}${push.path}?${new URLSearchParams(push.query)}`, {
        method: "POST",
        headers: push.headers,
        body: push.body,
      });
    const forged = personality.encodePush(
      { ...flagship, appSecret: "not-the-secret" },
      { ...base, msgId: "f1" },
      new Date(),
    );
    expect((await post(forged)).status).toBe(401);
    const stale = personality.encodePush(flagship, { ...base, msgId: "f2" }, new Date(Date.now() - 3600_000));
    const staleRes = await post(stale);
    expect(staleRes.status).toBe(401);
    expect(((await staleRes.json()) as { error: { code: string } }).error.code).toBe("stale_timestamp");
    const good = personality.encodePush(flagship, { ...base, msgId: "f3" }, new Date());
    expect((await post({ ...good, path: "/connect/taobao/no-such-store" })).status).toBe(404);
    expect((await post({ ...good, body: `${good.body} ` })).status).toBe(401);
    expect((await post({ ...good, body: "{oops" })).status).toBeGreaterThanOrEqual(400);
    expect(await conversationOf(agent1, "tb_伪造者")).toBeUndefined();
  });

  it("keeps a reply pending while the platform is down and delivers it once it recovers", async () => {
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: "tb_网络波动", text: "人呢" });
    const conversation = await waitFor("conversation", () => conversationOf(agent1, "tb_网络波动"));
    w.sim.setFaults({ down: true });
    const sent = await agent1.post(`/api/conversations/${conversation.id}/messages`, {
      body: "来了来了",
      idempotencyKey: "reply-down-0001",
    });
    const pendingWithError = await waitFor("a failed attempt", async () => {
      const list = await agent1.get(`/api/conversations/${conversation.id}/messages`);
      const m = list.body.items.find((x: { id: string }) => x.id === sent.body.id);
      return m.deliveryAttempts >= 1 && m;
    });
    expect(pendingWithError.deliveryStatus).toBe("pending");
    expect(pendingWithError.deliveryError).toBeTruthy();
    w.sim.clearFaults();
    await waitFor(
      "delivery after recovery",
      async () => {
        const list = await agent1.get(`/api/conversations/${conversation.id}/messages`);
        return list.body.items.find((x: { id: string }) => x.id === sent.body.id).deliveryStatus === "sent";
      },
      30_000,
    );
    expect(w.sim.replies({ buyerNick: "tb_网络波动" }).map((r) => r.text)).toEqual(["来了来了"]);
  });

  it("fails a reply the platform refuses, shows why, and sends it on retry", async () => {
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: "tb_授权失效", text: "你好" });
    const conversation = await waitFor("conversation", () => conversationOf(agent1, "tb_授权失效"));
    const owner = await w.login("owner");
    const storeId = w.demo.stores[0]!.id;
    const good = { appKey: flagship.appKey, appSecret: flagship.appSecret, accessToken: flagship.accessToken };
    await owner.patch(`/api/stores/${storeId}`, { credentials: { ...good, appSecret: "wrong-secret" } });
    const sent = await agent1.post(`/api/conversations/${conversation.id}/messages`, {
      body: "在的亲",
      idempotencyKey: "reply-fail-0001",
    });
    const failed = await waitFor("failed", async () => {
      const list = await agent1.get(`/api/conversations/${conversation.id}/messages`);
      const m = list.body.items.find((x: { id: string }) => x.id === sent.body.id);
      return m.deliveryStatus === "failed" && m;
    });
    expect(failed.deliveryError).toMatch(/25|signature/i);
    await owner.patch(`/api/stores/${storeId}`, { credentials: good });
    expect((await agent1.post(`/api/messages/${sent.body.id}/retry`)).status).toBe(200);
    await waitFor("sent after retry", async () => {
      const list = await agent1.get(`/api/conversations/${conversation.id}/messages`);
      return list.body.items.find((x: { id: string }) => x.id === sent.body.id).deliveryStatus === "sent";
    });
    expect(w.sim.replies({ buyerNick: "tb_授权失效" })).toHaveLength(1);
  });

  it("gives a reconnecting client everything after the last seq it saw", async () => {
    const first = connectSocket(w, agent1);
    const seq = await first.synced;
    first.socket.close();
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: "tb_断线重连", text: "我断线了吗" });
    await waitFor("stored", () => conversationOf(agent1, "tb_断线重连"));
    const again = connectSocket(w, agent1, seq);
    await again.synced;
    const missed = again.events.find((e) => e.type === "message.created" && e.message.body === "我断线了吗");
    expect(missed).toBeDefined();
    expect(again.events.every((e) => e.seq > seq)).toBe(true);
    again.socket.close();
  });

  it("marks read, resolves, opens a new conversation for a returning buyer, and refuses a second open one", async () => {
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: "tb_已解决", text: "谢谢，收到了" });
    const first = await waitFor("conversation", () => conversationOf(agent1, "tb_已解决"));
    const read = await agent1.post(`/api/conversations/${first.id}/read`);
    expect(read.body.unreadCount).toBe(0);
    const resolved = await agent1.patch(`/api/conversations/${first.id}`, { status: "resolved" });
    expect(resolved.body.status).toBe("resolved");
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: "tb_已解决", text: "又有问题了" });
    const second = await waitFor("a new conversation", async () => {
      const c = await conversationOf(agent1, "tb_已解决");
      return c && c.id !== first.id && c;
    });
    expect(second.status).toBe("open");
    const reopen = await agent1.patch(`/api/conversations/${first.id}`, { status: "open" });
    expect(reopen.status).toBe(409);
    expect(reopen.body.error.code).toBe("conflict");
  });

  it("signs a logged-out session's socket out at once, and moves an agent's socket when their stores change", async () => {
    const extra = await w.login("agent1");
    const revoked = connectSocket(w, extra);
    await revoked.synced;
    const closed = new Promise<string>((resolve) => revoked.socket.once("disconnect", resolve));
    expect((await extra.post("/api/auth/logout")).status).toBe(204);
    expect(await closed).toBe("io server disconnect");

    const agent2Again = await w.login("agent2");
    const moved = connectSocket(w, agent2Again);
    await moved.synced;
    const gone = new Promise<string>((resolve) => moved.socket.once("disconnect", resolve));
    const owner = await w.login("owner");
    const agent2Id = (await owner.get("/api/users")).body.items.find((u: { email: string }) =>
      u.email.startsWith("agent2@"),
    ).id;
    const flagshipId = w.demo.stores[0]!.id;
    expect((await owner.patch(`/api/users/${agent2Id}`, { storeIds: [flagshipId] })).status).toBe(200);
    expect(await gone).toBe("io server disconnect");
    // Reconnected with the new membership, agent2 now receives the flagship's events.
    const after = connectSocket(w, agent2Again, await moved.synced);
    await after.synced;
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: "tb_换店测试", text: "换了店能看到吗" });
    await waitFor("flagship event for agent2", () =>
      after.events.find((e) => e.type === "message.created" && e.message.body === "换了店能看到吗"),
    );
    after.socket.close();
  });

  it("answers bad input with 4xx and the error shape", async () => {
    const list = await agent1.get("/api/conversations");
    const id = list.body.items[0].id;
    const empty = await agent1.post(`/api/conversations/${id}/messages`, { body: "  ", idempotencyKey: "k-empty-01" });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("validation_failed");
    const unknown = await agent1.post(`/api/conversations/${id}/messages`, {
      body: "hi",
      idempotencyKey: "k-unknown-1",
      html: "<b>",
    });
    expect(unknown.status).toBe(400);
    const huge = await agent1.post(`/api/conversations/${id}/messages`, {
      body: "长".repeat(300_000),
      idempotencyKey: "k-huge-001",
    });
    expect(huge.status).toBe(413);
    expect((await agent1.get("/api/conversations/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await agent1.get("/api/conversations?limit=100000")).status).toBe(400);
  });

  it("counts inbound and outbound messages in /metrics", async () => {
    const res = await fetch(`${w.t.url}/metrics`);
    const text = await res.text();
    expect(text).toMatch(/yunxi_inbound_messages_total\{platform="taobao",status="stored"\} \d+/);
    expect(text).toMatch(/yunxi_outbound_messages_total\{platform="taobao",status="sent"\} \d+/);
    expect(text).toContain("yunxi_push_to_stored_seconds_bucket");
  });
});
