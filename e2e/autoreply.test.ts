import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatChineseTime } from "../apps/server/src/modules/assist/autoreply/decide.ts";
import { buyerWithPaidOrderOnTime, seededRng } from "../apps/server/src/modules/assist/autoreply/testing.ts";
import type { ApiClient } from "../apps/server/test/api-client.ts";
import { type DemoWorld, startDemoWorld } from "../apps/server/test/demo-world.ts";
import { chromiumAvailable, demoLogin, launchChromium, resultsDir, signIn } from "./support/browser.ts";
import { routeFlagshipToAgent1 } from "./support/demo.ts";

/**
 * The order-aware auto-reply of issue 5 in Chromium: a buyer asks the simulated Taobao
 * store "什么时候发货"; the bot answers from the buyer's real (simulated) order; the agent's
 * thread shows that answer marked as the bot's, and the buyer's side received it.
 */

const haveChromium = chromiumAvailable(import.meta.url);
const visible = { timeout: 20_000 } as const;

describe.runIf(haveChromium)("the order-aware auto-reply in Chromium", () => {
  let w: DemoWorld;
  let browser: Browser;
  let sup: ApiClient;
  let flagship: { id: string; storeKey: string };
  const errors: string[] = [];

  const expectVisible = (locator: ReturnType<Page["locator"]>) =>
    locator.first().waitFor({ state: "visible", ...visible });

  beforeAll(async () => {
    w = await startDemoWorld();
    flagship = w.demo.stores.find((s) => s.name === "旗舰店")!;
    sup = await w.login("supervisor");
    const on = await sup.request("PUT", `/api/assist/autoreply/rules/${flagship.id}`, { enabled: true });
    expect(on.status).toBe(200);
    // The buyer's conversation is agent1's.
    await routeFlagshipToAgent1(w);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  async function open(key: "agent1"): Promise<Page> {
    return (await signIn(browser, w.t.url, demoLogin(w.demo.logins, key), { errors })).page;
  }

  it("answers \"什么时候发货\" from the buyer's paid order; the agent sees it as the bot's, the buyer receives it", async () => {
    const { buyer, order } = buyerWithPaidOrderOnTime(w.sim, seededRng(5), flagship.storeKey, "tb_自动回复买家");
    const shipBy = formatChineseTime(order.promisedShipAt!, "Asia/Shanghai");
    const page = await open("agent1");

    w.sim.say({ storeKey: flagship.storeKey, buyerNick: buyer, text: "什么时候发货" });

    const item = page.getByTestId("conversation-item").filter({ hasText: buyer });
    await expectVisible(item);
    await item.first().click();
    await expectVisible(page.getByTestId("thread"));
    const answer = page
      .locator('[data-testid="message"][data-direction="outbound"]')
      .filter({ hasText: order.orderId })
      .filter({ hasText: `${shipBy}前为您发货` });
    await expectVisible(answer);
    // Marked as the bot's, not an agent's.
    await expectVisible(answer.locator(".message-sender").filter({ hasText: "机器人" }));
    const shown = (await answer.first().locator(".message-body").textContent()) ?? "";

    // The buyer's side of the simulated platform received exactly that.
    await expect.poll(() => w.sim.replies({ buyerNick: buyer }).map((r) => r.text), visible).toEqual([shown]);
    await expect.poll(() => answer.first().getAttribute("data-delivery-status"), visible).toBe("sent");
    await page.screenshot({ path: path.join(resultsDir, "autoreply-bot-answer.png") });
    expect(errors).toEqual([]);
  });
});
