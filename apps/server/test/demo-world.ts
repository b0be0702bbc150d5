import { createSimulator, type Simulator } from "@yunxi/marketplaces/simulator";
import { type DemoSeed, type DemoStoreConfig, demoStoreConfigs, seedDemoOrg } from "../src/cli/seed-demo.ts";
import { ApiClient } from "./api-client.ts";
import { startTestServer, type TestServer } from "./harness.ts";

/** A Yunxi server, a simulator playing Taobao for two stores (or the given ones), and the demo org wired to them. */
export interface DemoWorld {
  t: TestServer;
  sim: Simulator;
  demo: DemoSeed;
  login(key: "owner" | "supervisor" | "agent1" | "agent2" | "agent3"): Promise<ApiClient>;
  close(): Promise<void>;
}

export async function startDemoWorld(
  options: { ratePerMinute?: number; stores?: DemoStoreConfig[]; now?: () => Date } = {},
): Promise<DemoWorld> {
  const stores = options.stores ?? demoStoreConfigs();
  const sim = createSimulator({
    port: 0,
    seed: 7,
    stores,
    ratePerMinute: options.ratePerMinute ?? 0,
    pushRetryMs: 200,
  });
  await sim.start();
  const t = await startTestServer(options.now ? { now: options.now } : {});
  const demo = await seedDemoOrg(t.server.ctx, { gatewayUrl: sim.url, stores });
  sim.setYunxiUrl(t.url);
  return {
    t,
    sim,
    demo,
    login: (key) => {
      const l = demo.logins.find((x) => x.email.startsWith(`${key}@`))!;
      return new ApiClient(t.url).login(l.email, l.password);
    },
    close: async () => {
      await sim.stop();
      await t.close();
    },
  };
}
