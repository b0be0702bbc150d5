import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { giveOrder, seededRng } from "../apps/server/src/modules/assist/autoreply/testing.ts";
import { type DemoWorld, startDemoWorld } from "../apps/server/test/demo-world.ts";
import { type FakeLlm, startFakeLlm } from "../apps/server/test/fake-llm.ts";
import { chromiumAvailable, demoLogin, launchChromium, resultsDir, signIn } from "./support/browser.ts";
import { routeFlagshipToAgent1 } from "./support/demo.ts";

/**
 * The optional LLM of issue 5 in Chromium: an admin points Yunxi at an OpenAI-compatible
 * endpoint (a real little local server here), tests it and saves the key, which the page
 * never shows again; an agent asks for an 「AI 草稿」, which fills the reply box and is not sent.
 */

const haveChromium = chromiumAvailable(import.meta.url);
const visible = { timeout: 20_000 } as const;
const KEY = "sk-e2e-secret-0123456789abcd";
const DRAFT = "亲，您的订单已发货，签收后 7 天内支持退换哦～";

describe.runIf(haveChromium)("the optional LLM in Chromium", () => {
  let w: DemoWorld;
  let llm: FakeLlm;
  let browser: Browser;
  let flagship: { id: string; storeKey: string };
  const errors: string[] = [];

  const expectVisible = (locator: ReturnType<Page["locator"]>) =>
    locator.first().waitFor({ state: "visible", ...visible });

  beforeAll(async () => {
    llm = await startFakeLlm();
    w = await startDemoWorld();
    flagship = w.demo.stores.find((s) => s.name === "旗舰店")!;
    // The buyer's conversation is agent1's.
    await routeFlagshipToAgent1(w);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
    await llm?.close();
  });

  async function open(key: "owner" | "agent1", viewport = { width: 1280, height: 800 }): Promise<Page> {
    return (await signIn(browser, w.t.url, demoLogin(w.demo.logins, key), { viewport, errors })).page;
  }

  it("an admin sets up the endpoint, tests it and saves the key, which is never shown again", async () => {
    const page = await open("owner");
    await page.goto(`${w.t.url}/admin/llm`);
    await expectVisible(page.getByTestId("llm-form"));
    await page.getByTestId("llm-base-url").fill(llm.baseUrl);
    await page.getByTestId("llm-model").fill("qwen-plus");
    await page.getByTestId("llm-api-key").fill(KEY);
    await page.getByTestId("llm-test").click();
    await expectVisible(page.getByTestId("llm-test-result").filter({ hasText: "连接成功" }));
    expect(llm.received.at(-1)!.authorization).toBe(`Bearer ${KEY}`);

    await page.getByTestId("llm-enabled").click();
    await page.getByTestId("llm-save").click();
    await expectVisible(page.getByText("大模型设置已保存"));
    await page.screenshot({ path: path.join(resultsDir, "llm-settings-1280.png"), fullPage: true });

    await page.reload();
    await expectVisible(page.getByTestId("llm-form"));
    await expect.poll(() => page.getByTestId("llm-api-key").getAttribute("placeholder"), visible).toContain("已保存");
    expect(await page.getByTestId("llm-api-key").inputValue()).toBe("");
    expect(await page.content()).not.toContain(KEY);
    await page.context().close();
  });

  it("an agent's 「AI 草稿」 fills the reply box (grounded in the order), sends nothing, and says when the model fails", async () => {
    const buyer = "tb_AI草稿买家";
    const order = giveOrder(w.sim, seededRng(7), flagship.storeKey, buyer, "shipped");
    llm.answers.other = { kind: "text", text: DRAFT };
    const page = await open("agent1", { width: 768, height: 1024 });
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: buyer, text: "鞋子不合适，可以退换吗？" });

    const item = page.getByTestId("conversation-item").filter({ hasText: buyer });
    await expectVisible(item);
    await item.first().click();
    await expectVisible(page.getByTestId("thread"));
    await page.getByTestId("ai-draft-button").click();
    await expect.poll(() => page.getByTestId("composer-input").inputValue(), visible).toBe(DRAFT);
    await expectVisible(page.getByTestId("composer-draft-sources").filter({ hasText: order.orderId }));
    // Ready for the agent to edit and send, by hand.
    await expect.poll(() => page.getByTestId("send-button").isEnabled(), visible).toBe(true);
    expect(llm.received.at(-1)!.prompt).toContain("鞋子不合适，可以退换吗？");
    await page.screenshot({ path: path.join(resultsDir, "llm-ai-draft-768.png") });
    // Only filled: nothing went to the buyer.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(w.sim.replies({ buyerNick: buyer })).toEqual([]);

    llm.answers.other = { kind: "status", status: 500 };
    await page.getByTestId("ai-draft-button").click();
    await expectVisible(page.getByTestId("composer-error").filter({ hasText: "大模型暂时没有响应" }));
    expect(await page.getByTestId("composer-input").inputValue()).toBe(DRAFT);
    expect(errors).toEqual([]);
  });
});
