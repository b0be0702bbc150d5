import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, startTestServer, type TestServer, testDb } from "../../../test/harness.ts";
import type { AppContext } from "../../platform/context.ts";
import { queryRows, sql } from "../../platform/db/client.ts";
import type { Actor } from "../identity/index.ts";
import { createExport, exportsDir, runExport } from "./exports.ts";
import { findCjkFont } from "./pdf.ts";
import { type AnalyticsWorld, analyticsWorld, type Person, serviceDay } from "./testing.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/**
 * Report exports as jobs: Excel and PDF opened and read back, progress and download,
 * no file when an export fails (and why), an audit entry per export.
 */
describe.runIf(run)(`analytics exports (${testDb})`, () => {
  let t: TestServer;
  let ctx: AppContext;
  let clock = new Date("2026-12-01T01:00:00Z");
  const tick = (seconds: number) => {
    clock = new Date(clock.getTime() + seconds * 1000);
  };
  let w: AnalyticsWorld;
  const range = { from: "2026-12-01", to: "2026-12-01" };

  beforeAll(async () => {
    t = await startTestServer({ now: () => clock, env: { WORKER_CONCURRENCY: "0" } });
    ctx = t.server.ctx;
    w = await analyticsWorld(t, ctx);
    await serviceDay(ctx, w, tick, { consume: true });
  });
  afterAll(() => t?.close());

  /** Request an export, let the job run, return its final state. */
  async function exported(who: Person, body: Record<string, unknown>) {
    const res = await who.client.post("/api/analytics/exports", body);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued", progress: 0 });
    await ctx.jobs.drain();
    const job = await who.client.get(`/api/analytics/exports/${res.body.id}`);
    expect(job.status).toBe(200);
    return job.body;
  }

  async function download(who: Person, id: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
    const res = await fetch(`${t.url}/api/analytics/exports/${id}/download`, {
      headers: { cookie: who.client.cookie },
    });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  }

  const cells = (sheet: ExcelJS.Worksheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };

  it("exports Excel with formatted sheets, read back with exceljs", async () => {
    const job = await exported(w.sup, { ...range, format: "xlsx", includeConversations: true });
    expect(job).toMatchObject({ status: "done", progress: 100, fileName: "云席报表_2026-12-01_2026-12-01.xlsx" });
    const file = await download(w.sup, job.id);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toContain("spreadsheetml");
    expect(file.headers.get("content-disposition")).toContain(encodeURIComponent("云席报表"));
    expect(file.bytes.length).toBe(job.sizeBytes);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual([
      "概览",
      "趋势",
      "客服绩效",
      "平台对比",
      "客户需求",
      "质检",
      "会话明细",
    ]);
    const overview = cells(book.getWorksheet("概览")!);
    expect(overview[0]).toEqual(["指标", "本期", "上期", "变化"]);
    expect(overview.find((r) => r[0] === "会话数")?.[1]).toBe(5);
    expect(overview.find((r) => r[0] === "3分钟响应率")?.[1]).toBe(0.5);
    expect(book.getWorksheet("概览")!.getRow(1).font?.bold).toBe(true);
    expect(book.getWorksheet("概览")!.getRow(9).getCell(2).numFmt).toBe("0.0%");
    const agents = cells(book.getWorksheet("客服绩效")!);
    expect(
      agents
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(["小张", "小李"]);
    const platforms = cells(book.getWorksheet("平台对比")!);
    expect(platforms.map((r) => String(r[0]).trim())).toEqual(
      expect.arrayContaining(["淘宝", "京东", "淘宝-旗舰店", "京东-自营店"]),
    );
    expect(platforms.find((r) => r[0] === "京东")?.[1]).toBe("首次30秒应答率");
    const needs = cells(book.getWorksheet("客户需求")!);
    expect(needs.find((r) => r[0] === "投诉")?.[1]).toBe(1);
    const quality = cells(book.getWorksheet("质检")!);
    expect(quality.some((r) => r[0] === "未使用问候语")).toBe(true);
    const lines = cells(book.getWorksheet("会话明细")!);
    expect(lines).toHaveLength(1 + 5);
    expect(lines.map((r) => r[6])).toEqual(expect.arrayContaining(["这双鞋有42码吗", "东西坏了，我要投诉"]));
  });

  it.runIf(findCjkFont() !== null)(
    "exports a PDF with an embedded CJK font, its Chinese text extracted back",
    async () => {
      const job = await exported(w.sup, { ...range, format: "pdf" });
      expect(job.status).toBe("done");
      const file = await download(w.sup, job.id);
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe("application/pdf");
      expect(file.bytes.subarray(0, 5).toString()).toBe("%PDF-");
      const parser = new PDFParse({ data: new Uint8Array(file.bytes) });
      const { text } = await parser.getText();
      await parser.destroy();
      for (const label of [
        "云席 客服数据报表",
        "核心指标",
        "会话量趋势",
        "客服绩效",
        "平台对比",
        "客户需求 TOP10",
        "服务质检",
      ]) {
        expect(text).toContain(label);
      }
      for (const value of ["3分钟响应率", "询单转化率", "小张", "淘宝-旗舰店", "首次30秒应答率", "未使用问候语"]) {
        expect(text).toContain(value);
      }
    },
  );

  it("says why when no CJK font is installed, and leaves no file", async () => {
    const actor: Actor = {
      orgId: w.orgId,
      userId: w.sup.id,
      role: "supervisor",
      name: "主管",
      sessionId: "",
      csrfToken: "",
      storeIds: null,
    };
    await expect(
      createExport(
        ctx,
        actor,
        { ...range, format: "pdf", filters: {}, granularity: "day", includeConversations: false },
        { fonts: [] },
      ),
    ).rejects.toThrow(/fonts-noto-cjk/);
    // A font that vanished between the request and the job: the job fails with the reason.
    const job = await createExport(ctx, actor, {
      ...range,
      format: "pdf",
      filters: {},
      granularity: "day",
      includeConversations: false,
    });
    await runExport(ctx, job.id, { fonts: [{ path: "/nonexistent/font.ttc" }] });
    const failed = (await w.sup.client.get(`/api/analytics/exports/${job.id}`)).body;
    expect(failed).toMatchObject({ status: "failed", fileName: null });
    expect(failed.error).toMatch(/中文字体.*fonts-noto-cjk/);
    const dl = await download(w.sup, job.id);
    expect(dl.status).toBe(409);
    expect(JSON.parse(dl.bytes.toString()).error.message).toMatch(/failed/);
    expect(fs.readdirSync(exportsDir(t.dataDir)).filter((f) => f.startsWith(job.id))).toEqual([]);
  });

  it("leaves no partial file when writing fails", async () => {
    const res = await w.sup.client.post("/api/analytics/exports", { ...range, format: "xlsx" });
    fs.mkdirSync(path.join(exportsDir(t.dataDir), `${res.body.id}.xlsx.part`, "in-the-way"), { recursive: true });
    await ctx.jobs.drain();
    const job = (await w.sup.client.get(`/api/analytics/exports/${res.body.id}`)).body;
    expect(job.status).toBe("failed");
    expect(job.error).toBeTruthy();
    expect(fs.readdirSync(exportsDir(t.dataDir)).filter((f) => f.startsWith(res.body.id))).toEqual([]);
  });

  it("refuses a bad request at once (no job, no file), and keeps each user's exports to them", async () => {
    const before = await queryRows(ctx.db, sql`SELECT id FROM analytics_exports WHERE org_id = ${w.orgId}`);
    const reversed = await w.sup.client.post("/api/analytics/exports", {
      from: "2026-12-07",
      to: "2026-12-01",
      format: "xlsx",
    });
    expect(reversed.status).toBe(400);
    const foreign = await w.b.client.post("/api/analytics/exports", {
      ...range,
      format: "xlsx",
      filters: { storeId: w.jd.id },
    });
    expect(foreign.status).toBe(403);
    const unknownFilter = await w.sup.client.post("/api/analytics/exports", {
      ...range,
      format: "xlsx",
      filters: { colour: "red" },
    });
    expect(unknownFilter.status).toBe(400);
    expect(await queryRows(ctx.db, sql`SELECT id FROM analytics_exports WHERE org_id = ${w.orgId}`)).toHaveLength(
      before.length,
    );

    // An agent exports their own figures; nobody else's export is theirs to see.
    const own = await exported(w.a, { ...range, format: "xlsx" });
    expect(own.status).toBe("done");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(w.a, own.id)).bytes as unknown as ArrayBuffer);
    expect(
      cells(book.getWorksheet("客服绩效")!)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(["小张"]);
    const sups = (await w.sup.client.get("/api/analytics/exports")).body.items;
    expect((await w.a.client.get(`/api/analytics/exports/${sups.at(-1).id}`)).status).toBe(404);
    expect((await download(w.b, own.id)).status).toBe(404);
    expect((await w.a.client.get("/api/analytics/exports")).body.items.map((e: { id: string }) => e.id)).toEqual([
      own.id,
    ]);

    // Every export is in the audit trail.
    const audit = await queryRows<{ details: unknown }>(
      ctx.db,
      sql`SELECT details FROM audit_log WHERE org_id = ${w.orgId} AND action = 'analytics.export_requested'`,
    );
    expect(audit).toHaveLength(
      (await queryRows(ctx.db, sql`SELECT id FROM analytics_exports WHERE org_id = ${w.orgId}`)).length,
    );
  });
});
