import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoWorld, startDemoWorld } from "../apps/server/test/demo-world.ts";
import {
  chromiumAvailable,
  demoLogin,
  launchChromium,
  type OpenedPage,
  resultsDir,
  signIn,
} from "./support/browser.ts";

/**
 * The agent workspace in a real browser (Debian's chromium, driven by
 * playwright-core) against a server and simulator in this process: login,
 * realtime arrival without reload, replying from the composer, store isolation
 * between two agents, and buyer text shown as text.
 */

const haveChromium = chromiumAvailable(import.meta.url);
const visible = { timeout: 15_000 } as const;

interface AgentPage extends OpenedPage {
  /** Every socket.io frame the page received, as text. */
  frames: string[];
  dialogs: string[];
}

describe.runIf(haveChromium)("the agent workspace in Chromium", () => {
  let w: DemoWorld;
  let browser: Browser;
  let agent1: AgentPage;
  let agent2: AgentPage;
  let flagshipKey: string;
  let outletKey: string;

  async function openAgentPage(key: "agent1" | "agent2"): Promise<AgentPage> {
    const frames: string[] = [];
    const dialogs: string[] = [];
    const signedIn = await signIn(browser, w.t.url, demoLogin(w.demo.logins, key), {
      timeout: visible.timeout,
      beforeLoad: (page) => {
        page.on("websocket", (ws) => {
          ws.on("framereceived", (frame) => {
            frames.push(typeof frame.payload === "string" ? frame.payload : frame.payload.toString("utf8"));
          });
        });
        page.on("dialog", (dialog) => {
          dialogs.push(`${dialog.type()}: ${dialog.message()}`);
          void dialog.dismiss();
        });
      },
      atLogin: async (page) => {
        await expectVisible(page.getByTestId("login-email"));
        if (key === "agent1") await page.screenshot({ path: path.join(resultsDir, "login.png") });
      },
    });
    // Set once; a reload or navigation would lose it.
    await signedIn.page.evaluate(() => {
      (globalThis as unknown as { yunxiNoReload: boolean }).yunxiNoReload = true;
    });
    return { ...signedIn, frames, dialogs };
  }

  const expectVisible = (locator: ReturnType<Page["locator"]>) =>
    locator.first().waitFor({ state: "visible", ...visible });
  const item = (p: AgentPage, buyerNick: string) =>
    p.page.getByTestId("conversation-item").filter({ hasText: buyerNick });
  const stillSamePage = (p: AgentPage) =>
    p.page.evaluate(() => (globalThis as unknown as { yunxiNoReload?: boolean }).yunxiNoReload === true);

  beforeAll(async () => {
    w = await startDemoWorld();
    flagshipKey = w.demo.stores.find((s) => s.name === "旗舰店")!.storeKey;
    outletKey = w.demo.stores.find((s) => s.name === "折扣店")!.storeKey;
    browser = await launchChromium();
    agent1 = await openAgentPage("agent1");
    agent2 = await openAgentPage("agent2");
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it("shows a flagship buyer's message to agent1 live, and sends agent1's reply exactly once", async () => {
    const buyerNick = "tb_浏览器买家";
    await agent1.page.screenshot({ path: path.join(resultsDir, "workspace-empty-agent1.png") });
    const said = w.sim.say({ storeKey: flagshipKey, buyerNick, text: "你好，这款运动鞋42码还有货吗？" })!;
    expect(said.buyerNick).toBe(buyerNick);

    // The conversation appears in the list without a reload.
    const row = item(agent1, buyerNick);
    await expectVisible(row);
    await expect(row.first().textContent()).resolves.toContain("你好，这款运动鞋42码还有货吗？");
    expect(await stillSamePage(agent1)).toBe(true);

    await row.first().click();
    const thread = agent1.page.getByTestId("thread");
    const inbound = thread.locator('[data-testid="message"][data-direction="inbound"]');
    await expectVisible(inbound.filter({ hasText: "你好，这款运动鞋42码还有货吗？" }));

    // The platform answers slowly, so "pending" is on screen long enough to be seen.
    w.sim.setFaults({ latencyMs: 1500 });
    try {
      const reply = "亲，42码有现货，今天下单明天发货哦～";
      const composer = agent1.page.getByTestId("composer-input");
      await composer.fill(reply);
      await composer.press("Enter");
      await expect(composer.inputValue()).resolves.toBe("");
      const outbound = thread.locator('[data-testid="message"][data-direction="outbound"]').filter({ hasText: reply });
      await expectVisible(outbound.and(agent1.page.locator('[data-delivery-status="pending"]')));
      await expectVisible(outbound.and(agent1.page.locator('[data-delivery-status="sent"]')));
      expect(await outbound.count()).toBe(1);

      const received = w.sim.replies({ storeKey: flagshipKey, buyerNick }).filter((r) => r.text === reply);
      expect(received).toHaveLength(1);
      expect(w.sim.sendCalls({ storeKey: flagshipKey, buyerNick })).toHaveLength(1);
    } finally {
      w.sim.clearFaults();
    }
    expect(await stillSamePage(agent1)).toBe(true);
    await agent1.page.screenshot({ path: path.join(resultsDir, "workspace-agent1.png") });
  });

  it("shows buyer text with HTML as literal text: no element injected, no dialog", async () => {
    const buyerNick = "tb_浏览器买家";
    const html = "<img src=x onerror=alert(1)>";
    w.sim.say({ storeKey: flagshipKey, buyerNick, text: html });
    const thread = agent1.page.getByTestId("thread");
    const message = thread.locator('[data-testid="message"][data-direction="inbound"]').filter({ hasText: html });
    await expectVisible(message);
    const body = message.first().locator(".message-body");
    expect(await body.textContent()).toBe(html);
    expect(await body.locator("*").count()).toBe(0);
    expect(await agent1.page.locator('img[src="x"], [onerror]').count()).toBe(0);
    // The list's preview shows it as text, too.
    await expectVisible(item(agent1, buyerNick).filter({ hasText: html }));
    await agent1.page.waitForTimeout(300); // an onerror would have fired by now
    expect(agent1.dialogs).toEqual([]);
    expect(agent1.errors).toEqual([]);
    await agent1.page.screenshot({ path: path.join(resultsDir, "workspace-agent1-html.png") });
  });

  it("never shows agent2 (outlet only) the flagship conversation, in the list or on the socket", async () => {
    const flagshipBuyer = "tb_浏览器买家";
    const conversationId = await item(agent1, flagshipBuyer).first().getAttribute("data-conversation-id");
    expect(conversationId).toBeTruthy();

    // An outlet buyer writes after everything above: once agent2 has it, any flagship event would have arrived too.
    const outletBuyer = "tb_折扣店买家";
    w.sim.say({ storeKey: outletKey, buyerNick: outletBuyer, text: "折扣店的这件外套还能便宜点吗？" });
    await expectVisible(item(agent2, outletBuyer));
    expect(await stillSamePage(agent2)).toBe(true);
    expect(agent2.frames.some((f) => f.includes(outletBuyer))).toBe(true); // the socket capture works

    expect(await item(agent2, flagshipBuyer).count()).toBe(0);
    expect(await agent2.page.locator(`[data-conversation-id="${conversationId}"]`).count()).toBe(0);
    const leaked = agent2.frames.filter(
      (f) => f.includes(flagshipBuyer) || f.includes(conversationId!) || f.includes("旗舰店"),
    );
    expect(leaked).toEqual([]);

    // …and the other way round.
    expect(await item(agent1, outletBuyer).count()).toBe(0);
    expect(agent1.frames.some((f) => f.includes(outletBuyer))).toBe(false);
    await agent2.page.screenshot({ path: path.join(resultsDir, "workspace-agent2.png") });
  });
});
