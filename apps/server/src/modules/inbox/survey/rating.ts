/**
 * Whether a buyer's message is an answer to the survey, and which score (1–5). Only a
 * message that is a rating and nothing more counts — "5", "５分", "五星", "满意",
 * "⭐⭐⭐⭐" — optionally with a thank-you after it ("5分，谢谢"); anything else
 * ("5号能发货吗", "不满意，我要退货") is a message like any other and reopens the service.
 */

const chineseDigits: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

/** The satisfaction words, longest first so "非常不满意" is not read as "满意". */
const words: [RegExp, number][] = [
  [/^(非常|很|特别|十分|超级?)不满意$/, 1],
  [/^(不太|不怎么)满意$/, 2],
  [/^不满意$/, 2],
  [/^(一般般?|还行|还可以|凑合)$/, 3],
  [/^(非常|很|特别|十分|超级?)满意$/, 5],
  [/^(满意|比较满意|挺满意)$/, 4],
];

const stars = /^(?:⭐|★|🌟){1,5}$/u;
/** 5 / 5分 / 5星 / 五颗星 / 打5分 / 给五星 / 评分5 */
const numeric = /^(?:我?(?:打|给|评)?(?:分|评分)?[:：]?)?([1-5一二两三四五])(?:分|星|颗星|星星)?(?:好评)?$/u;
/** What may follow the rating: punctuation, a thank-you, a smile. */
const trailing = /[\s,，。.!！~～、;；]*(?:谢谢(?:你|您)?|谢啦|多谢|感谢|thanks?|thx)?[\s,，。.!！~～、😊🙂👍❤]*$/iu;

export function parseRating(text: string): number | null {
  const normal = text
    .normalize("NFKC") // full-width digits and letters
    .replace(/\uFE0F/g, "") // emoji variation selectors (⭐️)
    .trim()
    .replace(trailing, "")
    .replace(/\s+/g, "");
  if (normal === "") return null;
  if (stars.test(normal)) return [...normal].length;
  const digit = numeric.exec(normal)?.[1];
  if (digit) return chineseDigits[digit] ?? Number(digit);
  for (const [pattern, score] of words) if (pattern.test(normal)) return score;
  return null;
}
