import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../../../test/api-client.ts";
import { type DemoWorld, startDemoWorld } from "../../../../test/demo-world.ts";
import { type FakeLlm, startFakeLlm } from "../../../../test/fake-llm.ts";
import { postgresAvailable, testDb } from "../../../../test/harness.ts";
import { queueSettled, waitFor } from "../../../../test/wait.ts";
import { queryRows, sql } from "../../../platform/db/client.ts";
import { giveOrder, seededRng } from "../autoreply/testing.ts";
import { LLM_CLASSIFY_QUEUE } from "./classify-job.ts";

const run = testDb === "pglite" || (await postgresAvailable());

const KEY = "sk-yunxi-test-9f8e7d6c5b4a3210";
/** The local classifier is unsure of this one (售后-使用指导 at 0.36): the LLM is asked. */
const UNSURE = "这个颜色和图片上差别有点大，想问问怎么办";
/** …and sure of this one (物流-物流查询 at 1.0): the LLM is not. */
const SURE = "我的快递到哪了";

interface ConversationState {
  id: string;
  tags: string[];
  priority_reasons: string[];
  assignee_id: string | null;
  needs_triage: boolean;
  last_inbound_at: string | null;
}

interface Refinement {
  outcome: string;
  llm_intent: string | null;
  detail: string | null;
  local_intent: string;
}

/**
 * The optional LLM against a real little OpenAI-compatible server: settings (admin only, key
 * write-only and encrypted), classify-when-unsure after triage, and drafts grounded in the
 * knowledge base and the buyer's order. A model that hangs or fails never holds up a message.
 */
describe.runIf(run)(`the optional LLM provider (${testDb})`, () => {
  let w: DemoWorld;
  let llm: FakeLlm;
  let owner: ApiClient;
  let sup: ApiClient;
  let agent1: ApiClient;
  let agent2: ApiClient;
  let flagship: { id: string; storeKey: string };
  const rng = seededRng(90009);
  let seq = 0;

  beforeAll(async () => {
    llm = await startFakeLlm();
    w = await startDemoWorld();
    flagship = w.demo.stores.find((s) => s.name === "旗舰店")!;
    [owner, sup, agent1, agent2] = await Promise.all([
      w.login("owner"),
      w.login("supervisor"),
      w.login("agent1"),
      w.login("agent2"),
    ]);
  });
  afterAll(async () => {
    await w?.close();
    await llm?.close();
  });

  const db = () => w.t.server.ctx.db;
  const newBuyer = (label: string) => `tb_llm${++seq}_${label}`;
  const classifications = () => llm.received.filter((r) => r.isClassification);

  async function conversationOf(buyer: string): Promise<ConversationState | null> {
    const [row] = await queryRows<ConversationState>(
      db(),
      sql`SELECT c.id, c.tags, c.priority_reasons, c.assignee_id, c.needs_triage, c.last_inbound_at
          FROM conversations c JOIN customer_identities i ON i.id = c.identity_id
          WHERE c.org_id = ${w.demo.orgId} AND i.platform_buyer_id = ${buyer}`,
    );
    return row ?? null;
  }

  const inboundCount = async (buyer: string) => {
    const [row] = await queryRows<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM messages m
          JOIN conversations c ON c.id = m.conversation_id JOIN customer_identities i ON i.id = c.identity_id
          WHERE m.org_id = ${w.demo.orgId} AND i.platform_buyer_id = ${buyer} AND m.direction = 'inbound'`,
    );
    return Number(row?.n ?? 0);
  };

  /** The buyer writes; resolves once the message is stored, triaged and given to an agent. */
  async function write(buyer: string, text: string): Promise<ConversationState> {
    const before = await inboundCount(buyer);
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: buyer, text });
    await waitFor(`"${text}" of ${buyer} stored`, async () => (await inboundCount(buyer)) > before);
    return waitFor(`"${text}" of ${buyer} triaged and routed`, async () => {
      const c = await conversationOf(buyer);
      return c && !c.needs_triage && c.assignee_id !== null ? c : null;
    });
  }

  const refinementsOf = (conversationId: string) =>
    queryRows<Refinement>(
      db(),
      sql`SELECT outcome, llm_intent, detail, local_intent FROM llm_classifications
          WHERE org_id = ${w.demo.orgId} AND conversation_id = ${conversationId} ORDER BY created_at`,
    );
  const refinedOnce = (conversationId: string) =>
    waitFor(`the LLM's answer on ${conversationId}`, async () => (await refinementsOf(conversationId))[0], 20_000);

  async function llmJobsSettled() {
    await waitFor("the LLM jobs to finish", async () => {
      const rows = await queryRows(db(), sql`SELECT 1 FROM jobs WHERE queue = ${LLM_CLASSIFY_QUEUE} LIMIT 1`);
      return rows.length === 0;
    });
    await queueSettled(w.t.server.ctx);
  }

  const configure = (body: Record<string, unknown>) => owner.request("PUT", "/api/assist/llm", body);

  it("is off by default: nothing calls the model, drafts are refused, agents see no button", async () => {
    const settings = await owner.get("/api/assist/llm");
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({ enabled: false, hasKey: false, keyHint: null, classifyTimeoutMs: 4000 });
    expect((await agent1.get("/api/assist/llm/status")).body).toEqual({ drafts: false });

    const c = await write(newBuyer("off"), UNSURE);
    const draft = await agent1.post(`/api/conversations/${c.id}/assist/draft`);
    expect(draft.status).toBe(409);
    expect(draft.body.error.code).toBe("llm_disabled");
    await llmJobsSettled();
    expect(llm.received).toHaveLength(0);
    expect(await refinementsOf(c.id)).toHaveLength(0);
  });

  it("only admins read, change or test the settings", async () => {
    for (const client of [sup, agent1]) {
      expect((await client.get("/api/assist/llm")).status).toBe(403);
      expect((await client.request("PUT", "/api/assist/llm", { enabled: false })).status).toBe(403);
      expect((await client.post("/api/assist/llm/test", {})).status).toBe(403);
    }
    // Not on without somewhere to call; no other scheme than http(s); no secrets in the URL.
    expect((await configure({ enabled: true })).status).toBe(400);
    expect((await configure({ baseUrl: "file:///etc/passwd" })).status).toBe(400);
    expect((await configure({ baseUrl: `http://user:${KEY}@127.0.0.1/v1` })).status).toBe(400);
    expect(llm.received).toHaveLength(0);
  });

  it("keeps the key encrypted and write-only, and audits every change without it", async () => {
    const saved = await configure({
      enabled: true,
      baseUrl: `${llm.baseUrl}/`,
      model: "qwen2.5-7b-instruct",
      apiKey: KEY,
      classifyTimeoutMs: 2000,
      draftTimeoutMs: 2000,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ enabled: true, baseUrl: llm.baseUrl, hasKey: true, keyHint: "…3210" });
    const read = await owner.get("/api/assist/llm");
    expect(read.body.hasKey).toBe(true);
    expect(JSON.stringify(read.body)).not.toContain(KEY);
    expect(JSON.stringify(saved.body)).not.toContain(KEY);

    const [raw] = await queryRows<Record<string, unknown>>(
      db(),
      sql`SELECT * FROM llm_settings WHERE org_id = ${w.demo.orgId}`,
    );
    expect(String(raw!.api_key_enc)).toMatch(/^v1:/);
    expect(JSON.stringify(raw)).not.toContain(KEY);
    expect(JSON.stringify(raw)).not.toContain(KEY.slice(3, 20));

    // An empty key keeps the saved one (the test call still authenticates with it).
    expect((await configure({ apiKey: "", model: "qwen-plus" })).body.hasKey).toBe(true);
    const tested = await owner.post("/api/assist/llm/test", {});
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: true, code: null, reply: "好的" });
    expect(tested.body.latencyMs).toBeGreaterThanOrEqual(0);
    expect(llm.received.at(-1)).toMatchObject({ path: "/v1/chat/completions", authorization: `Bearer ${KEY}` });
    expect(llm.received.at(-1)!.body.model).toBe("qwen-plus");

    // Cleared explicitly: no key is sent any more.
    expect((await configure({ clearApiKey: true })).body).toMatchObject({ hasKey: false, keyHint: null });
    await owner.post("/api/assist/llm/test", {});
    expect(llm.received.at(-1)!.authorization).toBeUndefined();
    expect((await configure({ apiKey: KEY })).body.hasKey).toBe(true);

    const audit = await queryRows<{ details: unknown }>(
      db(),
      sql`SELECT details FROM audit_log WHERE org_id = ${w.demo.orgId} AND action = 'llm.settings_changed' ORDER BY id`,
    );
    expect(audit.length).toBe(4);
    expect(audit.map((a) => (a.details as { apiKey: string | null }).apiKey)).toEqual([
      "replaced",
      null,
      "cleared",
      "replaced",
    ]);
    expect(JSON.stringify(audit)).not.toContain(KEY);
    expect((await agent1.get("/api/assist/llm/status")).body).toEqual({ drafts: true });
  });

  it("reports an endpoint that fails the test, with the error", async () => {
    llm.answers.other = { kind: "status", status: 500 };
    const failed = await owner.post("/api/assist/llm/test", {});
    expect(failed.body).toMatchObject({ ok: false, code: "llm_http_500" });
    const unreachable = await owner.post("/api/assist/llm/test", { baseUrl: "http://127.0.0.1:9/v1" });
    expect(unreachable.body).toMatchObject({ ok: false, code: "llm_unreachable" });
    llm.answers.other = { kind: "text", text: "好的" };
  });

  it("settles an unsure intent with the model's label, replaces the local tag and re-triages", async () => {
    llm.answers.classify = { kind: "text", text: "售后-退换货" };
    const buyer = newBuyer("unsure");
    // A sure question first: the local tag 物流-物流查询, no call.
    const first = await write(buyer, SURE);
    expect(first.tags).toContain("物流-物流查询");
    const reply = await owner.post(`/api/conversations/${first.id}/messages`, {
      body: "亲，已经在路上了",
      idempotencyKey: `llm-test-${buyer}`,
    });
    expect(reply.status).toBe(201);
    await llmJobsSettled();
    // Platforms stamp to the second: a message in the reply's second could read as answered by it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const asked = classifications().length;

    // Then one the local model is unsure of: triage keeps the old tag, the model settles it afterwards
    // (its answer held until the local tag has been looked at, or a quick model could win the race).
    let release = () => {};
    llm.answers.classify = {
      kind: "held",
      text: "售后-退换货",
      release: new Promise<void>((resolve) => {
        release = resolve;
      }),
    };
    const second = await write(buyer, UNSURE);
    expect(second.tags).toContain("物流-物流查询");
    release();
    const refined = await refinedOnce(second.id);
    expect(refined).toMatchObject({ outcome: "applied", llm_intent: "售后-退换货", local_intent: "售后-使用指导" });
    expect(classifications()).toHaveLength(asked + 1);
    const prompt = classifications().at(-1)!.prompt;
    expect(prompt).toContain(`<buyer_messages>\n${UNSURE}\n</buyer_messages>`);
    expect(prompt).toContain("售后-质量问题");

    await llmJobsSettled();
    const after = (await conversationOf(buyer))!;
    expect(after.tags).toContain("售后-退换货");
    expect(after.tags).not.toContain("物流-物流查询");
    // Re-triaged: the priority rule on 售后 intents now weighs it.
    expect(after.priority_reasons).toContain("售后");
    // The re-triage reads the same messages: the model is not asked twice.
    expect(classifications()).toHaveLength(asked + 1);
    expect(await refinementsOf(second.id)).toHaveLength(1);
  });

  it("does not ask about messages the local model is sure of", async () => {
    const asked = classifications().length;
    const c = await write(newBuyer("sure"), SURE);
    await llmJobsSettled();
    expect(classifications()).toHaveLength(asked);
    expect(await refinementsOf(c.id)).toHaveLength(0);
  });

  it("rejects a label outside the taxonomy and keeps the local tag", async () => {
    llm.answers.classify = { kind: "text", text: "售后-换货（买家想换颜色）" };
    const c = await write(newBuyer("invalid"), UNSURE);
    expect(await refinedOnce(c.id)).toMatchObject({ outcome: "invalid", llm_intent: null });
    await llmJobsSettled();
    expect((await conversationOf(`tb_llm${seq}_invalid`))!.tags).toEqual(c.tags);
  });

  it("a model that hangs past the timeout holds up nothing and leaves the local tag", async () => {
    llm.answers.classify = { kind: "hang" };
    expect((await configure({ classifyTimeoutMs: 3000 })).status).toBe(200);
    const buyer = newBuyer("hang");
    const asked = classifications().length;
    // Stored and routed (write waits for both) although the model will never answer.
    const c = await write(buyer, UNSURE);
    await waitFor("the classification request", () => classifications().length > asked);
    // While that request hangs, another buyer's message is stored and routed as usual.
    const other = await write(newBuyer("meanwhile"), SURE);
    expect(other.assignee_id).not.toBeNull();
    expect(await refinementsOf(c.id)).toHaveLength(0);

    expect(await refinedOnce(c.id)).toMatchObject({ outcome: "failed", detail: "llm_timeout" });
    await llmJobsSettled();
    expect((await conversationOf(buyer))!.tags).toEqual(c.tags);
    // One attempt: no retry asks again.
    expect(classifications()).toHaveLength(asked + 1);
  });

  it("a model that answers 500 leaves the local tag", async () => {
    llm.answers.classify = { kind: "status", status: 500 };
    const buyer = newBuyer("500");
    const c = await write(buyer, UNSURE);
    expect(c.assignee_id).not.toBeNull();
    expect(await refinedOnce(c.id)).toMatchObject({ outcome: "failed", detail: "llm_http_500" });
    await llmJobsSettled();
    expect((await conversationOf(buyer))!.tags).toEqual(c.tags);
  });

  it("drafts a reply grounded in a real knowledge-base article and the buyer's order, sending nothing", async () => {
    const article = await sup.post("/api/library/kb/articles", {
      title: "鞋子退换货规则",
      body: "签收后 **7 天内**支持无理由退换货，鞋子需保持吊牌和鞋盒完好，换货运费由店铺承担。",
      storeId: flagship.id,
    });
    expect(article.status).toBe(201);
    const buyer = newBuyer("draft");
    const order = giveOrder(w.sim, rng, flagship.storeKey, buyer, "shipped");
    const c = await write(buyer, "鞋子穿着不合适，可以退换货吗？");
    llm.answers.other = { kind: "text", text: "“亲，签收后 7 天内支持退换货哦，请保持吊牌和鞋盒完好～”" };

    const draft = await agent1.post(`/api/conversations/${c.id}/assist/draft`);
    expect(draft.status).toBe(200);
    expect(draft.body.text).toBe("亲，签收后 7 天内支持退换货哦，请保持吊牌和鞋盒完好～");
    expect(draft.body.sources.articles[0]).toEqual({ id: article.body.id, title: "鞋子退换货规则" });
    expect(draft.body.sources.order.orderId).toBe(order.orderId);

    const sent = llm.received.at(-1)!;
    expect(sent.isClassification).toBe(false);
    expect(sent.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.prompt).toContain("鞋子退换货规则");
    expect(sent.prompt).toContain("签收后 7 天内支持无理由退换货");
    expect(sent.prompt).toContain(order.orderId);
    expect(sent.prompt).toContain(order.logistics!.trackingNo);
    expect(sent.prompt).toContain(order.logistics!.carrier);
    expect(sent.prompt).toContain("买家：鞋子穿着不合适，可以退换货吗？");

    // A draft, not a message: nothing went to the buyer.
    const messages = await queryRows<{ direction: string }>(
      db(),
      sql`SELECT direction FROM messages WHERE conversation_id = ${c.id} AND direction = 'outbound'`,
    );
    expect(messages).toHaveLength(0);
    expect(w.sim.replies({ buyerNick: buyer })).toHaveLength(0);

    // Someone who cannot see the conversation gets no draft (and the model is not asked).
    const calls = llm.received.length;
    expect((await agent2.post(`/api/conversations/${c.id}/assist/draft`)).status).toBe(404);
    expect(llm.received).toHaveLength(calls);

    // A model that does not answer in time: a clear error, and the agent writes on.
    llm.answers.other = { kind: "hang" };
    expect((await configure({ draftTimeoutMs: 800 })).status).toBe(200);
    const timedOut = await agent1.post(`/api/conversations/${c.id}/assist/draft`);
    expect(timedOut.status).toBe(503);
    expect(timedOut.body.error.code).toBe("llm_unavailable");
    llm.answers.other = { kind: "status", status: 502 };
    const failed = await agent1.post(`/api/conversations/${c.id}/assist/draft`);
    expect(failed.status).toBe(503);
    expect(failed.body.error.message).toContain("llm_http_502");
  });

  it("switched off again: no calls at all", async () => {
    llm.answers.classify = { kind: "text", text: "售后-退换货" };
    expect((await configure({ enabled: false })).status).toBe(200);
    const calls = llm.received.length;
    const c = await write(newBuyer("off-again"), UNSURE);
    expect((await agent1.post(`/api/conversations/${c.id}/assist/draft`)).status).toBe(409);
    await llmJobsSettled();
    expect(llm.received).toHaveLength(calls);
    expect(await refinementsOf(c.id)).toHaveLength(0);
  });
});
