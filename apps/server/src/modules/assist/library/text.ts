import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";

/**
 * Chinese text for the library's search: jieba segmentation, normalisation, stop
 * words, a small synonym table and character bigrams. The in-memory indexes
 * (text-index.ts) are built from these words; the same code segments what is indexed
 * and what is asked, so both always agree.
 */

/** Words of customer service and marketplaces jieba's general dictionary splits or lacks. */
const domainWords = [
  "淘宝",
  "天猫",
  "千牛",
  "京东",
  "京麦",
  "拼多多",
  "抖音",
  "抖店",
  "飞鸽",
  "快手",
  "小店",
  "旗舰店",
  "专卖店",
  "官网",
  "顺丰",
  "圆通",
  "中通",
  "申通",
  "韵达",
  "极兔",
  "德邦",
  "邮政",
  "京东物流",
  "快递单号",
  "物流单号",
  "运单号",
  "订单号",
  "运费险",
  "退货险",
  "双11",
  "双十一",
  "双12",
  "618",
  "退钱",
  "退费",
  "码数",
  "码子",
  "尺码表",
  "七天无理由",
  "无理由退货",
  "催发货",
  "开发票",
  "优惠券",
  "优惠卷",
  "满减",
  "包邮",
  "预售",
  "尾款",
  "定金",
  "价保",
  "保价",
  "补差价",
  "错发",
  "漏发",
  "少发",
  "破损",
  "色差",
  "起球",
  "掉色",
  "开胶",
  "试穿",
  "偏大",
  "偏小",
  "到账",
  "发货时间",
  "承诺发货",
  "退换货",
  "换货",
  "补发",
  "拒收",
  "签收",
  "未收到",
  "人工客服",
  "转人工",
];

let instance: Jieba | undefined;

/** The segmenter, loaded once (about 0.2 s); call at start-up so no request pays for it. */
export function segmenter(): Jieba {
  if (!instance) {
    instance = Jieba.withDict(dict);
    instance.loadDict(Buffer.from(domainWords.map((w) => `${w} 20000 n`).join("\n")));
  }
  return instance;
}

/** Full-width to half-width, lower case, one space between words. */
export const normalize = (text: string): string => text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();

const wordChar = /[\p{L}\p{N}]/u;

/** Particles, pronouns and question words: they match everything and say nothing. */
export const stopwords = new Set([
  "的",
  "了",
  "吗",
  "呢",
  "吧",
  "啊",
  "呀",
  "哦",
  "嗯",
  "哈",
  "么",
  "是",
  "我",
  "你",
  "您",
  "他",
  "她",
  "它",
  "我们",
  "你们",
  "在",
  "有",
  "和",
  "与",
  "及",
  "就",
  "都",
  "也",
  "还",
  "要",
  "想",
  "请问",
  "请",
  "一下",
  "怎么",
  "怎么样",
  "怎样",
  "什么",
  "为什么",
  "如何",
  "哪",
  "哪里",
  "哪个",
  "能",
  "能不能",
  "可以",
  "会",
  "亲",
  "这",
  "那",
  "个",
  "到",
  "给",
  "把",
  "被",
  "吗亲",
]);

/** Words of a text as the index knows them: jieba's search mode (compound words and their parts). */
export function indexWords(text: string): string[] {
  if (!text) return [];
  return segmenter()
    .cutForSearch(normalize(text), true)
    .map((w) => w.trim())
    .filter((w) => w.length > 0 && w.length <= 60 && wordChar.test(w) && !stopwords.has(w));
}

/** Words of a query: jieba's precise mode, without stop words (a query of only stop words keeps them). */
export function queryWords(text: string): string[] {
  const all = segmenter()
    .cut(normalize(text), true)
    .map((w) => w.trim())
    .filter((w) => w.length > 0 && w.length <= 60 && wordChar.test(w));
  const kept = all.filter((w) => !stopwords.has(w));
  return [...new Set(kept.length > 0 ? kept : all)];
}

/** Character bigrams of the CJK runs, whole words of the others: what a typo leaves intact. */
export function bigrams(text: string, max = 4000): string[] {
  const out: string[] = [];
  for (const run of normalize(text).match(/[\p{L}\p{N}]+/gu) ?? []) {
    const chars = [...run];
    if (!/\p{Script=Han}/u.test(run)) {
      if (run.length <= 60) out.push(run);
    } else if (chars.length === 1) {
      out.push(run);
    } else {
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    }
    if (out.length >= max) break;
  }
  return out.slice(0, max);
}

/**
 * Words buyers and agents use for the same thing (and common misspellings). A query
 * word matches any word of its group.
 */
const synonymGroups: string[][] = [
  ["退款", "退钱", "退费", "返款"],
  ["快递", "物流", "运单", "包裹"],
  ["快递单号", "物流单号", "运单号", "单号"],
  ["尺码", "码数", "尺寸", "码子", "大小"],
  ["发货", "出货", "寄出", "发出"],
  ["优惠券", "优惠卷", "红包", "折扣券"],
  ["运费险", "退货险"],
  ["发票", "开票", "开发票"],
  ["退货", "退回", "寄回"],
  ["换货", "调换", "更换"],
  ["多久", "多长时间", "几天"],
  ["双11", "双十一"],
  ["地址", "收货地址"],
  ["客服", "人工", "人工客服"],
  ["质量问题", "质量差", "瑕疵"],
  ["破损", "损坏", "压坏"],
  ["少发", "漏发", "缺件"],
];

const synonymsOf = new Map<string, string[]>();
for (const group of synonymGroups) for (const w of group) synonymsOf.set(w, group);

/** The word and the words that mean the same, the word first. */
export function withSynonyms(word: string): string[] {
  const group = synonymsOf.get(word);
  return group ? [word, ...group.filter((w) => w !== word)] : [word];
}

export type Weight = "A" | "B" | "C" | "D";

/** A short piece of the text around the first of the words found in it, or its beginning. */
export function snippetOf(text: string, words: string[], length = 90): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const lower = flat.toLowerCase();
  let at = -1;
  for (const w of words) {
    const i = lower.indexOf(w.toLowerCase());
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  if (at < 0 || flat.length <= length) return flat.length <= length ? flat : `${flat.slice(0, length)}…`;
  const start = Math.max(0, at - Math.floor(length / 3));
  const piece = flat.slice(start, start + length);
  return `${start > 0 ? "…" : ""}${piece}${start + length < flat.length ? "…" : ""}`;
}
