import { Classification } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../../test/api-client.ts";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import { type DemoSeed, seedDemoOrg } from "../../cli/seed-demo.ts";

const run = testDb === "pglite" || (await postgresAvailable());

describe.runIf(run)(`POST /api/assist/classify (${testDb})`, () => {
  let t: TestServer;
  let demo: DemoSeed;
  const login = (key: string) => {
    const l = demo.logins.find((x) => x.email.startsWith(`${key}@`))!;
    return new ApiClient(t.url).login(l.email, l.password);
  };

  beforeAll(async () => {
    t = await startTestServer();
    demo = await seedDemoOrg(t.server.ctx, { gatewayUrl: "http://127.0.0.1:9" });
  });
  afterAll(() => t?.close());

  it("refuses a caller who is not signed in", async () => {
    const res = await new ApiClient(t.url).post("/api/assist/classify", { text: "什么时候发货" });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthenticated");
  });

  it("refuses a body that breaks the contract", async () => {
    const agent = await login("agent1");
    for (const body of [{}, { text: 42 }, { text: "x".repeat(10_001) }, { text: "在吗", extra: true }]) {
      const res = await agent.post("/api/assist/classify", body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
  });

  it("classifies a Chinese sentence for any signed-in user, with the product card's category", async () => {
    const agent = await login("agent1");
    const res = await agent.post("/api/assist/classify", {
      text: "亲，鞋子42码小了，能换43码吗？订单号3852749016273845129",
      context: { productTitle: "透气飞织跑步鞋" },
    });
    expect(res.status).toBe(200);
    const c = Classification.parse(res.body);
    expect(c.intent).toBe("售后-退换货");
    expect(c.category).toBe("鞋子类目");
    expect(c.tag).toBe("售后-退换货-鞋子类目");
    expect(c.entities.sizes).toEqual(["42码", "43码"]);
    expect(c.entities.orderNumbers).toEqual(["3852749016273845129"]);

    const owner = await login("owner");
    const empty = await owner.post("/api/assist/classify", { text: "" });
    expect(empty.status).toBe(200);
    expect(empty.body.intent).toBe("其他");
  });
});
