import { type BuyerMessage, personalities, type SimStore } from "@yunxi/marketplaces/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../test/api-client.ts";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import { type DemoSeed, demoStoreConfigs, seedDemoOrg } from "../../cli/seed-demo.ts";

const run = testDb === "pglite" || (await postgresAvailable());

describe.runIf(run)(`push route: the store lookup cache (${testDb})`, () => {
  let t: TestServer;
  let demo: DemoSeed;
  let owner: ApiClient;
  let store: SimStore;
  let n = 0;

  const push = async () => {
    const i = ++n;
    const message: BuyerMessage = {
      msgId: `cache-${i}`,
      envelopeId: i,
      platform: "taobao",
      storeKey: store.storeKey,
      buyerNick: "tb_缓存",
      text: `第 ${i} 条`,
      createdAt: new Date(),
    };
    const encoded = personalities.taobao!.encodePush(store, message, new Date());
    const res = await fetch(`${t.url}${encoded.path}?${new URLSearchParams(encoded.query)}`, {
      method: "POST",
      headers: encoded.headers,
      body: encoded.body,
    });
    await res.arrayBuffer();
    return res.status;
  };

  beforeAll(async () => {
    t = await startTestServer();
    demo = await seedDemoOrg(t.server.ctx, { gatewayUrl: "http://127.0.0.1:9", stores: demoStoreConfigs() });
    const login = demo.logins.find((l) => l.email.startsWith("owner@"))!;
    owner = await new ApiClient(t.url).login(login.email, login.password);
    store = { ...demo.stores[0]!, signMethod: "hmac-sha256" };
  });
  afterAll(() => t?.close());

  it("refuses pushes as soon as the store is disabled on this node, and accepts them once re-enabled", async () => {
    expect(await push()).toBe(200); // now cached
    expect((await owner.patch(`/api/stores/${demo.stores[0]!.id}`, { status: "disabled" })).status).toBe(200);
    expect(await push()).toBe(403);
    expect((await owner.patch(`/api/stores/${demo.stores[0]!.id}`, { status: "active" })).status).toBe(200);
    expect(await push()).toBe(200);
  });
});
