import type { MessageEntities } from "@yunxi/contracts";

/**
 * What a buyer message names: sizes, body measurements, colours, order and waybill numbers,
 * phones, amounts, dates and times. Rules, not a model: these have shapes.
 */

/** Entities are looked for in this many characters at most. */
export const ENTITY_INPUT_CHARS = 2000;

const cnDigits: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** A number written with digits or simple Chinese numerals (一百二十, 两百, 三十五, 一米七五's 七五). */
export function parseNumber(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!/^[零〇一二两三四五六七八九十百千万]+$/.test(text)) return null;
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const ch of text) {
    const d = cnDigits[ch];
    if (d !== undefined) {
      digit = d;
      continue;
    }
    const unit = ch === "十" ? 10 : ch === "百" ? 100 : ch === "千" ? 1000 : 10000;
    if (unit === 10000) {
      total += (section + (digit ?? 0)) * 10000;
      section = 0;
    } else section += (digit ?? 1) * unit;
    digit = null;
  }
  return total + section + (digit ?? 0);
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];

// --- numbers: order numbers, waybills, phones --------------------------------------------------

const PHONE = /(?<![\d])(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?![\d])/g;
/** Pinduoduo: `yymmdd-` and 15 digits. */
const PDD_ORDER = /(?<![\d-])\d{6}-\d{12,16}(?![\d])/g;
/** Carrier prefixes: SF (顺丰), YT (圆通), JT (极兔), JD… (京东), plus digits. */
const PREFIXED_WAYBILL = /(?<![a-z\d])(?:sf|yt|jt|jdv[a-z]|jd|zt|yd|sto|ems|db|kye)\d{10,16}(?![\d])/gi;
const DIGIT_RUN = /(?<![\d.a-z-])\d{10,22}(?![\d.a-z])/gi;
const WAYBILL_CUE =
  /(快递单号|运单号|物流单号|快递号|单号是[^订]{0,2}$|退货单号|寄回单号|顺丰|中通|圆通|韵达|申通|极兔|邮政|ems|京东快递)[^\d]{0,6}$/i;
const ORDER_CUE = /(订单号|订单编号|订单|单号|编号)[^\d]{0,6}$/;

function numbers(text: string): Pick<MessageEntities, "orderNumbers" | "trackingNumbers" | "phones"> {
  const orderNumbers: string[] = [];
  const trackingNumbers: string[] = [];
  const phones: string[] = [];
  for (const m of text.matchAll(PHONE)) phones.push(`${m[1]}****${m[3]}`); // the middle four digits never leave the classifier
  for (const m of text.matchAll(PDD_ORDER)) orderNumbers.push(m[0]);
  for (const m of text.matchAll(PREFIXED_WAYBILL)) trackingNumbers.push(m[0].toUpperCase());
  for (const m of text.matchAll(DIGIT_RUN)) {
    const digits = m[0];
    // 11 digits that look like a mobile number were counted as a phone.
    if (/^1[3-9]\d{9}$/.test(digits)) continue;
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    if (WAYBILL_CUE.test(before) && !/订单/.test(before)) trackingNumbers.push(digits);
    else if (digits.length >= 12 || ORDER_CUE.test(before)) orderNumbers.push(digits);
  }
  return { orderNumbers: unique(orderNumbers), trackingNumbers: unique(trackingNumbers), phones: unique(phones) };
}

// --- sizes and body measurements ---------------------------------------------------------------

const LETTER_SIZE = /(?<![a-z])(xxxs|xxs|xs|s|m|l|xl|xxl|xxxl|xxxxl|[2-6]xl)(?:码|号)?(?![a-z])/gi;
const NUMBER_SIZE = /(?<![\d.])(\d{2,3}(?:\.5)?)\s*(码|号)/g;
const CHINESE_SIZE_STANDARD = /(?<![\d])(1[0-9]{2}\/\d{2,3}[ab]?)(?![\d.]|\s*(?:kg|斤|公斤|千克))/gi;
/** 换成42的, 穿39: a bare shoe size after a verb that picks one. */
const BARE_SHOE_SIZE = /(?:穿|拍|换成?|要|选)\s*(3[3-9]|4[0-8])(\.5)?(?=的|吧|吗|呢|可以|行|$|\s|[，,。.!！?？])/g;

function sizes(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(LETTER_SIZE)) {
    const letter = m[1]!.toUpperCase();
    const hasUnit = m[0].length > m[1]!.length;
    // A lone lower-case s/m/l may be anything, so only when upper-case, marked 码/号, or next to a
    // word that picks a size (拍m, m的); XL and longer always count.
    const before = text[m.index - 1] ?? " ";
    const after = text[m.index + m[0].length] ?? " ";
    if (letter.length === 1 && !hasUnit && m[1] !== letter && !/[拍穿要换是码]/.test(before) && after !== "的")
      continue;
    found.push(letter);
  }
  for (const m of text.matchAll(NUMBER_SIZE)) {
    const n = Number(m[1]);
    // 号 is also a date (15号): only shoe and clothing sizes count.
    if (m[2] === "号" && (n < 33 || n > 48) && n < 90) continue;
    if (m[2] === "号" && /月\s*$/.test(text.slice(Math.max(0, m.index - 3), m.index))) continue;
    if (n < 13 || n > 200) continue;
    found.push(`${m[1]}码`);
  }
  for (const m of text.matchAll(BARE_SHOE_SIZE)) found.push(`${m[1]}${m[2] ?? ""}码`);
  for (const m of text.matchAll(CHINESE_SIZE_STANDARD)) found.push(m[1]!.toUpperCase());
  if (text.includes("均码")) found.push("均码");
  return unique(found);
}

const HEIGHT_PATTERNS: readonly RegExp[] = [
  /身高\s*[:：]?\s*(1\.\d{1,2}|\d{3})\s*(cm|厘米|公分|米|m)?/i,
  /(?<![\d.])(1[4-9]\d)\s*(cm|厘米|公分)/i,
  /(?:^|[^\d.])(1)\s*米\s*([0-9]{1,2}|[一二三四五六七八九][一二三四五六七八九十]?)/,
  /(?<![\d.])(1\.[4-9]\d?)\s*(m|米)(?![a-z])/i,
  /一米([一二三四五六七八九][一二三四五六七八九十]?)/,
];

function heightCm(text: string): number | null {
  let m = HEIGHT_PATTERNS[0]!.exec(text);
  if (m) {
    const v = Number(m[1]);
    return v < 3 ? Math.round(v * 100) : v;
  }
  m = HEIGHT_PATTERNS[1]!.exec(text);
  if (m) return Number(m[1]);
  m = HEIGHT_PATTERNS[2]!.exec(text);
  if (m) {
    const rest = parseNumber(m[2]!) ?? 0;
    // 1米75 → 175; 1米7 / 一米七 → 170.
    return 100 + (rest < 10 ? rest * 10 : rest);
  }
  m = HEIGHT_PATTERNS[3]!.exec(text);
  if (m) return Math.round(Number(m[1]) * 100);
  m = HEIGHT_PATTERNS[4]!.exec(text);
  if (m) {
    const chars = [...m[1]!];
    const tens = cnDigits[chars[0]!] ?? 0;
    const ones = chars[1] && chars[1] !== "十" ? (cnDigits[chars[1]] ?? 0) : 0;
    return 100 + tens * 10 + ones;
  }
  // "我175 130斤", "175/65kg": a bare height next to a weight.
  m = /(?<![\d.])(1[4-9]\d)\s*[/，,、\s]\s*(?:体重\s*)?\d{2,3}(?:\.\d)?\s*(斤|kg|公斤|千克)/i.exec(text);
  if (m) return Number(m[1]);
  return null;
}

function weightKg(text: string): number | null {
  let m = /(\d{2,3}(?:\.\d)?|[一二两三四五六七八九十百]{2,5})\s*(斤|kg|公斤|千克)/i.exec(text);
  if (m) {
    const v = parseNumber(m[1]!);
    if (v === null) return null;
    return m[2] === "斤" ? v / 2 : v;
  }
  m = /体重\s*[:：]?\s*(\d{2,3}(?:\.\d)?)/.exec(text);
  if (m) {
    // Without a unit: buyers mostly give 斤 (110, 130); under 90 it is kilograms.
    const v = Number(m[1]);
    return v >= 90 ? v / 2 : v;
  }
  return null;
}

function body(text: string): MessageEntities["body"] {
  const h = heightCm(text);
  const w = weightKg(text);
  if (h === null && w === null) return null;
  const height = h !== null && h >= 40 && h <= 230 ? h : null;
  const weight = w !== null && w >= 2 && w <= 250 ? w : null;
  return height === null && weight === null ? null : { heightCm: height, weightKg: weight };
}

// --- colours -----------------------------------------------------------------------------------

const NAMED_COLOURS = [
  "雾霾蓝",
  "奶茶色",
  "卡其色",
  "咖啡色",
  "香槟色",
  "焦糖色",
  "牛仔蓝",
  "宝蓝色",
  "天蓝色",
  "湖蓝色",
  "藏青色",
  "藏青",
  "酒红色",
  "酒红",
  "玫红色",
  "玫红",
  "米白色",
  "米白",
  "象牙白",
  "军绿色",
  "军绿",
  "墨绿",
  "豆沙色",
  "豆沙",
  "正红",
  "枫叶棕",
  "白灰",
  "黑红",
  "白绿",
  "纯白",
  "纯黑",
  "杏色",
  "驼色",
  "栗色",
  "银色",
  "金色",
  "玫瑰金",
  "深空灰",
  "午夜色",
  "星光色",
];
const BASIC_COLOUR = /(?<![明坦告表空清口])([浅深亮暗淡]?)(白|黑|红|蓝|灰|粉|绿|黄|紫|棕|橙|橘|青|咖)(色|的)/g;

function colours(text: string): string[] {
  const found: string[] = [];
  let rest = text;
  for (const name of NAMED_COLOURS) {
    if (rest.includes(name)) {
      found.push(name);
      rest = rest.replaceAll(name, " ");
    }
  }
  for (const m of rest.matchAll(BASIC_COLOUR)) {
    // 红的/白的 → 红色/白色; but not 白的 in 明白的, 红色号 in 口红色号 (excluded above), nor 红的 in 网红的.
    if (m[3] === "的" && /[网走变]$/.test(rest.slice(0, m.index))) continue;
    found.push(`${m[1]}${m[2]}色`);
  }
  return unique(found);
}

// --- amounts -----------------------------------------------------------------------------------

const AMOUNT_PATTERNS: readonly RegExp[] = [
  /[¥￥]\s*(\d+(?:\.\d{1,2})?)/g,
  /(?<![\d.])(\d+(?:\.\d{1,2})?)\s*(?:元|块钱|块|rmb)(?!旦|宵)/gi,
  /(?<![零〇一二两三四五六七八九十百千万])([零〇一二两三四五六七八九十百千万]{1,6})\s*(?:元|块钱|块)(?!旦|宵)/g,
];

function amounts(text: string): MessageEntities["amounts"] {
  const found: MessageEntities["amounts"] = [];
  const seen = new Set<number>();
  for (const pattern of AMOUNT_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const yuan = parseNumber(m[1]!);
      // 一块 in 一块儿 is "together", 这块 is "this piece": only amounts above 1 yuan written as words.
      if (yuan === null || (yuan <= 1 && !/\d/.test(m[1]!))) continue;
      const key = m.index;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ text: m[0].trim(), yuan });
    }
  }
  return found.sort((a, b) => text.indexOf(a.text) - text.indexOf(b.text));
}

// --- dates and times ---------------------------------------------------------------------------

const DATETIME_PATTERNS: readonly { kind: "date" | "time" | "duration" | "event"; pattern: RegExp }[] = [
  { kind: "event", pattern: /双\s*(?:11|十一|12|十二)|618|年货节|38节|女神节|黑五|开学季|年中大促/g },
  {
    kind: "date",
    pattern:
      /(?:\d{4}年)?\d{1,2}月\d{1,2}[日号]?|\d{1,2}[日号](?![码])|(?:今|明|后|昨|前|大后)天|今晚|明早|明晚|周末|(?:这|下|上)?(?:周|星期|礼拜)[一二三四五六日天]|月底|月初|月中|年前|年后|过年|春节|国庆|五一|中秋|元旦/g,
  },
  {
    kind: "time",
    pattern:
      /(?:早上|上午|中午|下午|晚上|凌晨)?\s*\d{1,2}\s*(?:点|:|：)\s*(?:\d{1,2}分?|半)?|(?:早上|上午|中午|下午|晚上|凌晨)(?:[一二三四五六七八九十]{1,2}点半?)?/g,
  },
  {
    kind: "duration",
    pattern:
      /(?:\d+|[一二两三四五六七八九十几半]+)\s*(?:个)?(?:天|小时|周|星期|个月|工作日)(?:了|内|之内|以内)?(?!无理由)/g,
  },
];

function datetimes(text: string): MessageEntities["datetimes"] {
  const found: { text: string; kind: "date" | "time" | "duration" | "event"; at: number }[] = [];
  const taken: [number, number][] = [];
  for (const { kind, pattern } of DATETIME_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const value = m[0].trim();
      if (value === "") continue;
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([s, e]) => start < e && end > s)) continue;
      // A time needs a clock word or an hour: a bare "3:" is not one.
      if (kind === "time" && !/点|:|：|早上|上午|中午|下午|晚上|凌晨/.test(value)) continue;
      taken.push([start, end]);
      found.push({ text: value, kind, at: start });
    }
  }
  return found.sort((a, b) => a.at - b.at).map(({ text, kind }) => ({ text, kind }));
}

// --- all together --------------------------------------------------------------------------------

export function extractEntities(input: string): MessageEntities {
  const text = input.slice(0, ENTITY_INPUT_CHARS).normalize("NFKC");
  const ids = numbers(text);
  // Long numbers are ids, not sizes, amounts or dates: blank them out for the other rules.
  const rest = text
    .replace(PHONE, (m) => " ".repeat(m.length))
    .replace(PDD_ORDER, (m) => " ".repeat(m.length))
    .replace(PREFIXED_WAYBILL, (m) => " ".repeat(m.length))
    .replace(/\d{7,}/g, (m) => " ".repeat(m.length));
  return {
    sizes: sizes(rest),
    body: body(rest),
    colours: colours(rest),
    ...ids,
    amounts: amounts(rest),
    datetimes: datetimes(rest),
  };
}
