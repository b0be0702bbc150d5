import type { Kpis } from "@yunxi/contracts";
import type { Counters } from "./counters.ts";

/**
 * KPIs from summed counters: every formula of docs/metrics.md in one place.
 * `mature` are the round counts of rounds that started at least an hour before the
 * query (only those can already be called missed).
 */
export interface Mature {
  rounds: number;
  rounds1h: number;
}

const ratio = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? numerator / denominator : null;
const seconds = (ms: number, count: number): number | null => (count > 0 ? ms / count / 1000 : null);
const maxSeconds = (ms: number, count: number): number | null => (count > 0 ? ms / 1000 : null);

export function kpisFrom(c: Counters, mature: Mature): Kpis {
  return {
    inboundMessages: c.inboundMsgs,
    humanMessages: c.humanMsgs,
    botMessages: c.botMsgs,
    conversations: c.conversations,
    handled: c.handled,
    rounds: c.rounds,
    firstResponseAvgSeconds: seconds(c.firstResponseMsSum, c.firstResponses),
    firstResponseMaxSeconds: maxSeconds(c.firstResponseMsMax, c.firstResponses),
    avgResponseSeconds: seconds(c.responseMsSum, c.roundsAnswered),
    maxResponseSeconds: maxSeconds(c.responseMsMax, c.roundsAnswered),
    responseRate3m: ratio(c.rounds3m, c.rounds),
    responseRate: ratio(c.roundsAnswered, c.rounds),
    missedRate: ratio(mature.rounds - mature.rounds1h, mature.rounds),
    missedRounds: mature.rounds - mature.rounds1h,
    humanFirstResponseAvgSeconds: seconds(c.humanResponseMsSum, c.humanAnswered),
    humanResponseRate3m: ratio(c.humanAnswered3m, c.humanNeeded),
    consultingBuyers: c.consultBuyers,
    convertedBuyers: c.convertedBuyers,
    convertedAmountCents: c.convertedCents,
    inquiryConversionRate: ratio(c.convertedBuyers, c.consultBuyers),
    evaluations: c.evaluations,
    avgRating: ratio(c.evalScoreSum + c.surveyScoreSum, c.evaluations + c.surveyResponses),
    csat: ratio(c.evalSatisfied + c.surveySatisfied, c.evaluations + c.surveyResponses),
    csatPlatform: ratio(c.evalSatisfied, c.evaluations),
    csatSurvey: ratio(c.surveySatisfied, c.surveyResponses),
    surveysSent: c.surveysSent,
    surveyResponses: c.surveyResponses,
    surveyResponseRate: ratio(c.surveyResponses, c.surveysSent),
    complaints: c.complaints,
    complaintRate: ratio(c.complaints, c.conversations),
    paidOrders: c.paidOrders,
    paidAmountCents: c.paidCents,
    repurchaseRate: ratio(c.repeatOrders, c.paidOrders),
    resolved: c.resolved,
    resolutionAvgSeconds: seconds(c.resolutionMsSum, c.resolved),
    resolutionMaxSeconds: maxSeconds(c.resolutionMsMax, c.resolved),
    botConversations: c.botConversations,
    handovers: c.handovers,
    autoReplyCoverage: ratio(c.botRounds, c.rounds),
    handoverRate: ratio(c.handovers, c.botConversations),
    slaBreaches: c.slaBreaches,
    qcChecked: c.qcChecked,
    qcAvgScore: ratio(c.qcScoreSum, c.qcChecked),
    qcAlerts: c.qcAlerts,
    platformVariants: {
      taobao3m: ratio(c.tbRounds3m, c.tbRounds),
      jdFirst30s: ratio(c.jdFirst30s, c.jdSessions),
      jdAvgResponseSeconds: seconds(c.jdResponseMsSum, c.jdResponses),
      pddValidReplyRate: ratio(c.pddBuyers - c.pddInvalid, c.pddBuyers),
      douyinHuman3m: ratio(c.dyHuman3m, c.dyConversations),
      kuaishouHuman3m: ratio(c.ksBuyers - c.ksMissed3m, c.ksBuyers),
    },
  };
}

/** Each platform's own response KPI, as its back-end names it (Yunxi's uniform one for our own channels). */
export function platformKpi(platform: string, k: Kpis): { name: string; value: number | null } {
  switch (platform) {
    case "taobao":
      return { name: "3分钟响应率", value: k.platformVariants.taobao3m };
    case "jd":
      return { name: "首次30秒应答率", value: k.platformVariants.jdFirst30s };
    case "pdd":
      return { name: "有效回复率", value: k.platformVariants.pddValidReplyRate };
    case "douyin":
      return { name: "3分钟人工回复率", value: k.platformVariants.douyinHuman3m };
    case "kuaishou":
      return { name: "人工3分钟回复率", value: k.platformVariants.kuaishouHuman3m };
    default:
      return { name: "3分钟响应率（云席）", value: k.responseRate3m };
  }
}
