import { type PlatformId, storeLabel } from "@yunxi/contracts";
import ExcelJS from "exceljs";
import {
  categoryLabel,
  formatChange,
  intentLabel,
  type KpiColumn,
  type KpiFormat,
  kpiColumns,
  qualityLevelLabels,
  qualityRuleLabels,
  variantColumns,
} from "./labels.ts";
import { type ConversationLine, formatLocal, type ReportBundle } from "./report-data.ts";
import type { Scope } from "./scope.ts";

/**
 * The Excel report, written with exceljs's streaming writer: each row is committed
 * as it is written, so the conversation sheet can hold a million rows without the
 * workbook in memory. Sheets: 概览, 趋势, 客服绩效, 平台对比, 客户需求, 质检 (and
 * 会话明细 on request).
 */

const numFmt: Record<KpiFormat, string> = {
  count: "#,##0",
  rate: "0.0%",
  seconds: "0.0",
  yuan: "#,##0.00",
  score: "0.0",
};

const headerFill: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FF1677FF" } };
const headerFont: Partial<ExcelJS.Font> = { bold: true, color: { argb: "FFFFFFFF" } };

type Sheet = ExcelJS.Worksheet;

function header(sheet: Sheet, columns: { header: string; width: number; format?: KpiFormat }[]): void {
  sheet.columns = columns.map((c, i) => ({
    header: c.header,
    key: `c${i}`,
    width: c.width,
    ...(c.format && { style: { numFmt: numFmt[c.format] } }),
  }));
  const row = sheet.getRow(1);
  row.font = headerFont;
  row.fill = headerFill;
  row.alignment = { vertical: "middle" };
  row.commit();
}

const kpiCells = (columns: KpiColumn[], k: Parameters<KpiColumn["value"]>[0]) => columns.map((c) => c.value(k));

export interface XlsxOptions {
  filename: string;
  bundle: ReportBundle;
  scope: Scope;
  /** Pages of conversations for the 会话明细 sheet; omitted: no such sheet. */
  conversations?: AsyncIterable<ConversationLine[]>;
  onRows?: (rows: number) => Promise<void> | void;
}

/**
 * exceljs's streaming writer does not wait for the zip to take what it is given: rows
 * written faster than they are compressed pile up as buffers. Compressing at level 1 keeps
 * the zip close to the rows (a larger file, far less memory and time); between pages the
 * writer also yields, up to half a second, while buffers outside the heap keep growing.
 */
async function letTheZipCatchUp(baseline: number): Promise<void> {
  const limit = baseline + 128 * 2 ** 20;
  const deadline = Date.now() + 500;
  while (process.memoryUsage().arrayBuffers > limit && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function writeXlsx(options: XlsxOptions): Promise<void> {
  const { bundle, scope } = options;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: options.filename,
    useStyles: true,
    useSharedStrings: false,
    zip: { zlib: { level: 1 } },
  });
  workbook.creator = "云席 Yunxi";
  workbook.created = new Date();
  const frozen = { views: [{ state: "frozen" as const, ySplit: 1 }] };
  const { kpis } = bundle;

  // 概览: each KPI, this period against the previous one.
  const overview = workbook.addWorksheet("概览", frozen);
  header(overview, [
    { header: "指标", width: 26 },
    { header: "本期", width: 16 },
    { header: "上期", width: 16 },
    { header: "变化", width: 12 },
  ]);
  for (const c of [...kpiColumns, ...variantColumns]) {
    const row = overview.addRow([
      c.label,
      c.value(kpis.current),
      c.value(kpis.previous),
      formatChange(c.value(kpis.current), c.value(kpis.previous), c.format),
    ]);
    row.getCell(2).numFmt = numFmt[c.format];
    row.getCell(3).numFmt = numFmt[c.format];
    row.commit();
  }
  overview.addRow([]).commit();
  overview.addRow(["报表", bundle.title]).commit();
  overview.addRow(["范围", `${kpis.range.from} 至 ${kpis.range.to}（${kpis.timezone}）`]).commit();
  overview.addRow(["对比", `${kpis.previousRange.from} 至 ${kpis.previousRange.to}`]).commit();
  overview.addRow(["筛选", bundle.scopeLabel]).commit();
  overview.addRow(["生成时间", bundle.generatedAt]).commit();
  overview.commit();

  // 趋势: one row per day, week or month.
  const trend = workbook.addWorksheet("趋势", frozen);
  header(trend, [
    { header: "周期", width: 14 },
    ...kpiColumns.map((c) => ({ header: c.label, width: Math.max(12, c.label.length * 2), format: c.format })),
  ]);
  for (const p of kpis.series) trend.addRow([p.period, ...kpiCells(kpiColumns, p.kpis)]).commit();
  trend.commit();

  // 客服绩效
  const agents = workbook.addWorksheet("客服绩效", frozen);
  header(agents, [
    { header: "客服", width: 14 },
    ...kpiColumns.map((c) => ({ header: c.label, width: Math.max(12, c.label.length * 2), format: c.format })),
    { header: "在线时长(小时)", width: 14, format: "seconds" },
    { header: "工时利用率", width: 12, format: "rate" },
    { header: "接待量(上期)", width: 12, format: "count" },
  ]);
  for (const a of bundle.agents.items) {
    agents
      .addRow([a.name, ...kpiCells(kpiColumns, a.kpis), a.onlineSeconds / 3600, a.utilisation, a.previous.handled])
      .commit();
  }
  agents.commit();

  // 平台对比: platforms, then stores; each with the platform's own KPI.
  const platforms = workbook.addWorksheet("平台对比", frozen);
  header(platforms, [
    { header: "平台/店铺", width: 22 },
    { header: "平台指标", width: 18 },
    { header: "平台指标值", width: 12, format: "rate" },
    ...kpiColumns.map((c) => ({ header: c.label, width: Math.max(12, c.label.length * 2), format: c.format })),
    ...variantColumns.map((c) => ({ header: c.label, width: Math.max(12, c.label.length * 2), format: c.format })),
  ]);
  for (const p of [...bundle.platforms.platforms, ...bundle.platforms.stores]) {
    const row = platforms.addRow([
      p.storeId ? `  ${p.label}` : p.label,
      p.platformKpi.name,
      p.platformKpi.value,
      ...kpiCells(kpiColumns, p.kpis),
      ...kpiCells(variantColumns, p.kpis),
    ]);
    if (!p.storeId) row.font = { bold: true };
    row.commit();
  }
  platforms.commit();

  // 客户需求: intents, categories, complaint reasons, top questions.
  const needs = workbook.addWorksheet("客户需求", frozen);
  header(needs, [
    { header: "意图", width: 18 },
    { header: "会话数", width: 10, format: "count" },
    { header: "占比", width: 10, format: "rate" },
    { header: "上期会话数", width: 12, format: "count" },
    { header: "投诉数", width: 10, format: "count" },
    { header: "主要类目", width: 30 },
    { header: "高频问题", width: 60 },
  ]);
  for (const i of bundle.intents.items) {
    needs
      .addRow([
        intentLabel(i.intent),
        i.conversations,
        i.share,
        i.previousConversations,
        i.complaints,
        i.categories.map((c) => `${categoryLabel(c.category)}(${c.conversations})`).join("、"),
        i.topQuestions.map((q) => `${q.text}(${q.count})`).join("；"),
      ])
      .commit();
  }
  needs.addRow([]).commit();
  needs.addRow(["商品类目", "会话数", "", "", "投诉数"]).commit();
  for (const c of bundle.intents.categories) {
    needs.addRow([categoryLabel(c.category), c.conversations, null, null, c.complaints]).commit();
  }
  needs.addRow([]).commit();
  needs.addRow(["投诉原因（首句）", "次数"]).commit();
  for (const r of bundle.intents.complaintReasons) needs.addRow([r.text, r.count]).commit();
  needs.commit();

  // 质检: rules, agents, and the lowest-scoring conversations with the lines behind them.
  const quality = workbook.addWorksheet("质检", frozen);
  header(quality, [
    { header: "质检项", width: 22 },
    { header: "级别", width: 8 },
    { header: "触发次数", width: 10, format: "count" },
    { header: "", width: 14 },
    { header: "", width: 60 },
  ]);
  for (const r of bundle.quality.rules) {
    quality.addRow([qualityRuleLabels[r.rule], qualityLevelLabels[r.level], r.triggered]).commit();
  }
  quality.addRow([]).commit();
  quality.addRow(["客服", "质检会话", "平均分", "预警", "各项触发"]).commit();
  for (const a of bundle.quality.agents) {
    quality
      .addRow([
        a.name,
        a.checked,
        a.avgScore === null ? null : Number(a.avgScore.toFixed(1)),
        a.alerts,
        Object.entries(a.byRule)
          .map(([rule, n]) => `${qualityRuleLabels[rule as keyof typeof qualityRuleLabels] ?? rule}:${n}`)
          .join("；"),
      ])
      .commit();
  }
  quality.addRow([]).commit();
  quality.addRow(["会话", "来源", "得分", "质检项", "触发内容"]).commit();
  for (const c of bundle.quality.conversations) {
    for (const f of c.findings) {
      quality
        .addRow([
          c.conversationId,
          c.storeLabel,
          c.score,
          qualityRuleLabels[f.rule],
          f.lines
            .map((l) => `[${l.sender === "buyer" ? "买家" : l.sender === "bot" ? "机器人" : "客服"}] ${l.text}`)
            .join(" / "),
        ])
        .commit();
    }
  }
  quality.commit();

  if (options.conversations) {
    const sheet = workbook.addWorksheet("会话明细", frozen);
    header(sheet, [
      { header: "会话ID", width: 38 },
      { header: "来源", width: 18 },
      { header: "客服", width: 12 },
      { header: "意图", width: 16 },
      { header: "类目", width: 12 },
      { header: "开始时间", width: 20 },
      { header: "首句", width: 40 },
      { header: "轮次", width: 8, format: "count" },
      { header: "未回复轮次", width: 10, format: "count" },
      { header: "首次响应(秒)", width: 12, format: "seconds" },
      { header: "解决时间", width: 20 },
      { header: "投诉", width: 6 },
      { header: "质检分", width: 8, format: "count" },
    ]);
    let written = 0;
    const baseline = process.memoryUsage().arrayBuffers;
    for await (const page of options.conversations) {
      for (const c of page) {
        const store = scope.allStores.get(c.storeId);
        sheet
          .addRow([
            c.conversationId,
            store ? storeLabel(store.platform as PlatformId, store.name) : "",
            c.agentId ? (scope.userNames.get(c.agentId) ?? "") : "",
            intentLabel(c.intent),
            categoryLabel(c.category),
            c.startedAt === null ? "" : formatLocal(c.startedAt, scope.timeZone),
            c.firstQuestion,
            c.rounds,
            c.unansweredRounds,
            c.firstResponseMs === null ? null : c.firstResponseMs / 1000,
            c.resolvedAt === null ? "" : formatLocal(c.resolvedAt, scope.timeZone),
            c.complaint ? "是" : "",
            c.qcScore,
          ])
          .commit();
      }
      written += page.length;
      await options.onRows?.(written);
      await letTheZipCatchUp(baseline);
    }
    sheet.commit();
  }
  await workbook.commit();
}
