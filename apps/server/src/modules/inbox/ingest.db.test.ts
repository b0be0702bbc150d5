import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import type { AppContext } from "../../platform/context.ts";
import { type Executor, queryRows, sql } from "../../platform/db/client.ts";
import type { NewEvent } from "../../platform/events/log.ts";
import { createOrg } from "../identity/index.ts";
import { createStore } from "../stores/index.ts";
import { ingestInbound } from "./ingest.ts";
import { type IngestStore, ingestMessages, type MessageEvent } from "./ingest-messages.ts";

const run = testDb === "pglite" || (await postgresAvailable());

let seq = 0;
const message = (buyer: string, text: string, options: { id?: string; at?: Date } = {}): MessageEvent => ({
  kind: "message",
  platformMessageId: options.id ?? `m-${++seq}`,
  buyer: { platformBuyerId: buyer, displayName: buyer },
  content: { type: "text", text },
  sentAt: options.at ?? new Date(Date.UTC(2026, 0, 1, 8, 0, seq)),
});

async function addStore(ctx: AppContext, orgId: string, platform: "taobao" | "pdd", name: string) {
  const row = await createStore(ctx, null, orgId, {
    platform,
    name,
    gatewayUrl: "http://127.0.0.1:9",
    sellerId: name,
    credentials: { appKey: "k", appSecret: "s".repeat(16) },
  });
  return { id: row.id, orgId, platform, name } satisfies IngestStore;
}

interface ConversationCounts {
  id: string;
  store_id: string;
  identity_id: string;
  unread_count: number;
  last_message_preview: string;
  last_message_at: string;
  first_inbound_at: string;
}

const conversationsOf = (ctx: AppContext, orgId: string) =>
  queryRows<ConversationCounts>(
    ctx.db,
    sql`SELECT id, store_id, identity_id, unread_count, last_message_preview,
               last_message_at::text, first_inbound_at::text
        FROM conversations WHERE org_id = ${orgId} ORDER BY created_at`,
  );

const count = async (ctx: AppContext, table: "messages" | "customer_identities" | "customers", orgId: string) =>
  Number(
    (
      await queryRows<{ n: string }>(ctx.db, sql`SELECT count(*) AS n FROM ${sql.raw(table)} WHERE org_id = ${orgId}`)
    )[0]!.n,
  );

const types = (events: { type: string }[]) => events.map((e) => e.type);

describe.runIf(run)(`ingest: buyer messages in batches (${testDb})`, () => {
  let t: TestServer;
  let ctx: AppContext;

  beforeAll(async () => {
    t = await startTestServer();
    ctx = t.server.ctx;
  });
  afterAll(() => t?.close());

  async function freshOrg() {
    const org = await createOrg(ctx, { name: "批量测试" });
    return {
      orgId: org.id,
      flagship: await addStore(ctx, org.id, "taobao", "旗舰店"),
      outlet: await addStore(ctx, org.id, "taobao", "折扣店"),
      pddA: await addStore(ctx, org.id, "pdd", "品牌店"),
      pddB: await addStore(ctx, org.id, "pdd", "二店"),
    };
  }

  it("stores two messages of a new buyer as one conversation with unread 2, announced once", async () => {
    const { orgId, flagship } = await freshOrg();
    const first = message("tb_新买家", "在吗", { at: new Date("2026-01-01T08:00:00Z") });
    const second = message("tb_新买家", "这双鞋有42码吗", { at: new Date("2026-01-01T08:00:05Z") });
    const result = await ingestInbound(ctx, flagship, [first, second]);
    expect(result.stored).toBe(2);
    expect(result.duplicates).toBe(0);
    expect(types(result.events)).toEqual(["conversation.created", "message.created", "message.created"]);
    expect(result.events.map((e) => e.seq)).toEqual([...result.events.map((e) => e.seq)].sort((a, b) => a - b));
    const [conversation, ...others] = await conversationsOf(ctx, orgId);
    expect(others).toHaveLength(0);
    expect(conversation!.unread_count).toBe(2);
    expect(conversation!.last_message_preview).toBe("这双鞋有42码吗");
    expect(new Date(conversation!.first_inbound_at).toISOString()).toBe("2026-01-01T08:00:00.000Z");
    expect(new Date(conversation!.last_message_at).toISOString()).toBe("2026-01-01T08:00:05.000Z");
    // Every message.created carries the conversation as it is after the batch.
    for (const e of result.events.filter((x) => x.type === "message.created")) {
      expect((e.payload.conversation as { unreadCount: number }).unreadCount).toBe(2);
    }
    expect(await count(ctx, "customer_identities", orgId)).toBe(1);
    expect(await count(ctx, "customers", orgId)).toBe(1);
  });

  it("treats repeats inside a batch and of stored messages as no-ops", async () => {
    const { orgId, flagship } = await freshOrg();
    const hello = message("tb_重复", "在吗");
    const once = await ingestInbound(ctx, flagship, [hello, { ...hello }, message("tb_重复", "有货吗")]);
    expect(once.stored).toBe(2);
    expect(once.duplicates).toBe(1);
    const again = await ingestInbound(ctx, flagship, [{ ...hello }]);
    expect(again).toMatchObject({ stored: 0, duplicates: 1, events: [] });
    expect(await count(ctx, "messages", orgId)).toBe(2);
    const [conversation] = await conversationsOf(ctx, orgId);
    expect(conversation!.unread_count).toBe(2);
    expect(conversation!.last_message_preview).toBe("有货吗");
  });

  it("opens no conversation for a repeat after the buyer's conversation was resolved", async () => {
    const { orgId, flagship } = await freshOrg();
    const hello = message("tb_已解决", "在吗");
    await ingestInbound(ctx, flagship, [hello]);
    await ctx.db.execute(sql`UPDATE conversations SET status = 'resolved' WHERE org_id = ${orgId}`);
    expect(await ingestInbound(ctx, flagship, [{ ...hello }])).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await conversationsOf(ctx, orgId)).toHaveLength(1);
  });

  it("keeps buyers of several stores apart, with one identity per platform scope", async () => {
    const { orgId, flagship, outlet, pddA, pddB } = await freshOrg();
    // Concurrent pushes of one org go through the group commit together.
    const results = await Promise.all([
      ingestInbound(ctx, flagship, [message("buyer_1", "旗舰店 1")]),
      ingestInbound(ctx, outlet, [message("buyer_1", "折扣店 1"), message("buyer_2", "折扣店 2")]),
      ingestInbound(ctx, pddA, [message("buyer_1", "拼多多 A")]),
      ingestInbound(ctx, pddB, [message("buyer_1", "拼多多 B")]),
      ingestInbound(ctx, flagship, [message("buyer_1", "旗舰店 2")]),
    ]);
    expect(results.map((r) => r.stored)).toEqual([1, 2, 1, 1, 1]);
    const conversations = await conversationsOf(ctx, orgId);
    // buyer_1 in four stores + buyer_2 in one.
    expect(conversations).toHaveLength(5);
    const byStore = (storeId: string) => conversations.filter((c) => c.store_id === storeId);
    expect(byStore(flagship.id).map((c) => c.unread_count)).toEqual([2]);
    expect(byStore(outlet.id)).toHaveLength(2);
    // Taobao ids are platform-wide (one identity in both Taobao stores); PDD ids are per store.
    expect(byStore(flagship.id)[0]!.identity_id).toBe(
      byStore(outlet.id).find((c) => c.last_message_preview === "折扣店 1")!.identity_id,
    );
    expect(byStore(pddA.id)[0]!.identity_id).not.toBe(byStore(pddB.id)[0]!.identity_id);
    expect(await count(ctx, "customer_identities", orgId)).toBe(4);
    // Each push gets its own events, in its own order.
    expect(types(results[1]!.events)).toEqual([
      "conversation.created",
      "message.created",
      "conversation.created",
      "message.created",
    ]);
  });

  it("applies a read receipt after the message that opened the conversation in the same push", async () => {
    const { orgId, flagship } = await freshOrg();
    const result = await ingestInbound(ctx, flagship, [
      message("tb_已读", "在吗"),
      { kind: "read", buyer: { platformBuyerId: "tb_已读", displayName: "tb_已读" }, readAt: new Date() },
    ]);
    expect(types(result.events)).toEqual(["conversation.created", "message.created", "conversation.updated"]);
    const rows = await queryRows<{ buyer_read_at: string | null }>(
      ctx.db,
      sql`SELECT buyer_read_at FROM conversations WHERE org_id = ${orgId}`,
    );
    expect(rows[0]!.buyer_read_at).not.toBeNull();
  });

  // Separate transactions on separate connections, as on separate nodes (the group commit would
  // otherwise serialise them), all starting their statements at the same moment.
  async function race(racers: number, work: (tx: Executor, i: number) => Promise<(NewEvent[] | null)[]>) {
    let arrived = 0;
    let go: () => void = () => {};
    const start = new Promise<void>((resolve) => {
      go = resolve;
    });
    const outcomes = await Promise.all(
      Array.from({ length: racers }, (_, i) =>
        ctx.db.transaction(async (tx) => {
          await tx.execute(sql`SELECT 1`);
          if (++arrived === racers) go();
          await start;
          return work(tx, i);
        }),
      ),
    );
    return outcomes.flat();
  }

  const announced = (outcomes: (NewEvent[] | null)[]) =>
    outcomes.flatMap((o) => o ?? []).filter((e) => e.type === "conversation.created");

  it.runIf(testDb === "postgres")(
    "creates exactly one identity and one conversation per store when concurrent transactions race for a new buyer",
    async () => {
      const { orgId, flagship, outlet } = await freshOrg();
      const racers = 8;
      const outcomes = await race(racers, (tx, i) =>
        ingestMessages(tx, [
          { store: flagship, event: message("tb_抢答", "同一条", { id: "shared-message" }) },
          { store: flagship, event: message("tb_抢答", `第 ${i} 条`) },
          { store: outlet, event: message("tb_抢答", `折扣店 ${i}`) },
        ]),
      );
      expect(await count(ctx, "customer_identities", orgId)).toBe(1);
      expect(await count(ctx, "customers", orgId)).toBe(1);
      const conversations = await conversationsOf(ctx, orgId);
      expect(conversations.map((c) => c.store_id).sort()).toEqual([flagship.id, outlet.id].sort());
      expect(conversations.find((c) => c.store_id === flagship.id)!.unread_count).toBe(racers + 1);
      expect(conversations.find((c) => c.store_id === outlet.id)!.unread_count).toBe(racers);
      expect(await count(ctx, "messages", orgId)).toBe(2 * racers + 1);
      // The shared message was stored by exactly one racer; each conversation was announced once.
      expect(outcomes.filter((o) => o === null)).toHaveLength(racers - 1);
      expect(announced(outcomes)).toHaveLength(2);
    },
  );

  it.runIf(testDb === "postgres")(
    "opens exactly one conversation when concurrent transactions race for a known buyer with none open",
    async () => {
      const { orgId, flagship } = await freshOrg();
      await ingestInbound(ctx, flagship, [message("tb_老客", "上次的问题")]);
      await ctx.db.execute(sql`UPDATE conversations SET status = 'resolved' WHERE org_id = ${orgId}`);
      const racers = 8;
      const outcomes = await race(racers, (tx, i) =>
        ingestMessages(tx, [{ store: flagship, event: message("tb_老客", `又来了 ${i}`) }]),
      );
      const open = (await conversationsOf(ctx, orgId)).slice(1);
      expect(open).toHaveLength(1);
      expect(open[0]!.unread_count).toBe(racers);
      expect(outcomes.every((o) => o !== null)).toBe(true);
      expect(announced(outcomes)).toHaveLength(1);
    },
  );
});
