import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { WidgetSession } from "@yunxi/contracts";
import { shopPageHtml } from "@yunxi/marketplaces/simulator/channels";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoSeed, ownChannelConfigs, seedDemoOrg } from "../apps/server/src/cli/seed-demo.ts";
import { ApiClient } from "../apps/server/test/api-client.ts";
import { startTestServer, type TestServer } from "../apps/server/test/harness.ts";
import { chromiumAvailable, demoLogin, launchChromium, openPage, resultsDir, signIn } from "./support/browser.ts";

/**
 * The web chat widget in a real browser, embedded with its one `<script>` tag on
 * a merchant's page served from another origin than Yunxi: the visitor sees the
 * offline notice, asks a question, agent3 (who serves the webchat store) sees it
 * labelled 官网-商城 in the workspace and answers from the composer, the answer
 * appears in the widget, and after a reload the thread is still there.
 */

const haveChromium = chromiumAvailable(import.meta.url, ["apps/web/dist/index.html", "apps/widget/dist/widget.js"]);
const visible = { timeout: 15_000 } as const;
const expectVisible = (locator: Locator) => locator.first().waitFor({ state: "visible", ...visible });
const expectHidden = (locator: Locator) => locator.first().waitFor({ state: "hidden", ...visible });

/** The merchant's own web server: one page with the widget's script tag, nothing else. */
async function startShop(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.url !== "/") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The widget's parts; Playwright's CSS and role locators pierce its open shadow root. */
function widgetOf(page: Page) {
  const host = page.locator("[data-yunxi-widget]");
  return {
    launcher: host.getByRole("button", { name: "在线客服" }),
    panel: host.getByRole("dialog"),
    title: host.locator(".header .title"),
    notice: host.locator(".notice"),
    input: host.getByPlaceholder("请输入消息，回车发送"),
    send: host.getByRole("button", { name: "发送", exact: true }),
    rows: host.locator(".messages .row"),
    visitorSaid: (text: string) => host.locator(".row.visitor .bubble").filter({ hasText: text }),
    agentSaid: (text: string) => host.locator(".row.agent .bubble").filter({ hasText: text }),
  };
}

describe.runIf(haveChromium)("the web chat widget on a merchant's page, in Chromium", () => {
  let t: TestServer;
  let demo: DemoSeed;
  let shop: { url: string; close: () => Promise<void> };
  let browser: Browser;
  let storeKey: string;
  let visitor: Page;
  let agent: Page;
  const visitorErrors: string[] = [];
  /** The Origin header of every widget API call the visitor's page made. */
  const apiOrigins: string[] = [];
  let session: WidgetSession | undefined;

  const question = "你好，官网上的轻跑运动鞋42码还有货吗？";
  const answer = "您好，42码有现货，今天下单明天发货～";
  const offlineNotice = "客服暂时不在线，您可以留言，我们会尽快回复您。";

  beforeAll(async () => {
    t = await startTestServer();
    // Own channels only: the web chat store 商城 (served by agent3) and a mailbox whose relay is never used here.
    demo = await seedDemoOrg(t.server.ctx, {
      gatewayUrl: t.url,
      stores: [],
      channels: ownChannelConfigs({ host: "127.0.0.1", port: 9 }),
    });
    storeKey = demo.channels!.find((c) => c.platform === "webchat")!.storeKey;
    shop = await startShop(shopPageHtml({ yunxiUrl: t.url, storeKey, shopName: "云席演示官网" }));
    browser = await launchChromium();

    visitor = (await openPage(browser, { viewport: { width: 1280, height: 800 }, errors: visitorErrors })).page;
    visitor.on("request", (request) => {
      if (!request.url().startsWith(`${t.url}/widget/`)) return;
      void request.allHeaders().then((headers) => apiOrigins.push(headers.origin ?? "(none)"));
    });
    visitor.on("response", (response) => {
      if (response.url().endsWith(`/widget/${storeKey}/session`) && response.ok()) {
        void response.json().then((body: WidgetSession) => {
          session = body;
        });
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await t?.close();
  });

  it("shows the offline notice while no agent is connected, and keeps the visitor's question", async () => {
    expect(new URL(shop.url).origin).not.toBe(new URL(t.url).origin);
    await visitor.goto(shop.url);
    await expect(visitor.title()).resolves.toBe("云席演示官网");
    const widget = widgetOf(visitor);
    await expectVisible(widget.launcher);
    await expect(widget.panel.isVisible()).resolves.toBe(false);

    await widget.launcher.click();
    await expectVisible(widget.panel);
    await expectVisible(widget.title.filter({ hasText: "商城 · 在线客服" }));
    await expectVisible(widget.notice.filter({ hasText: offlineNotice }));
    await expectVisible(widget.rows.filter({ hasText: "您好，有什么可以帮您？" }));
    await visitor.screenshot({ path: path.join(resultsDir, "widget-offline.png") });

    await widget.input.fill(question);
    await widget.send.click();
    await expectVisible(widget.visitorSaid(question));
    await expect(widget.input.inputValue()).resolves.toBe("");
    // The send result and the socket's echo of the same message make one bubble.
    await visitor.waitForTimeout(300);
    expect(await widget.visitorSaid(question).count()).toBe(1);
    await expect(widget.notice.textContent()).resolves.toBe(offlineNotice);

    // Every API call was a cross-origin call from the shop's page.
    expect(session?.visitor.identified).toBe(false);
    expect(session?.agentsOnline).toBe(false);
    expect(apiOrigins.length).toBeGreaterThanOrEqual(3); // session, history, send
    expect(new Set(apiOrigins)).toEqual(new Set([new URL(shop.url).origin]));
  });

  it("shows agent3 the conversation labelled 官网-商城 and delivers the reply to the widget live", async () => {
    const visitorName = session!.visitor.name;
    const login = demoLogin(demo.logins, "agent3");
    expect(login.stores).toContain("官网-商城");

    agent = (await signIn(browser, t.url, login, { timeout: visible.timeout })).page;

    const item = agent.getByTestId("conversation-item").filter({ hasText: visitorName });
    await expectVisible(item);
    await expect(item.first().locator(".source-tag").textContent()).resolves.toBe("官网-商城");
    await expect(item.first().textContent()).resolves.toContain(question);

    // The same over the API: the label is the server's, not only the web app's.
    const api = await new ApiClient(t.url).login(login.email, login.password);
    const listed = (await api.get("/api/conversations")).body.items.find(
      (c: { customer: { displayName: string } }) => c.customer.displayName === visitorName,
    );
    expect(listed).toMatchObject({ platform: "webchat", storeLabel: "官网-商城" });

    await item.first().click();
    const thread = agent.getByTestId("thread");
    await expectVisible(
      thread.locator('[data-testid="message"][data-direction="inbound"]').filter({ hasText: question }),
    );
    const composer = agent.getByTestId("composer-input");
    await composer.fill(answer);
    await composer.press("Enter");
    const outbound = thread.locator('[data-testid="message"][data-direction="outbound"]').filter({ hasText: answer });
    await expectVisible(outbound.and(agent.locator('[data-delivery-status="sent"]')));
    expect(await outbound.count()).toBe(1);
    await agent.screenshot({ path: path.join(resultsDir, "widget-agent3.png") });

    // The visitor's page was never reloaded: the answer came over the widget's socket.
    const widget = widgetOf(visitor);
    await expectVisible(widget.agentSaid(answer));
    expect(await widget.agentSaid(answer).count()).toBe(1);
    // Someone answered, so the offline notice is gone.
    await expectHidden(widget.notice);
    await visitor.screenshot({ path: path.join(resultsDir, "widget-shop.png") });
  });

  it("shows the whole thread again after the visitor reloads the page, and no offline notice while agent3 is online", async () => {
    const before = session!;
    const resumed = visitor.waitForResponse((r) => r.url().endsWith(`/widget/${storeKey}/session`), visible);
    await visitor.reload();
    // A returning visitor's widget starts its session at once, before it is opened.
    const again = (await (await resumed).json()) as WidgetSession;
    const widget = widgetOf(visitor);
    await expectVisible(widget.launcher);
    await widget.launcher.click();
    await expectVisible(widget.agentSaid(answer));
    await expectVisible(widget.visitorSaid(question));

    // The same visitor (token kept in the page's localStorage), question first, each once.
    expect(again.visitor).toEqual(before.visitor);
    expect(again.agentsOnline).toBe(true);
    const texts = await widget.rows.locator(".bubble").allTextContents();
    expect(texts).toEqual([question, answer]);
    expect(await widget.notice.isVisible()).toBe(false);
    expect(visitorErrors).toEqual([]);
    await visitor.screenshot({ path: path.join(resultsDir, "widget-shop-reloaded.png") });
  });
});
