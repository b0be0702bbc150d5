import type { Kpis, QualityLevel, QualityRuleId } from "@yunxi/contracts";

/**
 * The Chinese labels of exported reports (Excel and PDF are files, not the web UI:
 * the web app takes its texts from its i18n files). Each KPI's label, and how its
 * value is shown.
 */
export type KpiFormat = "count" | "rate" | "seconds" | "yuan" | "score";

export interface KpiColumn {
  label: string;
  format: KpiFormat;
  value: (k: Kpis) => number | null;
}

export const kpiColumns: KpiColumn[] = [
  { label: "买家消息数", format: "count", value: (k) => k.inboundMessages },
  { label: "会话数", format: "count", value: (k) => k.conversations },
  { label: "接待量", format: "count", value: (k) => k.handled },
  { label: "人工回复数", format: "count", value: (k) => k.humanMessages },
  { label: "机器人回复数", format: "count", value: (k) => k.botMessages },
  { label: "平均首次响应(秒)", format: "seconds", value: (k) => k.firstResponseAvgSeconds },
  { label: "平均响应时长(秒)", format: "seconds", value: (k) => k.avgResponseSeconds },
  { label: "3分钟响应率", format: "rate", value: (k) => k.responseRate3m },
  { label: "回复率", format: "rate", value: (k) => k.responseRate },
  { label: "漏回复率", format: "rate", value: (k) => k.missedRate },
  { label: "人工3分钟回复率", format: "rate", value: (k) => k.humanResponseRate3m },
  { label: "询单人数", format: "count", value: (k) => k.consultingBuyers },
  { label: "询单转化率", format: "rate", value: (k) => k.inquiryConversionRate },
  { label: "评价数", format: "count", value: (k) => k.evaluations },
  { label: "满意度(CSAT)", format: "rate", value: (k) => k.csat },
  { label: "平台评价满意度", format: "rate", value: (k) => k.csatPlatform },
  { label: "云席邀评满意度", format: "rate", value: (k) => k.csatSurvey },
  { label: "邀评数", format: "count", value: (k) => k.surveysSent },
  { label: "邀评回复率", format: "rate", value: (k) => k.surveyResponseRate },
  { label: "投诉率", format: "rate", value: (k) => k.complaintRate },
  { label: "复购率", format: "rate", value: (k) => k.repurchaseRate },
  { label: "解决会话数", format: "count", value: (k) => k.resolved },
  { label: "平均解决时长(秒)", format: "seconds", value: (k) => k.resolutionAvgSeconds },
  { label: "自动回复覆盖率", format: "rate", value: (k) => k.autoReplyCoverage },
  { label: "转人工率", format: "rate", value: (k) => k.handoverRate },
  { label: "SLA超时次数", format: "count", value: (k) => k.slaBreaches },
  { label: "质检平均分", format: "score", value: (k) => k.qcAvgScore },
  { label: "质检预警数", format: "count", value: (k) => k.qcAlerts },
];

export const variantColumns: KpiColumn[] = [
  { label: "淘宝 3分钟响应率", format: "rate", value: (k) => k.platformVariants.taobao3m },
  { label: "京东 首次30秒应答率", format: "rate", value: (k) => k.platformVariants.jdFirst30s },
  { label: "京东 平均响应时长(秒)", format: "seconds", value: (k) => k.platformVariants.jdAvgResponseSeconds },
  { label: "拼多多 有效回复率", format: "rate", value: (k) => k.platformVariants.pddValidReplyRate },
  { label: "抖音 3分钟人工回复率", format: "rate", value: (k) => k.platformVariants.douyinHuman3m },
  { label: "快手 人工3分钟回复率", format: "rate", value: (k) => k.platformVariants.kuaishouHuman3m },
];

export const qualityRuleLabels: Record<QualityRuleId, string> = {
  no_greeting: "未使用问候语",
  closing_not_standard: "结束语不规范",
  buyer_repeated: "买家重复提问",
  wait_without_apology: "超3分钟未致歉",
  hold_without_return: "“稍等”后未及时回复",
  no_evaluation_invite: "未邀请评价",
};

export const qualityLevelLabels: Record<QualityLevel, string> = { info: "提示", warning: "警告", critical: "严重" };

export const intentLabel = (intent: string): string => (intent === "" ? "未分类" : intent);
export const categoryLabel = (category: string): string => (category === "" ? "未识别类目" : category);

/** A value as text, for PDF tables. */
export function formatValue(value: number | null, format: KpiFormat): string {
  if (value === null) return "—";
  switch (format) {
    case "rate":
      return `${(value * 100).toFixed(1)}%`;
    case "seconds":
      return value.toFixed(1);
    case "yuan":
      return (value / 100).toFixed(2);
    case "score":
      return value.toFixed(1);
    default:
      return String(Math.round(value));
  }
}

/** Change against the previous period, as text. */
export function formatChange(current: number | null, previous: number | null, format: KpiFormat): string {
  if (current === null || previous === null) return "—";
  if (format === "rate") {
    const d = (current - previous) * 100;
    return `${d >= 0 ? "+" : ""}${d.toFixed(1)}pp`;
  }
  if (previous === 0) return current === 0 ? "0%" : "新增";
  const d = ((current - previous) / previous) * 100;
  return `${d >= 0 ? "+" : ""}${d.toFixed(1)}%`;
}
