import type { Rng } from "./rng.ts";

/**
 * Buyer-style noise: what the same question looks like when typed fast on a phone. Pinyin-IME
 * homophone slips (发货→发火, 在吗→再吗, 换货→还货), 亲/亲亲 and other openers, particles,
 * emoji and platform emoticons, doubled or dropped punctuation.
 */

/** [correct, slip]: common IME and chat-style substitutions. */
const slips: readonly (readonly [string, string])[] = [
  ["吗", "嘛"],
  ["吗", "么"],
  ["吗", "麻"],
  ["在吗", "再吗"],
  ["在不在", "再不在"],
  ["什么", "啥"],
  ["什么", "神马"],
  ["什么", "什莫"],
  ["怎么", "咋"],
  ["怎么", "肿么"],
  ["怎么", "怎莫"],
  ["发货", "发火"],
  ["发货", "fa货"],
  ["快递", "快第"],
  ["快递", "kd"],
  ["已经", "以经"],
  ["可以", "可已"],
  ["可以", "阔以"],
  ["这个", "这各"],
  ["这个", "介个"],
  ["没有", "木有"],
  ["没有", "没"],
  ["收到", "受到"],
  ["一下", "一哈"],
  ["一下", "以下"],
  ["地址", "地止"],
  ["换货", "还货"],
  ["换个", "还个"],
  ["尺码", "尺吗"],
  ["码数", "马数"],
  ["优惠", "有惠"],
  ["颜色", "眼色"],
  ["谢谢", "xx"],
  ["谢谢", "3q"],
  ["的", "滴"],
  ["的", "得"],
  ["了", "啦"],
  ["你们", "你门"],
  ["好的", "好滴"],
  ["知道", "造"],
  ["发票", "发漂"],
  ["订单", "定单"],
  ["东西", "东东"],
  ["为什么", "为啥"],
  ["现在", "现再"],
  ["到账", "到帐"],
  ["签收", "签受"],
  ["麻烦", "麻番"],
  ["安装", "按装"],
  ["问题", "问提"],
  ["退款", "tk"],
  ["客服", "kf"],
  ["老板", "老版"],
  ["物流", "wl"],
  ["多少", "多上"],
  ["还没", "还木"],
  ["吧", "把"],
  ["呢", "捏"],
];

const openers = [
  "亲，",
  "亲亲 ",
  "亲~",
  "你好，",
  "您好 ",
  "在吗 ",
  "客服，",
  "掌柜的 ",
  "老板 ",
  "小姐姐，",
  "宝，",
  "hello ",
  "请问",
  "问下 ",
  "家人们 ",
  "老铁 ",
  "主播 ",
  "那个",
  "诶 ",
];
const particles = [
  "呀",
  "啊",
  "哈",
  "呢",
  "哦",
  "嘛",
  "~",
  "～",
  "！",
  "!!",
  "？",
  "??",
  "?",
  "。。。",
  "哈哈",
  "捏",
  "噢",
];
const emoji = [
  "😂",
  "🙏",
  "😭",
  "🤔",
  "👍",
  "🥺",
  "😊",
  "😅",
  "🙄",
  "😳",
  "🤣",
  "💦",
  "[微笑]",
  "[可怜]",
  "[疑问]",
  "[捂脸]",
  "[抱拳]",
  "[流泪]",
];

const PUNCTUATION = /[，,。.！!？?、~～ ]/u;

/** One noisy rendering of `text`; may return `text` itself when nothing applied. */
export function addNoise(text: string, rng: Rng): string {
  let s = text;
  const candidates = slips.filter(([from]) => s.includes(from));
  if (candidates.length > 0 && rng.chance(0.55)) {
    const [from, to] = rng.pick(candidates);
    s = s.replace(from, to);
  }
  if (rng.chance(0.3)) s = rng.pick(openers) + s;
  if (rng.chance(0.35)) s += rng.pick(particles);
  if (rng.chance(0.3)) {
    const e = rng.pick(emoji);
    s = rng.chance(0.8) ? s + e : e + s;
  }
  if (rng.chance(0.25))
    s = rng.chance(0.5) ? s.replaceAll(" ", "") : s.replaceAll(" ", rng.pick(["，", ",", "。", "  "]));
  if (rng.chance(0.08)) {
    // A dropped character, as when a key press is missed; never punctuation, never the only one.
    const chars = [...s];
    const at = rng.int(0, chars.length - 1);
    if (chars.length > 4 && !PUNCTUATION.test(chars[at]!)) {
      chars.splice(at, 1);
      s = chars.join("");
    }
  }
  if (rng.chance(0.1)) s = rng.chance(0.5) ? s.toUpperCase() : s.toLowerCase();
  return s;
}
