import { createOwnChannelCrowd, type OwnChannelCrowd } from "@yunxi/marketplaces/simulator/channels";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, testDb } from "../../../test/harness.ts";
import { waitFor } from "../../../test/wait.ts";
import { randomToken } from "../../platform/crypto.ts";
import { smtpEndpointOf } from "./index.ts";
import { type ChannelWorld, conversationOf, startChannelWorld } from "./testing.ts";

const run = testDb === "pglite" || (await postgresAvailable());

describe.runIf(run)(`simulated web-chat visitors and e-mail buyers (${testDb})`, () => {
  let w: ChannelWorld;
  let crowd: OwnChannelCrowd;
  const webKey = randomToken(12);

  beforeAll(async () => {
    const mailKey = randomToken(12);
    w = await startChannelWorld(
      [
        { key: "web", platform: "webchat", name: "官网店", storeKey: webKey },
        {
          key: "mail",
          platform: "email",
          name: "客服邮箱",
          sellerId: "kefu@shop.example",
          storeKey: mailKey,
          // The e-mail store's relay is the simulated buyers' mail provider.
          credentials: async (t) => {
            crowd = createOwnChannelCrowd({
              yunxiUrl: t.url,
              seed: 3,
              patienceMs: 20_000,
              webchat: { storeKey: webKey },
              email: {
                mailbox: `${mailKey}@mail.yunxi.test`,
                yunxiSmtp: { host: "127.0.0.1", port: smtpEndpointOf(t.server.ctx)!.port },
              },
            });
            await crowd.start();
            return { smtp: { host: "127.0.0.1", port: crowd.relayPort! } };
          },
        },
      ],
      { SMTP_PORT: "0" },
    );
  });
  afterAll(async () => {
    await crowd?.stop();
    await w?.close();
  });

  it("a visitor asks over the real widget API and is answered", async () => {
    const record = await crowd.visit("请问这款有现货吗？");
    const conversation = await waitFor("conversation", () => conversationOf(w.agent, record.shopper));
    expect(conversation.storeLabel).toBe("官网-官网店");
    await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "有现货，今天发",
      idempotencyKey: "crowd-0001",
    });
    await waitFor("the visitor got the answer", () => record.answeredAt);
  });

  it("an e-mail buyer writes over real SMTP, receives the reply through the relay and answers in the thread", async () => {
    const record = await crowd.mail("发票怎么开？");
    const conversation = await waitFor("conversation", () => conversationOf(w.agent, record.shopper));
    expect(conversation.storeLabel).toBe("邮件-客服邮箱");
    await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "下单时填写抬头即可",
      idempotencyKey: "crowd-0002",
    });
    await waitFor("the buyer got the answer", () => record.answeredAt);
  });
});
