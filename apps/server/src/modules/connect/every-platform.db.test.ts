import { createSimulator, type Simulator } from "@yunxi/marketplaces/simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../test/api-client.ts";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import { waitFor } from "../../../test/wait.ts";
import { allMarketplaceStoreConfigs, type DemoSeed, seedDemoOrg } from "../../cli/seed-demo.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/** The demo's five marketplaces through the server: each buyer's question arrives, each reply reaches the buyer. */
describe.runIf(run)(`every marketplace end to end (${testDb})`, () => {
  let t: TestServer;
  let sim: Simulator;
  let demo: DemoSeed;
  let agent: ApiClient;

  beforeAll(async () => {
    const stores = allMarketplaceStoreConfigs();
    sim = createSimulator({ port: 0, seed: 11, stores, pushRetryMs: 200 });
    await sim.start();
    t = await startTestServer();
    demo = await seedDemoOrg(t.server.ctx, { gatewayUrl: sim.url, stores });
    sim.setYunxiUrl(t.url);
    const login = demo.logins.find((l) => l.email.startsWith("agent3@"))!;
    agent = await new ApiClient(t.url).login(login.email, login.password);
  });
  afterAll(async () => {
    await sim?.stop();
    await t?.close();
  });

  it("answers a buyer on each platform through that platform", async () => {
    for (const store of demo.stores) {
      const said = sim.say({ storeKey: store.storeKey, text: `${store.platform} 在吗` })!;
      const conversation = await waitFor(`${store.platform} conversation`, async () => {
        const list = await agent.get(`/api/conversations?storeId=${store.id}`);
        return list.body.items.find(
          (c: { lastMessagePreview: string }) => c.lastMessagePreview === `${store.platform} 在吗`,
        );
      });
      const reply = await agent.post(`/api/conversations/${conversation.id}/messages`, {
        body: `${store.platform} 在的`,
        idempotencyKey: `every-platform-${store.platform}-${store.name}`,
      });
      const sent = await waitFor(`${store.platform} delivery`, async () => {
        const list = await agent.get(`/api/conversations/${conversation.id}/messages`);
        const m = list.body.items.find((x: { id: string }) => x.id === reply.body.id);
        return m.deliveryStatus !== "pending" && m;
      });
      expect({ platform: store.platform, status: sent.deliveryStatus, error: sent.deliveryError }).toEqual({
        platform: store.platform,
        status: "sent",
        error: null,
      });
      expect(sim.replies({ storeKey: store.storeKey, buyerNick: said.buyerNick }).map((r) => r.text)).toEqual([
        `${store.platform} 在的`,
      ]);
    }
  });
});
