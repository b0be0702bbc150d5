import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { giveOrder, seededRng } from "../apps/server/src/modules/assist/autoreply/testing.ts";
import type { ApiClient } from "../apps/server/test/api-client.ts";
import { type DemoWorld, startDemoWorld } from "../apps/server/test/demo-world.ts";
import { chromiumAvailable, demoLogin, launchChromium, resultsDir, signIn } from "./support/browser.ts";
import { routeFlagshipToAgent1 } from "./support/demo.ts";

/**
 * The recommended solution of issue 5 in Chromium: a buyer asks the simulated Taobao
 * store for a return, which the bot does not answer; the agent sees the combined tag, why
 * the bot stayed out, the store's canned reply filled with the buyer's real order, the
 * policy article and the actions, inserts the reply into the composer in one click, opens
 * the order, and sees the card follow a correction of the intent and a new buyer message.
 */

const haveChromium = chromiumAvailable(import.meta.url);
const visible = { timeout: 20_000 } as const;

describe.runIf(haveChromium)("the recommended solution in Chromium", () => {
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
    for (const body of [
      { keywords: ["退换货"], title: "退换货-通用", text: "亲，收到商品7天内支持无理由退换货～" },
      {
        storeId: flagship.id,
        keywords: ["退换货"],
        title: "旗舰店退换货",
        text: "亲，订单{订单号}支持7天无理由退换，请在订单页点“申请售后”，选择换货即可",
      },
      { keywords: ["投诉", "道歉"], title: "投诉安抚", text: "非常抱歉给您带来不好的体验，我马上为您处理" },
      { keywords: ["物流", "快递"], title: "查物流", text: "亲，包裹由{快递公司}配送，运单号{快递单号}" },
    ]) {
      expect((await sup.post("/api/library/replies", body)).status).toBe(201);
    }
    const policy = await sup.post("/api/library/kb/articles", {
      title: "七天无理由退换货政策",
      tags: ["退换货", "退货"],
      body: "签收后7天内可申请退货或换货，商品需保持完好。",
    });
    expect(policy.status).toBe(201);
    // The buyer's conversation is agent1's.
    await routeFlagshipToAgent1(w);
    browser = await launchChromium();
    fs.mkdirSync("/tmp/shots", { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  async function open(key: "agent1", viewport: { width: number; height: number }): Promise<Page> {
    return (await signIn(browser, w.t.url, demoLogin(w.demo.logins, key), { viewport, errors })).page;
  }

  it("shows the tag, the bot's reason, the store's reply filled with the real order, and inserts it in one click", async () => {
    const buyer = "tb_推荐方案买家";
    const order = giveOrder(w.sim, seededRng(9), flagship.storeKey, buyer, "delivered");
    const page = await open("agent1", { width: 1280, height: 800 });

    w.sim.say({ storeKey: flagship.storeKey, buyerNick: buyer, text: "鞋子穿着有点小，我想退货换大一码" });
    const item = page.getByTestId("conversation-item").filter({ hasText: buyer });
    await expectVisible(item);
    await item.first().click();

    const card = page.getByTestId("recommendation");
    await expectVisible(card.locator('[data-testid="recommendation-tag"]').filter({ hasText: "售后-退换货-鞋子类目" }));
    // The bot (on in this store) does not answer returns; the card says so.
    await expectVisible(card.locator('[data-testid="recommendation-bot"][data-reason="out_of_scope"]'));
    const best = card.getByTestId("recommendation-reply").first();
    await expectVisible(best.filter({ hasText: "旗舰店退换货" }));
    await expectVisible(best.filter({ hasText: order.orderId }));
    await expectVisible(card.getByTestId("recommendation-article").filter({ hasText: "七天无理由退换货政策" }));
    await expectVisible(card.locator('[data-kind="open_order"]').filter({ hasText: order.orderId }));
    await expectVisible(card.locator('[data-kind="transfer_group"]').filter({ hasText: "售后组" }));
    // The card's sync brought the order in: the buyer panel beside the thread lists it too.
    await expectVisible(
      page.getByTestId("customer-panel").getByTestId("customer-order").filter({ hasText: order.orderId }),
    );
    await page.screenshot({ path: "/tmp/shots/recommend-1280x800.png" });
    await page.screenshot({ path: path.join(resultsDir, "recommend-card.png") });

    await best.getByTestId("recommendation-insert").click();
    const composer = page.getByTestId("composer-input");
    await expect
      .poll(() => composer.inputValue(), visible)
      .toBe(`亲，订单${order.orderId}支持7天无理由退换，请在订单页点“申请售后”，选择换货即可`);
    // Sent as it stands: the buyer receives exactly the filled reply.
    await page.getByTestId("send-button").click();
    await expect
      .poll(() => w.sim.replies({ buyerNick: buyer }).map((r) => r.text), visible)
      .toContain(`亲，订单${order.orderId}支持7天无理由退换，请在订单页点“申请售后”，选择换货即可`);

    // "Open order" brings the buyer's order into view.
    await card.locator('[data-kind="open_order"]').getByTestId("recommendation-action").click();
    await expectVisible(page.locator('[data-testid="order-entry"].is-focused').filter({ hasText: order.orderId }));
    await page.keyboard.press("Escape");

    // The agent corrects the intent: the card follows at once.
    await page.getByTestId("intent-tag").click();
    await page.getByTestId("intent-option-投诉").click();
    await expectVisible(card.locator('[data-testid="recommendation-tag"]').filter({ hasText: "投诉" }));
    await expectVisible(card.locator('[data-kind="escalate"]'));
    await expectVisible(card.getByTestId("recommendation-reply").first().filter({ hasText: "投诉安抚" }));

    // A new buyer message about the parcel: the card reads it.
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: buyer, text: "对了，我另一个快递到哪了" });
    await expectVisible(card.locator('[data-testid="recommendation-tag"]').filter({ hasText: "物流-物流查询" }));
    await expectVisible(card.locator('[data-kind="check_logistics"]').filter({ hasText: order.orderId }));
    await page.screenshot({ path: "/tmp/shots/recommend-logistics-1280x800.png" });
    expect(errors).toEqual([]);
  });

  it("fits an iPad in portrait (768×1024)", async () => {
    const buyer = "tb_平板买家";
    giveOrder(w.sim, seededRng(11), flagship.storeKey, buyer, "delivered");
    const page = await open("agent1", { width: 768, height: 1024 });
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: buyer, text: "这双鞋能退换货吗" });
    const item = page.getByTestId("conversation-item").filter({ hasText: buyer });
    await expectVisible(item);
    await item.first().click();
    const card = page.getByTestId("recommendation");
    await expectVisible(card.getByTestId("recommendation-reply").filter({ hasText: "旗舰店退换货" }));
    const box = await card.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(768);
    await page.screenshot({ path: "/tmp/shots/recommend-768x1024.png" });
    expect(errors).toEqual([]);
  });
});
