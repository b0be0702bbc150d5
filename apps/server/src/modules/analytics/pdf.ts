import fs from "node:fs";
import PDFDocument from "pdfkit";
import {
  formatChange,
  formatValue,
  intentLabel,
  type KpiFormat,
  kpiColumns,
  qualityLevelLabels,
  qualityRuleLabels,
  variantColumns,
} from "./labels.ts";
import type { ReportBundle } from "./report-data.ts";

/**
 * The PDF report: Chinese text needs a CJK font embedded (pdfkit subsets it), taken
 * from the system (Debian: fonts-noto-cjk). Charts are drawn with pdfkit's vector
 * shapes, so no chart library or browser is needed.
 */

export interface FontCandidate {
  path: string;
  /** The face inside a collection (.ttc); omitted for single-face files. */
  family?: string;
}

export const defaultFontCandidates: FontCandidate[] = [
  { path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", family: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", family: "NotoSerifCJKsc-Regular" },
  { path: "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc", family: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", family: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", family: "WenQuanYiZenHei" },
  { path: "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", family: "WenQuanYiMicroHei" },
  { path: "/System/Library/Fonts/PingFang.ttc", family: "PingFangSC-Regular" },
];

export class MissingFontError extends Error {
  constructor() {
    super(
      "PDF 导出需要中文字体，但系统中未找到（请安装 fonts-noto-cjk）。No CJK font found for the PDF export: install fonts-noto-cjk.",
    );
    this.name = "MissingFontError";
  }
}

export function findCjkFont(candidates: FontCandidate[] = defaultFontCandidates): FontCandidate | null {
  return candidates.find((c) => fs.existsSync(c.path)) ?? null;
}

const PAGE = { width: 595.28, height: 841.89, margin: 40 };
const BLUE = "#1677ff";
const GREY = "#8c8c8c";

interface Column {
  header: string;
  width: number;
  align?: "left" | "right";
}

export async function writePdf(filename: string, bundle: ReportBundle, font: FontCandidate): Promise<void> {
  const doc = new PDFDocument({
    size: "A4",
    margin: PAGE.margin,
    info: { Title: bundle.title, Author: "云席 Yunxi", Subject: `${bundle.kpis.range.from} — ${bundle.kpis.range.to}` },
  });
  const out = fs.createWriteStream(filename);
  const finished = new Promise<void>((resolve, reject) => {
    out.on("finish", resolve);
    out.on("error", reject);
    doc.on("error", reject);
  });
  doc.pipe(out);
  if (font.family) doc.registerFont("cjk", font.path, font.family);
  else doc.registerFont("cjk", font.path);
  doc.font("cjk");

  const bottom = PAGE.height - PAGE.margin;
  const left = PAGE.margin;
  const fullWidth = PAGE.width - 2 * PAGE.margin;
  const ensure = (height: number) => {
    if (doc.y + height > bottom) doc.addPage();
  };
  /** A heading, on a new page unless `need` points fit below it (a heading never ends a page). */
  const section = (title: string, need = 60) => {
    ensure(need);
    doc.moveDown(0.8);
    const y = doc.y;
    doc.rect(left, y + 2, 4, 14).fill(BLUE);
    doc
      .fillColor("#000000")
      .fontSize(13)
      .text(title, left + 10, y, { width: fullWidth - 10 });
    doc.moveDown(0.4);
  };
  const table = (columns: Column[], rows: string[][]) => {
    const rowHeight = 16;
    const drawHeader = () => {
      const y = doc.y;
      doc.rect(left, y, fullWidth, rowHeight).fill("#e6f4ff");
      let x = left;
      doc.fillColor("#000000").fontSize(9);
      for (const c of columns) {
        doc.text(c.header, x + 3, y + 4, {
          width: c.width - 6,
          align: c.align ?? "left",
          lineBreak: false,
          ellipsis: true,
        });
        x += c.width;
      }
      doc.x = left;
      doc.y = y + rowHeight;
    };
    ensure(rowHeight * 2);
    drawHeader();
    rows.forEach((cells, i) => {
      if (doc.y + rowHeight > bottom) {
        doc.addPage();
        drawHeader();
      }
      const y = doc.y;
      if (i % 2 === 1) doc.rect(left, y, fullWidth, rowHeight).fill("#fafafa");
      let x = left;
      doc.fillColor("#000000").fontSize(9);
      columns.forEach((c, j) => {
        doc.text(cells[j] ?? "", x + 3, y + 4, {
          width: c.width - 6,
          align: c.align ?? "left",
          lineBreak: false,
          ellipsis: true,
        });
        x += c.width;
      });
      doc.x = left;
      doc.y = y + rowHeight;
    });
  };

  // Title
  doc.fillColor("#000000").fontSize(20).text(bundle.title, left, PAGE.margin);
  doc.moveDown(0.3);
  doc
    .fontSize(10)
    .fillColor(GREY)
    .text(`统计范围：${bundle.kpis.range.from} 至 ${bundle.kpis.range.to}（时区 ${bundle.kpis.timezone}）`)
    .text(`对比周期：${bundle.kpis.previousRange.from} 至 ${bundle.kpis.previousRange.to}`)
    .text(`筛选：${bundle.scopeLabel}　　生成时间：${bundle.generatedAt}`);

  // 核心指标
  section("核心指标");
  const kpiRow = (c: {
    label: string;
    format: KpiFormat;
    value: (k: ReportBundle["kpis"]["current"]) => number | null;
  }) => {
    const now = c.value(bundle.kpis.current);
    const before = c.value(bundle.kpis.previous);
    return [c.label, formatValue(now, c.format), formatValue(before, c.format), formatChange(now, before, c.format)];
  };
  table(
    [
      { header: "指标", width: 215 },
      { header: "本期", width: 100, align: "right" },
      { header: "上期", width: 100, align: "right" },
      { header: "变化", width: fullWidth - 415, align: "right" },
    ],
    [...kpiColumns, ...variantColumns].map(kpiRow),
  );

  // 会话量趋势: a bar chart in vector shapes.
  section("会话量趋势", 230);
  drawBarChart(
    doc,
    bundle.kpis.series.map((p) => ({ label: p.period.slice(5), value: p.kpis.conversations })),
    { x: left, width: fullWidth, height: 150, ensure },
  );

  // 客服绩效
  section("客服绩效");
  table(
    [
      { header: "客服", width: 85 },
      { header: "接待量", width: 55, align: "right" },
      { header: "平均响应(秒)", width: 70, align: "right" },
      { header: "3分钟响应率", width: 70, align: "right" },
      { header: "询单转化率", width: 65, align: "right" },
      { header: "满意度", width: 55, align: "right" },
      { header: "在线(小时)", width: 60, align: "right" },
      { header: "质检均分", width: fullWidth - 460, align: "right" },
    ],
    bundle.agents.items
      .slice(0, 40)
      .map((a) => [
        a.name,
        formatValue(a.kpis.handled, "count"),
        formatValue(a.kpis.avgResponseSeconds, "seconds"),
        formatValue(a.kpis.responseRate3m, "rate"),
        formatValue(a.kpis.inquiryConversionRate, "rate"),
        formatValue(a.kpis.csat, "rate"),
        (a.onlineSeconds / 3600).toFixed(1),
        formatValue(a.kpis.qcAvgScore, "score"),
      ]),
  );

  // 平台对比
  section("平台对比");
  table(
    [
      { header: "平台/店铺", width: 110 },
      { header: "会话数", width: 55, align: "right" },
      { header: "3分钟响应率(云席)", width: 90, align: "right" },
      { header: "平台指标", width: 95 },
      { header: "平台指标值", width: 60, align: "right" },
      { header: "满意度", width: 50, align: "right" },
      { header: "投诉率", width: fullWidth - 460, align: "right" },
    ],
    [...bundle.platforms.platforms, ...bundle.platforms.stores].map((p) => [
      p.storeId ? `  ${p.label}` : p.label,
      formatValue(p.kpis.conversations, "count"),
      formatValue(p.kpis.responseRate3m, "rate"),
      p.platformKpi.name,
      formatValue(p.platformKpi.value, "rate"),
      formatValue(p.kpis.csat, "rate"),
      formatValue(p.kpis.complaintRate, "rate"),
    ]),
  );

  // 客户需求 TOP10
  section("客户需求 TOP10");
  table(
    [
      { header: "意图", width: 100 },
      { header: "会话数", width: 55, align: "right" },
      { header: "占比", width: 55, align: "right" },
      { header: "投诉", width: 45, align: "right" },
      { header: "高频问题", width: fullWidth - 255 },
    ],
    bundle.intents.items
      .slice(0, 10)
      .map((i) => [
        intentLabel(i.intent),
        formatValue(i.conversations, "count"),
        formatValue(i.share, "rate"),
        formatValue(i.complaints, "count"),
        i.topQuestions.map((q) => q.text).join("；"),
      ]),
  );

  // 服务质检
  section("服务质检");
  table(
    [
      { header: "质检项", width: 200 },
      { header: "级别", width: 80 },
      { header: "触发次数", width: fullWidth - 280, align: "right" },
    ],
    bundle.quality.rules.map((r) => [qualityRuleLabels[r.rule], qualityLevelLabels[r.level], String(r.triggered)]),
  );
  doc.moveDown(0.5);
  table(
    [
      { header: "客服", width: 120 },
      { header: "质检会话", width: 80, align: "right" },
      { header: "平均分", width: 80, align: "right" },
      { header: "预警", width: fullWidth - 280, align: "right" },
    ],
    bundle.quality.agents.map((a) => [a.name, String(a.checked), formatValue(a.avgScore, "score"), String(a.alerts)]),
  );

  doc.end();
  await finished;
}

/** Bars with value labels, a baseline and the period under each bar. */
function drawBarChart(
  doc: PDFKit.PDFDocument,
  points: { label: string; value: number }[],
  box: { x: number; width: number; height: number; ensure: (h: number) => void },
): void {
  box.ensure(box.height + 30);
  const top = doc.y + 10;
  const baseY = top + box.height;
  const max = Math.max(1, ...points.map((p) => p.value));
  const slot = points.length > 0 ? box.width / points.length : box.width;
  const barWidth = Math.max(2, Math.min(36, slot * 0.6));
  doc
    .lineWidth(0.5)
    .strokeColor(GREY)
    .moveTo(box.x, baseY)
    .lineTo(box.x + box.width, baseY)
    .stroke();
  doc.fontSize(7);
  const labelEvery = Math.ceil(points.length / 16);
  points.forEach((p, i) => {
    const h = (p.value / max) * (box.height - 12);
    const x = box.x + i * slot + (slot - barWidth) / 2;
    doc.rect(x, baseY - h, barWidth, h).fill(BLUE);
    doc.fillColor("#000000");
    if (points.length <= 31)
      doc.text(String(p.value), x - 8, baseY - h - 9, { width: barWidth + 16, align: "center", lineBreak: false });
    if (i % labelEvery === 0) {
      doc.fillColor(GREY).text(p.label, x - 10, baseY + 3, { width: barWidth + 20, align: "center", lineBreak: false });
    }
  });
  doc.fillColor("#000000");
  doc.x = box.x;
  doc.y = baseY + 16;
}
