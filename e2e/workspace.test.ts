import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allMarketplaceStoreConfigs, demoStoreConfigs } from "../apps/server/src/cli/seed-demo.ts";
import type { ApiClient } from "../apps/server/test/api-client.ts";
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
 * The workspace of issue 4 in Chromium: an assignment arriving live with its popup
 * and desktop notification, a transfer between two agents in two browser contexts,
 * the store filter, and the buyer's history from two platforms beside the thread.
 */

const haveChromium = chromiumAvailable(import.meta.url);
const visible = { timeout: 20_000 } as const;
type Key = "supervisor" | "agent1" | "agent2" | "agent3";

/**
 * Runs in the page before its own scripts: records the permission prompt and every desktop
 * notification shown; sounds muted, desktop notifications shown even while the page is in front
 * (the test's page always is). A string, since the server-side tsconfig has no DOM types.
 */
const recorderScript = `
  localStorage.setItem("yunxi.notifications", JSON.stringify({ muted: true, desktop: "always" }));
  const record = { requested: 0, shown: [] };
  globalThis.yunxiNotifications = record;
  const Real = globalThis.Notification;
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      record.shown.push({ title, body: (options && options.body) || "" });
    }
    static async requestPermission() {
      record.requested++;
      // The user says yes in the browser's prompt: the test grants it (headless Chromium shows none).
      await globalThis.yunxiGrantNotifications();
      return Real.requestPermission();
    }
  }
  globalThis.Notification = Recorded;
`;

interface Shown {
  requested: number;
  shown: { title: string; body: string }[];
}

describe.runIf(haveChromium)("the workspace in Chromium: routing, transfer, notifications, buyer panel", () => {
  let w: DemoWorld;
  let browser: Browser;
  const api = new Map<Key, ApiClient>();
  const pages = new Map<Key, OpenedPage>();
  let flagship: { id: string; storeKey: string };
  let outlet: { id: string; storeKey: string };
  let pdd: { id: string; storeKey: string };

  const expectVisible = (locator: ReturnType<Page["locator"]>) =>
    locator.first().waitFor({ state: "visible", ...visible });

  async function open(key: Key): Promise<Page> {
    const signedIn = await signIn(browser, w.t.url, demoLogin(w.demo.logins, key), {
      beforeLoad: async (page) => {
        const context = page.context();
        await context.exposeFunction("yunxiGrantNotifications", () =>
          context.grantPermissions(["notifications"], { origin: w.t.url }),
        );
        await context.addInitScript({ content: recorderScript });
      },
    });
    pages.set(key, signedIn);
    return signedIn.page;
  }

  const notifications = (page: Page) =>
    page.evaluate(() => (globalThis as unknown as { yunxiNotifications: Shown }).yunxiNotifications);
  const row = (page: Page, buyer: string) => page.getByTestId("conversation-item").filter({ hasText: buyer });
  const setStatus = async (key: Key, status: string) =>
    expect((await api.get(key)!.request("PUT", "/api/agents/me/status", { status })).status).toBe(200);

  beforeAll(async () => {
    const stores = [...demoStoreConfigs(), allMarketplaceStoreConfigs().find((s) => s.platform === "pdd")!];
    w = await startDemoWorld({ stores });
    const store = (name: string) => w.demo.stores.find((s) => s.name === name)!;
    flagship = store("旗舰店");
    outlet = store("折扣店");
    pdd = store("品牌店");
    for (const key of ["supervisor", "agent1", "agent2", "agent3"] as const) api.set(key, await w.login(key));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it("asks for desktop notifications, then shows an assignment live with a popup and a desktop notification", async () => {
    const page = await open("agent1");
    await page.getByTestId("enable-desktop-notifications").first().click();
    await expect.poll(async () => (await notifications(page)).requested, visible).toBeGreaterThan(0);

    // agent1 is the only one online for the flagship: the router must give the buyer to them.
    await setStatus("agent3", "offline");
    await setStatus("agent1", "online");
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: "tb_路由买家", text: "鞋子开胶了，我要退货" });

    const item = row(page, "tb_路由买家");
    await expectVisible(item);
    await expectVisible(item.locator(`[data-testid="assignee"][data-assignee="${(await me("agent1")).userId}"]`));
    await expectVisible(item.getByTestId("priority-badge"));
    await expectVisible(page.getByTestId("notification-popup"));
    await expect
      .poll(async () => (await notifications(page)).shown.map((n) => `${n.title} ${n.body}`).join("\n"), visible)
      .toContain("tb_路由买家");
    await page.screenshot({ path: path.join(resultsDir, "workspace-assigned.png") });
    expect(pages.get("agent1")!.errors).toEqual([]);
  });

  it("transfers a conversation from agent1 to agent3, who sees it arrive live in another browser", async () => {
    const page1 = pages.get("agent1")!.page;
    const page3 = await open("agent3");
    await page3.getByTestId("enable-desktop-notifications").first().click();
    await setStatus("agent3", "online");
    // Set elsewhere (here through the API), the agent's own header follows live.
    await expectVisible(page3.locator('[data-testid="agent-status"][data-status="online"]'));
    const agent3 = await me("agent3");

    await row(page1, "tb_路由买家").first().click();
    await expectVisible(page1.getByTestId("thread"));
    await page1.getByTestId("action-transfer").click();
    await expectVisible(page1.getByTestId("transfer-modal"));
    await page1.getByTestId("transfer-agent-select").click();
    await page1.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "小雪" }).click();
    await page1.getByTestId("transfer-note").fill("老客户，退货请优先处理");
    await page1.getByTestId("transfer-submit").click();

    const item3 = row(page3, "tb_路由买家");
    await expectVisible(item3.locator(`[data-testid="assignee"][data-assignee="${agent3.userId}"]`));
    await expectVisible(page3.getByTestId("notification-popup"));
    await item3.first().click();
    await expectVisible(
      page3.locator('[data-testid="message"][data-direction="internal"]').filter({ hasText: "老客户，退货请优先处理" }),
    );
    await page3.screenshot({ path: path.join(resultsDir, "workspace-transferred.png") });
    // A transfer to someone who does not serve the store is refused with its reason, and changes nothing.
    const refused = await api
      .get("agent3")!
      .post(`/api/conversations/${await conversationOf("tb_路由买家")}/transfer`, {
        toUserId: (await me("agent2")).userId,
      });
    expect(refused.body.error.code).toBe("not_serving_store");
  });

  it("switches the store filter without a round trip and shows only that store", async () => {
    const page = pages.get("agent3")!.page;
    w.sim.say({ storeKey: outlet.storeKey, buyerNick: "tb_折扣店买家", text: "有优惠吗" });
    await expectVisible(row(page, "tb_折扣店买家"));
    await page.getByTestId("filter-store").click();
    const started = Date.now();
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: "折扣店" }).click();
    await expect.poll(async () => row(page, "tb_路由买家").count(), visible).toBe(0);
    const ms = Date.now() - started;
    await expectVisible(row(page, "tb_折扣店买家"));
    // The figure is measured properly in bench/workspace-ui.ts; here it is only reported.
    console.log(`store switch in the test browser: ${ms} ms`);
  });

  it("shows the buyer's history from two platforms in the side panel once linked", async () => {
    w.sim.say({ storeKey: flagship.storeKey, buyerNick: "tb_双平台买家", text: "上次买的鞋子很好" });
    w.sim.say({ storeKey: pdd.storeKey, buyerNick: "pdd_双平台买家", text: "拼多多这边也买了一双" });
    const tbConversation = await waitConversation("tb_双平台买家");
    const pddConversation = await waitConversation("pdd_双平台买家");
    const sup = api.get("supervisor")!;
    const tbProfile = (await sup.get(`/api/conversations/${tbConversation}/customer`)).body;
    const pddProfile = (await sup.get(`/api/conversations/${pddConversation}/customer`)).body;
    const linked = await sup.post(`/api/customers/${tbProfile.customer.id}/identities`, {
      identityId: pddProfile.identities[0].id,
    });
    expect(linked.status).toBe(200);

    const page = pages.get("agent3")!.page;
    await page.getByTestId("filter-store").click();
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option").first().click();
    await row(page, "tb_双平台买家").first().click();
    const panel = page.getByTestId("customer-panel");
    await expectVisible(panel);
    await expect.poll(async () => panel.getByTestId("customer-identity").count(), visible).toBe(2);
    await expectVisible(panel.getByTestId("customer-identity").filter({ hasText: "拼多多" }));
    await expect.poll(async () => panel.getByTestId("customer-conversation").count(), visible).toBe(2);
    await expectVisible(panel.getByTestId("customer-conversation").filter({ hasText: "拼多多这边也买了一双" }));
    await page.screenshot({ path: path.join(resultsDir, "workspace-buyer-panel.png") });
  });

  async function me(key: Key): Promise<{ userId: string }> {
    return (await api.get(key)!.get("/api/agents/me")).body;
  }

  async function conversationOf(buyer: string): Promise<string | undefined> {
    const list = await api.get("supervisor")!.get(`/api/conversations?q=${encodeURIComponent(buyer)}`);
    return (list.body.items as { id: string }[])[0]?.id;
  }

  async function waitConversation(buyer: string): Promise<string> {
    let id: string | undefined;
    await expect.poll(async () => (id = await conversationOf(buyer)), visible).toBeTruthy();
    return id!;
  }
});
