import type { Conversation, PlatformId } from "@yunxi/contracts";
import { expect } from "vitest";
import { ApiClient } from "../../../test/api-client.ts";
import type { TestServer } from "../../../test/harness.ts";
import type { AppContext } from "../../platform/context.ts";
import { queryRows, sql } from "../../platform/db/client.ts";
import { newId } from "../../platform/db/ids.ts";
import { appendEvents } from "../../platform/events/log.ts";
import { createOrg, createUser, login, SESSION_COOKIE } from "../identity/index.ts";
import { ingestInbound, recordDelivery, sweepOrg } from "../inbox/index.ts";
import { assertStoresInOrg, createStore } from "../stores/index.ts";
import { consumeOrg } from "./consumer.ts";
import { counterDefs } from "./counters.ts";

/**
 * Test support for the analytics suites: an org with a Taobao and a JD store, two
 * agents, a supervisor and an admin, and the moves of a service day done through
 * the real commands (ingest, reply, delivery, resolve, status). What no command does
 * yet (the bot's replies, intent tags: the assist module's) is written as that module
 * would, with its event.
 */
export interface Person {
  id: string;
  client: ApiClient;
}

export interface AnalyticsWorld {
  orgId: string;
  taobao: { id: string; orgId: string; platform: string; name: string };
  jd: { id: string; orgId: string; platform: string; name: string };
  a: Person;
  b: Person;
  sup: Person;
  admin: Person;
}

let worlds = 0;

export async function analyticsWorld(t: TestServer, ctx: AppContext): Promise<AnalyticsWorld> {
  const n = ++worlds;
  const org = await createOrg(ctx, { name: `数据${n}` });
  const store = async (platform: PlatformId, name: string) => {
    const s = await createStore(ctx, null, org.id, {
      platform,
      name,
      gatewayUrl: "http://127.0.0.1:9",
      sellerId: `${platform}-${n}-${name}`,
      credentials: { appKey: "k", appSecret: "s".repeat(16) },
    });
    return { id: s.id, orgId: org.id, platform, name };
  };
  const taobao = await store("taobao", "旗舰店");
  const jd = await store("jd", "自营店");
  const person = async (name: string, key: string, role: "agent" | "supervisor" | "admin", storeIds: string[]) => {
    const email = `${key}-${n}@example.com`;
    const row = await createUser(
      ctx,
      org.id,
      { email, name, role, password: "password-123", storeIds },
      null,
      assertStoresInOrg,
    );
    const { token, session } = await login(ctx, {
      email,
      password: "password-123",
      ip: "127.0.0.1",
      userAgent: "test",
    });
    const client = new ApiClient(t.url);
    client.cookie = `${SESSION_COOKIE}=${token}`;
    client.csrfToken = session.csrfToken;
    return { id: row.id, client };
  };
  const world = {
    orgId: org.id,
    taobao,
    jd,
    a: await person("小张", "zhang", "agent", [taobao.id, jd.id]),
    b: await person("小李", "li", "agent", [taobao.id]),
    sup: await person("主管", "sup", "supervisor", []),
    admin: await person("管理员", "admin", "admin", []),
  };
  // The supervisor leads both agents: a supervisor sees the figures of their groups.
  const team = await world.admin.client.post("/api/groups", {
    name: "客服组",
    memberIds: [world.a.id, world.b.id, world.sup.id],
  });
  expect(team.status).toBe(201);
  return world;
}

let messages = 0;

/** A buyer's message arrives (at the clock's time unless given). */
export async function buyerWrites(
  ctx: AppContext,
  store: AnalyticsWorld["taobao"],
  buyer: string,
  text: string,
  sentAt = ctx.now(),
): Promise<Conversation> {
  const result = await ingestInbound(ctx, store, [
    {
      kind: "message",
      platformMessageId: `m-${++messages}-${buyer}`,
      buyer: { platformBuyerId: buyer, displayName: buyer },
      content: { type: "text", text },
      sentAt,
    },
  ]);
  const event = result.events.find((e) => e.type === "message.created");
  expect(event).toBeDefined();
  return (event!.payload as { conversation: Conversation }).conversation;
}

/** An agent replies through the API, and the platform accepts it (the delivery worker's outcome). */
export async function agentReplies(
  ctx: AppContext,
  who: Person,
  conversationId: string,
  text: string,
): Promise<string> {
  const res = await who.client.post(`/api/conversations/${conversationId}/messages`, {
    body: text,
    idempotencyKey: `k-${newId()}`,
  });
  expect(res.status).toBe(201);
  const messageId = res.body.id as string;
  const [row] = await queryRows<{ org_id: string }>(ctx.db, sql`SELECT org_id FROM messages WHERE id = ${messageId}`);
  await recordDelivery(ctx, row!.org_id, messageId, { status: "sent", platformMessageId: `p-${messageId}` });
  return messageId;
}

/** The bot answers (as the assist module's auto-reply will: a delivered outbound line and its event). */
export async function botReplies(
  ctx: AppContext,
  orgId: string,
  conversation: Conversation,
  text: string,
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const id = newId();
    await tx.execute(
      sql`INSERT INTO messages (id, org_id, conversation_id, store_id, direction, sender_type, kind, body,
                                delivery_status, created_at, sent_at)
          VALUES (${id}, ${orgId}, ${conversation.id}, ${conversation.storeId}, 'outbound', 'bot', 'text', ${text},
                  'sent', ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)`,
    );
    await appendEvents(tx, orgId, [
      {
        type: "message.created",
        storeId: conversation.storeId,
        payload: { message: { id, conversationId: conversation.id }, conversation: { id: conversation.id } },
      },
    ]);
  });
}

/** The classifier tags the conversation (as the assist module will). */
export async function tagConversation(ctx: AppContext, orgId: string, conversationId: string, tags: string[]) {
  await ctx.db.transaction(async (tx) => {
    const [row] = await queryRows<{ store_id: string }>(
      tx,
      sql`UPDATE conversations SET tags = ${JSON.stringify(tags)}::jsonb WHERE id = ${conversationId} RETURNING store_id`,
    );
    await appendEvents(tx, orgId, [
      { type: "conversation.updated", storeId: row!.store_id, payload: { conversation: { id: conversationId } } },
    ]);
  });
}

export async function resolve(who: Person, conversationId: string): Promise<void> {
  const res = await who.client.patch(`/api/conversations/${conversationId}`, { status: "resolved" });
  expect(res.status).toBe(200);
}

export async function setStatus(who: Person, status: "online" | "busy" | "away" | "offline"): Promise<void> {
  expect((await who.client.request("PUT", "/api/agents/me/status", { status })).status).toBe(200);
}

let orderEvents = 0;

/** The buyer pays for an order (a platform push). */
export async function buyerPays(
  ctx: AppContext,
  store: AnalyticsWorld["taobao"],
  buyer: string,
  orderId: string,
  totalCents: number,
  options: { paidAt?: Date; receiverPhone?: string } = {},
): Promise<void> {
  const paidAt = options.paidAt ?? ctx.now();
  await ingestInbound(ctx, store, [
    {
      kind: "order",
      eventId: `o-${++orderEvents}`,
      change: "paid",
      order: {
        orderId,
        buyer: { platformBuyerId: buyer, displayName: buyer },
        status: "paid",
        platformStatus: "WAIT_SELLER_SEND_GOODS",
        items: [{ productId: "P-1", title: "透气跑步鞋", sku: "42码", quantity: 1, priceCents: totalCents }],
        totalCents,
        createdAt: paidAt,
        paidAt,
        ...(options.receiverPhone && { receiverPhone: options.receiverPhone }),
      },
      at: paidAt,
    },
  ]);
}

export async function buyerRates(ctx: AppContext, store: AnalyticsWorld["taobao"], buyer: string, score: number) {
  await ingestInbound(ctx, store, [
    {
      kind: "evaluation",
      eventId: `e-${++orderEvents}`,
      buyer: { platformBuyerId: buyer, displayName: buyer },
      score,
      comment: score >= 4 ? "很满意" : "不太满意",
      at: ctx.now(),
    },
  ]);
}

/** Everything analytics keeps for an org, in a stable order: what "rebuild equals live" compares. */
export async function analyticsSnapshot(ctx: AppContext, orgId: string) {
  const counters = counterDefs.map((d) => d.column).join(", ");
  const rollups = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT to_char(minute AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS minute, store_id, agent_id, intent, category,
               ${sql.raw(counters)}
        FROM analytics_minute_rollups WHERE org_id = ${orgId}
        ORDER BY minute, store_id, agent_id, intent, category`,
  );
  const daily = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT day::text AS day, store_id, agent_id, intent, category, ${sql.raw(counters)}
        FROM analytics_daily_rollups WHERE org_id = ${orgId}
        ORDER BY day, store_id, agent_id, intent, category`,
  );
  const agentDays = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT day::text AS day, agent_id, active_minutes FROM analytics_agent_days WHERE org_id = ${orgId}
        ORDER BY day, agent_id`,
  );
  // The narrower rollups (levels.ts), in their key order, and the first lines per day.
  const level = (table: string, time: string, keys: string) =>
    queryRows<Record<string, unknown>>(
      ctx.db,
      sql`SELECT ${sql.raw(time)}, ${sql.raw(keys)}, ${sql.raw(counters)} FROM ${sql.raw(table)}
          WHERE org_id = ${orgId} ORDER BY 1, ${sql.raw(keys)}`,
    );
  const minuteText = "to_char(minute AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS minute";
  const storeMinutes = await level("analytics_store_minutes", minuteText, "store_id");
  const storeDays = await level("analytics_store_days", "day::text AS day", "store_id");
  const storeAgentDays = await level("analytics_store_agent_days", "day::text AS day", "store_id, agent_id");
  const storeIntentDays = await level("analytics_store_intent_days", "day::text AS day", "store_id, intent, category");
  const questionDays = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT day::text AS day, store_id, intent, category, question, conversations, complaints,
               last_started_at::text AS last_started_at
        FROM analytics_question_days WHERE org_id = ${orgId} ORDER BY day, store_id, intent, category, question`,
  );
  const facts = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT source_id, source_kind, to_char(minute AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS minute, store_id,
               agent_id, intent, category, conversation_id, ${sql.raw(counters)}
        FROM analytics_facts WHERE org_id = ${orgId} ORDER BY source_id, minute, agent_id`,
  );
  const conversations = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT conversation_id, store_id, agent_id, intent, category, started_at::text, first_question, rounds,
               unanswered_rounds, first_response_ms, resolved_at::text, complaint, qc_score, qc_findings::text, qc_level
        FROM analytics_conversations WHERE org_id = ${orgId} ORDER BY conversation_id`,
  );
  const normalise = (rows: Record<string, unknown>[]) =>
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));
  return {
    rollups: normalise(rollups),
    daily: normalise(daily),
    agentDays: normalise(agentDays),
    storeMinutes: normalise(storeMinutes),
    storeDays: normalise(storeDays),
    storeAgentDays: normalise(storeAgentDays),
    storeIntentDays: normalise(storeIntentDays),
    questionDays: normalise(questionDays),
    facts: normalise(facts),
    conversations: normalise(conversations),
  };
}

/** The sums of every counter over an org's rollups. */
export async function rollupTotals(ctx: AppContext, orgId: string): Promise<Record<string, number>> {
  const [row] = await queryRows<Record<string, unknown>>(
    ctx.db,
    sql`SELECT ${sql.raw(counterDefs.map((d) => `coalesce(${d.agg}(${d.column}), 0) AS ${d.column}`).join(", "))}
        FROM analytics_minute_rollups WHERE org_id = ${orgId}`,
  );
  return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
}

/**
 * A morning of service (Shanghai time, from the clock's 09:00): replies, a bot hand-over,
 * a complaint with an SLA breach, an order, ratings, a buyer on two platforms and a
 * question nobody answers. `consume` runs the rollup consumer after each step.
 */
export async function serviceDay(
  ctx: AppContext,
  w: AnalyticsWorld,
  tick: (seconds: number) => void,
  options: { consume: boolean },
) {
  const step = async () => {
    await sweepOrg(ctx, w.orgId);
    if (options.consume) await consumeOrg(ctx, w.orgId);
  };
  await setStatus(w.a, "online");
  await setStatus(w.b, "online");
  const c1 = await buyerWrites(ctx, w.taobao, "tb_小鹿", "这双鞋有42码吗");
  tick(40);
  await agentReplies(ctx, w.a, c1.id, "亲，您好，有的");
  await step();
  // Tags are set after triage has classified (it would replace an intent tag set before).
  await tagConversation(ctx, w.orgId, c1.id, ["售前-尺码推荐-鞋子类目"]);

  tick(60);
  const c2 = await buyerWrites(ctx, w.taobao, "tb_阿花", "什么时候发货");
  tick(5);
  await botReplies(ctx, w.orgId, c2, "亲，48小时内发货");
  tick(30);
  await buyerWrites(ctx, w.taobao, "tb_阿花", "转人工");
  tick(2);
  await botReplies(ctx, w.orgId, c2, "正在为您转接人工客服");
  await step();
  tick(240);
  await agentReplies(ctx, w.b, c2.id, "您好，我来帮您看看");
  await tagConversation(ctx, w.orgId, c2.id, ["物流-发货时间"]);
  await step();

  const c3 = await buyerWrites(ctx, w.jd, "jd_老王", "东西坏了，我要投诉");
  await step();
  await tagConversation(ctx, w.orgId, c3.id, ["投诉-数码类目"]);
  tick(600); // nobody answers for ten minutes: the first-response target is missed
  await step();
  await agentReplies(ctx, w.a, c3.id, "非常抱歉，马上为您处理");
  tick(60);
  await resolve(w.a, c3.id);
  await buyerRates(ctx, w.jd, "jd_老王", 1);
  await step();

  tick(120);
  await buyerPays(ctx, w.taobao, "tb_小鹿", "T-1", 19_900, { receiverPhone: "13800138000" });
  await resolve(w.a, c1.id);
  await resolve(w.b, c2.id);
  await buyerRates(ctx, w.taobao, "tb_小鹿", 5);
  await step();

  // The same buyer on JD (linked by the receiver phone): a repeat purchase across platforms.
  tick(3600);
  const c4 = await buyerWrites(ctx, w.jd, "jd_小鹿", "京东这边也有吗");
  await buyerPays(ctx, w.jd, "jd_小鹿", "J-1", 9_900, { receiverPhone: "13800138000" });
  // A question nobody answers.
  const c5 = await buyerWrites(ctx, w.taobao, "tb_路人", "在吗");
  await setStatus(w.a, "offline");
  await step();
  // These two are not classified (whatever the classifier said).
  await tagConversation(ctx, w.orgId, c4.id, []);
  await tagConversation(ctx, w.orgId, c5.id, []);
  if (options.consume) await consumeOrg(ctx, w.orgId);
  return { c1, c2, c3, c4, c5 };
}
