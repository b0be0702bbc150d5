import type { Intent, MessageSentiment } from "@yunxi/contracts";

/**
 * Sentiment and urgency by cue words, not by the model: an angry buyer says so in a few
 * recognisable ways (投诉, 差评, 骗子, !!!, 😡), and an agent should see why a message was
 * ranked up. Scores are simple sums, clamped.
 */

/** Words of an angry or threatening buyer, with how strongly each counts (1 = clearly angry). */
const negativeCues: readonly (readonly [string, number])[] = [
  ["投诉", 1],
  ["差评", 1],
  ["骗子", 1],
  ["骗人", 1],
  ["诈骗", 1],
  ["欺诈", 1],
  ["欺骗", 1],
  ["举报", 1],
  ["12315", 1],
  ["12345", 0.8],
  ["消协", 1],
  ["消费者协会", 1],
  ["工商", 0.8],
  ["市场监管", 1],
  ["平台介入", 1],
  ["小二介入", 1],
  ["黑猫", 1],
  ["曝光", 1],
  ["起诉", 1],
  ["律师", 0.8],
  ["报警", 1],
  ["维权", 0.8],
  ["索赔", 0.8],
  ["黑店", 1],
  ["奸商", 1],
  ["无良", 1],
  ["垃圾", 0.8],
  ["假货", 0.8],
  ["坑人", 0.8],
  ["坑爹", 0.8],
  ["太坑", 0.8],
  ["恶心", 0.8],
  ["气死", 0.8],
  ["受够", 0.8],
  ["忍无可忍", 1],
  ["什么态度", 0.8],
  ["态度差", 0.8],
  ["态度恶劣", 1],
  ["敷衍", 0.6],
  ["虚假宣传", 1],
  ["不给个说法", 0.8],
  ["给个说法", 0.6],
  ["太过分", 0.8],
  ["过分", 0.5],
  ["离谱", 0.6],
  ["无语", 0.5],
  ["失望", 0.5],
  ["生气", 0.6],
  ["破店", 1],
  ["什么玩意", 0.8],
  ["什么破", 0.8],
  ["搞什么", 0.6],
  ["什么鬼", 0.6],
  ["妈的", 1],
  ["tmd", 1],
  ["卧槽", 0.6],
  ["滚", 0.6],
  ["死人", 0.8],
  ["再也不", 0.5],
  ["太差", 0.6],
  ["很差", 0.5],
  ["差劲", 0.6],
  ["倒闭", 0.8],
  ["没人管", 0.6],
  ["没人理", 0.5],
  ["拉黑", 0.6],
];

/** Words that ask for speed: they raise urgency without being angry. */
const hurryCues: readonly string[] = [
  "急",
  "赶紧",
  "快点",
  "马上",
  "立刻",
  "尽快",
  "等不及",
  "催",
  "怎么还",
  "还没",
  "到底",
  "半天",
  "好几天",
  "一直",
  "在线等",
];

const positiveCues: readonly string[] = [
  "谢谢",
  "感谢",
  "好评",
  "满意",
  "喜欢",
  "不错",
  "赞",
  "辛苦",
  "👍",
  "❤",
  "比心",
  "么么哒",
  "棒",
];

const ANGRY_EMOJI = /[😡😠🤬😤💢👿🖕]/u;
const ANGRY_MARKS = /[!！]{3,}|[?？]{3,}|[!！?？]{4,}/;

/** How urgent each intent is on its own, before any cue: broken or missing goods and money first. */
const intentUrgency: Partial<Record<Intent, number>> = {
  投诉: 0.6,
  "售后-质量问题": 0.35,
  "售后-错发漏发": 0.35,
  "售后-退款进度": 0.3,
  "物流-修改地址": 0.3,
  "物流-物流查询": 0.2,
  "物流-发货时间": 0.15,
  "售后-退换货": 0.2,
};

const round2 = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function sentimentOf(text: string): MessageSentiment {
  const folded = text.normalize("NFKC").toLowerCase();
  const cues: string[] = [];
  let anger = 0;
  for (const [word, weight] of negativeCues) {
    if (folded.includes(word)) {
      anger += weight;
      cues.push(word);
    }
  }
  if (ANGRY_EMOJI.test(text)) {
    anger += 0.6;
    cues.push(ANGRY_EMOJI.exec(text)![0]);
  }
  if (ANGRY_MARKS.test(folded)) {
    anger += 0.4;
    cues.push(ANGRY_MARKS.exec(folded)![0]);
  }
  let pleased = 0;
  for (const word of positiveCues) {
    if (folded.includes(word)) {
      pleased += 0.4;
      if (anger === 0) cues.push(word);
    }
  }
  // Anger outweighs politeness: "谢谢，我要投诉" is not a happy buyer.
  const score = anger > 0 ? -clamp(anger, 0.2, 1) : clamp(pleased, 0, 1);
  return { negative: anger >= 0.5, score: round2(score), cues };
}

export function urgencyOf(text: string, intent: Intent, sentiment: MessageSentiment): number {
  const folded = text.normalize("NFKC").toLowerCase();
  let urgency = intentUrgency[intent] ?? 0;
  if (sentiment.score < 0) urgency += -sentiment.score * 0.5;
  const hurry = hurryCues.filter((w) => folded.includes(w)).length;
  urgency += Math.min(2, hurry) * 0.1;
  return round2(clamp(urgency, 0, 1));
}
