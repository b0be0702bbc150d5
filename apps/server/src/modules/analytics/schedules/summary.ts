import type { Kpis, ScheduleReportKind } from "@yunxi/contracts";
import { formatChange, formatValue, intentLabel, type KpiColumn, kpiColumns } from "../labels.ts";
import type { ReportBundle } from "../report-data.ts";

/**
 * What a scheduled report says in the mail body and the webhook's `summary`: the
 * headline KPIs, then the part the schedule's kind leads with (agents, platforms or
 * customer needs). The files attached hold the whole report.
 */

export const kindTitles: Record<ScheduleReportKind, string> = {
  overview: "运营概览",
  agents: "客服绩效",
  platforms: "平台对比",
  needs: "客户需求",
};

const headline = [
  "会话数",
  "接待量",
  "平均首次响应(秒)",
  "3分钟响应率",
  "询单转化率",
  "满意度(CSAT)",
  "投诉率",
  "质检平均分",
];
const headlineColumns: KpiColumn[] = headline.map((label) => kpiColumns.find((c) => c.label === label)!);

/** The webhook's figures, by contract field name (rates 0…1, seconds, cents). */
const summaryKeys = [
  "conversations",
  "handled",
  "firstResponseAvgSeconds",
  "avgResponseSeconds",
  "responseRate3m",
  "inquiryConversionRate",
  "csat",
  "complaints",
  "complaintRate",
  "paidOrders",
  "paidAmountCents",
  "qcAvgScore",
] as const satisfies readonly (keyof Kpis)[];

export function kpiSummary(kpis: Kpis): Record<string, number | null> {
  return Object.fromEntries(summaryKeys.map((key) => [key, kpis[key]]));
}

type Table = { title: string; header: string[]; rows: string[][] };

function tables(kind: ScheduleReportKind, bundle: ReportBundle): Table[] {
  const { kpis } = bundle;
  const overview: Table = {
    title: "核心指标",
    header: ["指标", "本期", "上期", "变化"],
    rows: headlineColumns.map((c) => [
      c.label,
      formatValue(c.value(kpis.current), c.format),
      formatValue(c.value(kpis.previous), c.format),
      formatChange(c.value(kpis.current), c.value(kpis.previous), c.format),
    ]),
  };
  if (kind === "agents") {
    return [
      overview,
      {
        title: "客服绩效",
        header: ["客服", "接待量", "平均首次响应(秒)", "3分钟响应率", "满意度"],
        rows: bundle.agents.items
          .slice(0, 15)
          .map((a) => [
            a.name,
            formatValue(a.kpis.handled, "count"),
            formatValue(a.kpis.firstResponseAvgSeconds, "seconds"),
            formatValue(a.kpis.responseRate3m, "rate"),
            formatValue(a.kpis.csat, "rate"),
          ]),
      },
    ];
  }
  if (kind === "platforms") {
    return [
      overview,
      {
        title: "平台对比",
        header: ["平台/店铺", "会话数", "3分钟响应率", "平台指标", "平台指标值"],
        rows: [...bundle.platforms.platforms, ...bundle.platforms.stores].map((p) => [
          p.storeId ? `  ${p.label}` : p.label,
          formatValue(p.kpis.conversations, "count"),
          formatValue(p.kpis.responseRate3m, "rate"),
          p.platformKpi.name,
          formatValue(p.platformKpi.value, "rate"),
        ]),
      },
    ];
  }
  if (kind === "needs") {
    return [
      overview,
      {
        title: "客户需求 TOP10",
        header: ["意图", "会话数", "占比", "投诉"],
        rows: bundle.intents.items
          .slice(0, 10)
          .map((i) => [
            intentLabel(i.intent),
            formatValue(i.conversations, "count"),
            formatValue(i.share, "rate"),
            formatValue(i.complaints, "count"),
          ]),
      },
    ];
  }
  return [overview];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export interface MailBody {
  text: string;
  html: string;
}

/** The mail's body as text and HTML; names and labels escaped (agent names are user input). */
export function mailBody(input: {
  scheduleName: string;
  kind: ScheduleReportKind;
  bundle: ReportBundle;
  fileNames: string[];
}): MailBody {
  const { bundle } = input;
  const intro = [
    `${input.scheduleName}（${kindTitles[input.kind]}）`,
    `统计范围：${bundle.kpis.range.from} 至 ${bundle.kpis.range.to}（${bundle.kpis.timezone}）`,
    `对比周期：${bundle.kpis.previousRange.from} 至 ${bundle.kpis.previousRange.to}`,
    `生成时间：${bundle.generatedAt}`,
  ];
  const parts = tables(input.kind, bundle);
  const text = [
    ...intro,
    "",
    ...parts.flatMap((t) => [`【${t.title}】`, t.header.join("\t"), ...t.rows.map((r) => r.join("\t")), ""]),
    `附件：${input.fileNames.join("、")}`,
    "—— 云席 Yunxi 定时报表",
  ].join("\n");
  const cell = (tag: "td" | "th", s: string) =>
    `<${tag} style="border:1px solid #ddd;padding:4px 8px">${escapeHtml(s)}</${tag}>`;
  const html = [
    ...intro.map((line, i) => (i === 0 ? `<h2>${escapeHtml(line)}</h2>` : `<p>${escapeHtml(line)}</p>`)),
    ...parts.map(
      (t) =>
        `<h3>${escapeHtml(t.title)}</h3><table style="border-collapse:collapse"><tr>${t.header.map((h) => cell("th", h)).join("")}</tr>${t.rows
          .map((r) => `<tr>${r.map((c) => cell("td", c)).join("")}</tr>`)
          .join("")}</table>`,
    ),
    `<p>附件：${escapeHtml(input.fileNames.join("、"))}</p>`,
    "<p>—— 云席 Yunxi 定时报表</p>",
  ].join("\n");
  return { text, html };
}
