import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type MailWorld, startMailWorld } from "@yunxi/marketplaces/simulator/channels";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../../test/harness.ts";
import type { AppContext } from "../../../platform/context.ts";
import { queryRows, sql } from "../../../platform/db/client.ts";
import { verifyTimestamped } from "../../channels/signing.ts";
import { exportsDir } from "../exports.ts";
import { type AnalyticsWorld, analyticsWorld, serviceDay } from "../testing.ts";
import { seedExampleSchedule } from "./example.ts";
import { claimDueSchedules } from "./scheduler.ts";
import { SCHEDULE_RUN_QUEUE } from "./service.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/** A webhook receiver on loopback: records each request; answers `status`. */
async function startReceiver() {
  const requests: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/report`;
  return { url, requests, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Scheduled reports end to end: a real SMTP server (the simulator's mail provider)
 * receives the mail, a real HTTP server the signed webhook; the scheduler claims a
 * due schedule once even when two run at once; failures are retried and recorded.
 */
describe.runIf(run)(`scheduled reports (${testDb})`, () => {
  let t: TestServer;
  let ctx: AppContext;
  let clock = new Date("2026-12-01T01:00:00Z");
  const tick = (seconds: number) => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };
  let w: AnalyticsWorld;
  let mail: MailWorld;
  let hook: Awaited<ReturnType<typeof startReceiver>>;
  const base = "/api/analytics/schedules";
  const put = (who: { client: AnalyticsWorld["a"]["client"] }, url: string, body: unknown) =>
    who.client.request("PUT", url, body);

  beforeAll(async () => {
    t = await startTestServer({ now: () => clock, env: { WORKER_CONCURRENCY: "0" } });
    ctx = t.server.ctx;
    w = await analyticsWorld(t, ctx);
    await serviceDay(ctx, w, tick, { consume: true });
    // Only the relay side of the simulator's mail world is used: it is the SMTP server reports go to.
    mail = await startMailWorld({ yunxiSmtp: { host: "127.0.0.1", port: 9 }, mailbox: "unused@yunxi.local" });
    hook = await startReceiver();
  });
  afterAll(async () => {
    await mail?.close();
    await hook?.close();
    await t?.close();
  });

  const daily = () => ({
    name: "每日运营日报",
    kind: "overview",
    cadence: "daily",
    time: "09:00",
    formats: ["xlsx"],
    recipients: ["ops@example.com", "boss@example.com"],
    webhookUrl: hook.url,
  });
  const count = async (table: "report_schedules" | "report_schedule_runs") =>
    (await queryRows(ctx.db, sql`SELECT 1 FROM ${sql.raw(table)} WHERE org_id = ${w.orgId}`)).length;
  const auditActions = async () =>
    (
      await queryRows<{ action: string }>(
        ctx.db,
        sql`SELECT action FROM audit_log WHERE org_id = ${w.orgId} AND (action LIKE 'analytics.schedule%' OR action LIKE 'analytics.report_mail%')`,
      )
    ).map((r) => r.action);
  /** Let retries come due at once: the back-off waits are the queue's, not what is tested here. */
  const retryNow = () =>
    ctx.db.execute(sql`UPDATE jobs SET run_at = now() WHERE queue = ${SCHEDULE_RUN_QUEUE} AND status = 'queued'`);

  let scheduleId = "";
  let secret = "";

  it("keeps the mail server's password write-only and to admins", async () => {
    const settings = {
      host: "127.0.0.1",
      port: mail.relayPort,
      user: "reports",
      password: "s3cret-pw",
      from: "reports@yunxi.test",
    };
    expect((await put(w.sup, `${base}/smtp`, settings)).status).toBe(403);
    expect((await w.sup.client.get(`${base}/smtp`)).status).toBe(403);
    const saved = await put(w.admin, `${base}/smtp`, settings);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      configured: true,
      host: "127.0.0.1",
      port: mail.relayPort,
      secure: false,
      user: "reports",
      passwordSet: true,
      from: "reports@yunxi.test",
    });
    const [row] = await queryRows<{ password_enc: string }>(
      ctx.db,
      sql`SELECT password_enc FROM report_mail_settings WHERE org_id = ${w.orgId}`,
    );
    expect(row!.password_enc).not.toContain("s3cret-pw");
    // The simulator's relay takes mail without AUTH: drop the user, keep a server that accepts.
    const { password: _kept, ...noAuth } = { ...settings, user: null };
    expect((await put(w.admin, `${base}/smtp`, { ...noAuth, password: null })).body.passwordSet).toBe(false);
    expect((await put(w.admin, `${base}/smtp`, { ...settings, port: 70_000 })).status).toBe(400);
  });

  it("refuses bad input (400) and schedules beyond the user's scope (403), creating nothing", async () => {
    const before = await count("report_schedules");
    for (const bad of [
      { ...daily(), time: "25:00" },
      { ...daily(), time: "9:00" },
      { ...daily(), recipients: ["not-an-address"] },
      { ...daily(), weekday: 1 },
      { ...daily(), cadence: "weekly" },
      { ...daily(), cadence: "monthly", dayOfMonth: 0 },
      { ...daily(), cadence: "monthly", dayOfMonth: 5, weekday: 1 },
      { ...daily(), recipients: [], webhookUrl: null },
      { ...daily(), formats: [] },
      { ...daily(), formats: ["xlsx", "xlsx"] },
      { ...daily(), webhookUrl: "ftp://example.com/x" },
      { ...daily(), filters: { agentId: w.a.id } },
      { ...daily(), kind: "everything" },
    ]) {
      const res = await w.sup.client.post(base, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
    // Agents schedule nothing: not the whole org, not a store they do not serve, not even their own.
    expect((await w.a.client.post(base, daily())).status).toBe(403);
    expect((await w.b.client.post(base, { ...daily(), filters: { storeId: w.jd.id } })).status).toBe(403);
    expect((await w.b.client.post(base, { ...daily(), filters: { storeId: w.taobao.id } })).status).toBe(403);
    expect((await w.a.client.get(base)).status).toBe(403);
    const unknownStore = await w.sup.client.post(base, {
      ...daily(),
      filters: { storeId: "00000000-0000-4000-8000-000000000000" },
    });
    expect(unknownStore.status).toBe(404);
    expect(await count("report_schedules")).toBe(before);
  });

  it("creates a schedule: next run at 09:00 in the org's time zone, the webhook secret shown once", async () => {
    const res = await w.sup.client.post(base, daily());
    expect(res.status).toBe(201);
    expect(res.body.schedule).toMatchObject({
      name: "每日运营日报",
      time: "09:00",
      timezone: "Asia/Shanghai",
      enabled: true,
      nextRunAt: "2026-12-02T01:00:00.000Z",
      lastStatus: null,
      createdBy: { id: w.sup.id, name: "主管" },
    });
    expect(res.body.webhookSecret).toMatch(/^[\w-]{40,}$/);
    scheduleId = res.body.schedule.id;
    secret = res.body.webhookSecret;
    expect((await w.sup.client.get(`${base}/${scheduleId}`)).body).not.toHaveProperty("webhookSecret");
    const [row] = await queryRows<{ webhook_secret_enc: string }>(
      ctx.db,
      sql`SELECT webhook_secret_enc FROM report_schedules WHERE id = ${scheduleId}`,
    );
    expect(row!.webhook_secret_enc).not.toContain(secret);
    // Admins may read it again (audited); supervisors may not.
    expect((await w.sup.client.get(`${base}/${scheduleId}/webhook-secret`)).status).toBe(403);
    expect((await w.admin.client.get(`${base}/${scheduleId}/webhook-secret`)).body).toEqual({ webhookSecret: secret });
    // Saving it again keeps the secret (no new one shown).
    const same = await put(w.sup, `${base}/${scheduleId}`, daily());
    expect(same.status).toBe(200);
    expect(same.body.webhookSecret).toBeNull();
  });

  it("delivers a due schedule once, even with two schedulers at once: one mail with the Excel, one signed webhook", async () => {
    expect(await claimDueSchedules(ctx)).toBe(0); // not due yet
    clock = new Date("2026-12-02T01:00:20Z");
    const claims = await Promise.all([claimDueSchedules(ctx), claimDueSchedules(ctx), claimDueSchedules(ctx)]);
    expect(claims.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await count("report_schedule_runs")).toBe(1);
    const arriving = mail.nextMailFor("ops@example.com", 15_000);
    await ctx.jobs.drain();
    const got = await arriving;
    expect(got).not.toBeNull();
    expect(got!.subject).toBe("【云席】每日运营日报｜运营概览｜2026-12-01");
    expect(got!.text).toContain("会话数");
    expect(got!.html).toContain("核心指标");
    expect([got!.to].flat().flatMap((a) => a!.value.map((v) => v.address))).toEqual([
      "ops@example.com",
      "boss@example.com",
    ]);
    expect(got!.attachments).toHaveLength(1);
    const attachment = got!.attachments[0]!;
    expect(attachment.filename).toBe("每日运营日报_2026-12-01.xlsx");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(attachment.content as unknown as ArrayBuffer);
    const overview: unknown[][] = [];
    book.getWorksheet("概览")!.eachRow((row) => overview.push((row.values as unknown[]).slice(1)));
    expect(overview.find((r) => r[0] === "会话数")?.[1]).toBe(5);
    expect(overview.find((r) => r[0] === "范围")?.[1]).toContain("2026-12-01 至 2026-12-01");

    // One mail for both recipients, one webhook, signed over `timestamp.body`.
    expect(mail.inboxes.filter((m) => m.subject?.includes("每日运营日报"))).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
    const request = hook.requests[0]!;
    const verdict = verifyTimestamped({
      secret,
      timestamp: request.headers["x-yunxi-timestamp"] as string,
      payload: request.body,
      signature: request.headers["x-yunxi-signature"] as string,
      now: clock,
      maxSkewSeconds: 300,
      separator: ".",
    });
    expect(verdict).toEqual({ ok: true });
    expect(
      verifyTimestamped({
        ...{ secret: "wrong" },
        timestamp: request.headers["x-yunxi-timestamp"] as string,
        payload: request.body,
        signature: request.headers["x-yunxi-signature"] as string,
        now: clock,
        maxSkewSeconds: 300,
        separator: ".",
      }).ok,
    ).toBe(false);
    const payload = JSON.parse(request.body);
    expect(payload).toMatchObject({
      event: "report.scheduled",
      schedule: { id: scheduleId, name: "每日运营日报", kind: "overview", cadence: "daily" },
      period: { from: "2026-12-01", to: "2026-12-01", timezone: "Asia/Shanghai" },
      summary: { conversations: 5, complaints: 1 },
    });
    expect(request.headers["x-yunxi-delivery"]).toBe(payload.deliveryId);
    const hooked = new ExcelJS.Workbook();
    await hooked.xlsx.load(Buffer.from(payload.files[0].base64, "base64") as unknown as ArrayBuffer);
    expect(hooked.worksheets.map((s) => s.name)).toContain("客服绩效");

    const schedule = (await w.sup.client.get(`${base}/${scheduleId}`)).body;
    expect(schedule).toMatchObject({ lastStatus: "sent", lastError: null, nextRunAt: "2026-12-03T01:00:00.000Z" });
    const runs = (await w.sup.client.get(`${base}/${scheduleId}/runs`)).body.items;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: "schedule", status: "sent", attempts: 1, periodFrom: "2026-12-01" });
    expect(runs[0].emailSentAt).not.toBeNull();
    expect(runs[0].webhookSentAt).not.toBeNull();

    // Built with the export code, as the schedule's creator, and recorded in the audit trail.
    const exports = await queryRows<{ requested_by: string; status: string }>(
      ctx.db,
      sql`SELECT requested_by, status FROM analytics_exports WHERE org_id = ${w.orgId}`,
    );
    expect(exports).toEqual([{ requested_by: w.sup.id, status: "done" }]);
    const requested = await queryRows<{ details: { scheduleId?: string } }>(
      ctx.db,
      sql`SELECT details FROM audit_log WHERE org_id = ${w.orgId} AND action = 'analytics.export_requested'`,
    );
    expect(requested.map((r) => r.details.scheduleId)).toEqual([scheduleId]);

    // Nothing more is due: running the scheduler again sends nothing.
    expect(await claimDueSchedules(ctx)).toBe(0);
    await ctx.jobs.drain();
    expect(hook.requests).toHaveLength(1);
  });

  it("retries an unreachable mail server with back-off, then records the failure; the webhook went once", async () => {
    await put(w.admin, `${base}/smtp`, { host: "127.0.0.1", port: await closedPort(), from: "reports@yunxi.test" });
    const hooksBefore = hook.requests.length;
    const res = await w.sup.client.post(`${base}/${scheduleId}/run`);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ trigger: "manual", status: "queued", periodFrom: "2026-12-01" });
    const runId = res.body.id;

    await ctx.jobs.drain();
    let state = (await w.sup.client.get(`${base}/${scheduleId}/runs`)).body.items.find(
      (r: { id: string }) => r.id === runId,
    );
    expect(state).toMatchObject({ status: "retrying", attempts: 1, emailSentAt: null });
    expect(state.error).toMatch(/SMTP not reachable/);
    expect(state.webhookSentAt).not.toBeNull();
    // The retry waits (back-off): draining now runs nothing.
    const [job] = await queryRows<{ delay: number }>(
      ctx.db,
      sql`SELECT extract(epoch FROM run_at - now()) AS delay FROM jobs WHERE queue = ${SCHEDULE_RUN_QUEUE} AND status = 'queued'`,
    );
    expect(Number(job!.delay)).toBeGreaterThan(0.5);
    expect(await ctx.jobs.drain()).toBe(0);

    for (let attempt = 2; attempt <= 4; attempt++) {
      await retryNow();
      expect(await ctx.jobs.drain()).toBe(1);
    }
    state = (await w.sup.client.get(`${base}/${scheduleId}/runs`)).body.items.find(
      (r: { id: string }) => r.id === runId,
    );
    expect(state).toMatchObject({ status: "failed", attempts: 4, emailSentAt: null });
    expect(state.error).toMatch(/SMTP not reachable/);
    expect(hook.requests.length - hooksBefore).toBe(1);
    const schedule = (await w.sup.client.get(`${base}/${scheduleId}`)).body;
    expect(schedule.lastStatus).toBe("failed");
    expect(schedule.lastError).toMatch(/SMTP not reachable/);
    await retryNow();
    expect(await ctx.jobs.drain()).toBe(0);
    // The run's files are whole exports; nothing half-written is left behind.
    expect(fs.readdirSync(exportsDir(t.dataDir)).filter((f) => f.endsWith(".part"))).toEqual([]);
    await put(w.admin, `${base}/smtp`, { host: "127.0.0.1", port: mail.relayPort, from: "reports@yunxi.test" });
  });

  it("never shows more than the creator may see now: a creator demoted to agent fails the run without retrying", async () => {
    const jd = await w.sup.client.post(base, {
      ...daily(),
      name: "京东日报",
      filters: { storeId: w.jd.id },
      webhookUrl: null,
    });
    expect(jd.status).toBe(201);
    const demote = await w.admin.client.patch(`/api/users/${w.sup.id}`, { role: "agent", storeIds: [w.taobao.id] });
    expect(demote.status).toBe(200);
    const res = await w.admin.client.post(`${base}/${jd.body.schedule.id}/run`);
    expect(res.status).toBe(202);
    await ctx.jobs.drain();
    const [runRow] = (await w.admin.client.get(`${base}/${jd.body.schedule.id}/runs`)).body.items;
    expect(runRow).toMatchObject({ status: "failed", attempts: 1 });
    expect(runRow.error).toMatch(/may not see/);
    expect(mail.inboxes.filter((m) => m.subject?.includes("京东日报"))).toHaveLength(0);
    await w.admin.client.patch(`/api/users/${w.sup.id}`, { role: "supervisor", storeIds: [] });
    expect((await w.admin.client.delete(`${base}/${jd.body.schedule.id}`)).status).toBe(204);
  });

  it("edits, disables and deletes, each in the audit trail", async () => {
    const weekly = await put(w.sup, `${base}/${scheduleId}`, {
      ...daily(),
      cadence: "weekly",
      weekday: 1,
      time: "08:30",
    });
    expect(weekly.status).toBe(200);
    // Wednesday 2 December (Shanghai) → Monday 7 December 08:30
    expect(weekly.body.schedule.nextRunAt).toBe("2026-12-07T00:30:00.000Z");
    const off = await put(w.sup, `${base}/${scheduleId}`, { ...daily(), enabled: false });
    expect(off.body.schedule).toMatchObject({ enabled: false, nextRunAt: null });
    clock = new Date("2026-12-09T01:00:00Z");
    expect(await claimDueSchedules(ctx)).toBe(0);
    clock = new Date("2026-12-02T02:00:00Z"); // back, before the sessions' idle timeout
    expect((await w.sup.client.delete(`${base}/${scheduleId}`)).status).toBe(204);
    expect((await w.sup.client.get(`${base}/${scheduleId}`)).status).toBe(404);

    const actions = await auditActions();
    for (const action of [
      "analytics.report_mail_changed",
      "analytics.schedule_created",
      "analytics.schedule_updated",
      "analytics.schedule_secret_viewed",
      "analytics.schedule_delivered",
      "analytics.schedule_run_requested",
      "analytics.schedule_delivery_failed",
      "analytics.schedule_deleted",
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(actions.filter((a) => a === "analytics.schedule_delivered")).toHaveLength(3); // mail + webhook, then the manual run's webhook
    expect(path.basename(exportsDir(t.dataDir))).toBe("exports");
  });

  it("seeds the demo's 每日运营日报 through the simulator's mail relay, and it arrives", async () => {
    const id = await seedExampleSchedule(ctx, w.orgId, { host: "127.0.0.1", port: mail.relayPort }, "ops@demo.test");
    const [row] = await queryRows<{ next_run_at: Date | string; enabled: boolean }>(
      ctx.db,
      sql`SELECT next_run_at, enabled FROM report_schedules WHERE id = ${id}`,
    );
    expect(row!.enabled).toBe(true);
    expect(new Date(row!.next_run_at).toISOString()).toBe("2026-12-03T01:00:00.000Z");
    clock = new Date("2026-12-03T01:00:05Z");
    const arriving = mail.nextMailFor("ops@demo.test", 15_000);
    expect(await claimDueSchedules(ctx)).toBe(1);
    await ctx.jobs.drain();
    const got = await arriving;
    expect(got?.subject).toBe("【云席】每日运营日报｜运营概览｜2026-12-02");
    expect(got?.attachments.map((a) => a.filename)).toEqual(["每日运营日报_2026-12-02.xlsx"]);
  });
});
