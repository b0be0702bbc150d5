import path from "node:path";
import { type MailWorld, startMailWorld } from "@yunxi/marketplaces/simulator/channels";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoWorld, startDemoWorld } from "../apps/server/test/demo-world.ts";
import { chromiumAvailable, demoLogin, launchChromium, resultsDir, signIn } from "./support/browser.ts";

/**
 * 定时报表 in Chromium: the owner sets the report mail server (a real SMTP server on loopback),
 * creates a daily schedule in the modal, sends it now, and sees it turn 已发送 while the mail
 * with the Excel arrives; on a laptop and on a tablet held upright.
 */

const haveChromium = chromiumAvailable(import.meta.url);
const visible = { timeout: 20_000 } as const;

describe.runIf(haveChromium)("scheduled reports in Chromium", () => {
  let w: DemoWorld;
  let mail: MailWorld;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    w = await startDemoWorld();
    mail = await startMailWorld({ yunxiSmtp: { host: "127.0.0.1", port: 9 }, mailbox: "unused@yunxi.local" });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await mail?.close();
    await w?.close();
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const owner = demoLogin(w.demo.logins, "owner");
    const { page } = await signIn(browser, w.t.url, owner, { viewport, timezoneId: "Asia/Shanghai", errors });
    await page.goto(`${w.t.url}/admin/schedules`);
    await page.getByTestId("report-schedules").waitFor({ state: "visible", ...visible });
    return page;
  }

  it("sets the mail server, creates a daily report, sends it now and shows it sent", async () => {
    const page = await open({ width: 1280, height: 800 });

    const settings = page.getByTestId("report-mail-settings");
    await page.getByTestId("report-mail-host").fill("127.0.0.1");
    await page.getByTestId("report-mail-port").fill(String(mail.relayPort));
    await settings.locator(".ant-switch").click(); // plain SMTP on loopback: no TLS
    await page.getByTestId("report-mail-from").fill("reports@yunxi.test");
    await page.getByTestId("report-mail-save").click();
    await page.getByText("发信设置已保存").waitFor({ state: "visible", ...visible });

    await page.getByTestId("schedule-add").click();
    const modal = page.locator(".ant-modal");
    await page.getByTestId("schedule-name").fill("每日运营日报");
    // A bad address is refused in the form, before the server.
    const recipients = page.getByTestId("schedule-recipients").locator("input");
    await recipients.fill("ops-at-example");
    await recipients.press("Enter");
    await modal.getByRole("button", { name: /保\s*存/ }).click();
    await modal.getByText("邮箱格式不正确：ops-at-example").waitFor({ state: "visible", ...visible });
    await modal.locator(".ant-select-selection-item-remove").first().click();
    await recipients.fill("ops@example.com");
    await recipients.press("Enter");
    await modal.getByRole("button", { name: /保\s*存/ }).click();
    await modal.waitFor({ state: "hidden", ...visible });

    const row = page.locator(".ant-table-row", { hasText: "每日运营日报" });
    await row.waitFor({ state: "visible", ...visible });
    await expect(row.textContent()).resolves.toContain("每天 09:00");
    await expect(row.textContent()).resolves.toContain("尚未发送");

    const arriving = mail.nextMailFor("ops@example.com", 30_000);
    await row.getByTestId("schedule-run").click();
    await row.locator('[data-testid="schedule-status"][data-status="sent"]').waitFor({ state: "visible", ...visible });
    const got = await arriving;
    expect(got?.subject).toMatch(/^【云席】每日运营日报｜运营概览｜\d{4}-\d{2}-\d{2}$/);
    expect(got?.attachments[0]?.filename).toMatch(/^每日运营日报_\d{4}-\d{2}-\d{2}\.xlsx$/);
    await page.screenshot({ path: path.join(resultsDir, "schedules-laptop.png") });

    // The modal on a tablet held upright.
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.screenshot({ path: path.join(resultsDir, "schedules-tablet.png") });
    await row.getByRole("button", { name: "编辑" }).click();
    await modal.waitFor({ state: "visible", ...visible });
    await page.waitForTimeout(600); // the modal's entry animation
    await page.screenshot({ path: path.join(resultsDir, "schedules-tablet-modal.png") });
    const box = await modal.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(768);
    expect(errors).toEqual([]);
  });
});
