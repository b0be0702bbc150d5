import type { AutoReplyVariable, OrderStatus } from "@yunxi/contracts";
import { formatChineseTime } from "../library/time.ts";

export { formatChineseTime };

/**
 * The auto-reply's pure decisions, apart from the database and the platform: does the
 * buyer want a person, which order do they mean, how many times in a row has the bot
 * answered, and the values a template is filled with.
 */

/** 人工, 转人工, 找客服, 真人 …: the buyer wants a person, whatever else they wrote. */
const HUMAN_REQUEST =
  /人工|真人|活人|(找|叫|要|换|联系|接|转)\s*客服|客服\s*(呢|在哪|在吗|出来)|有没有人|人呢|机器人.{0,4}(听不懂|没用|不行)/;

export const asksForHuman = (text: string): boolean => HUMAN_REQUEST.test(text);

/** Orders a shipping question can be about: not yet finished. */
const OPEN_STATUSES: readonly OrderStatus[] = ["unpaid", "paid", "shipped", "delivered", "refunding"];
/** Without an open order, finished orders this recent are still candidates. */
const RECENT_MS = 30 * 86_400_000;

/** What the bot needs of an order (a row of the orders module). */
export interface CandidateOrder {
  platformOrderId: string;
  status: string;
  createdAt: Date;
  items: unknown;
}

export type OrderChoice<T extends CandidateOrder> =
  | { kind: "one"; order: T }
  | { kind: "several"; orders: T[] }
  | { kind: "none"; named: string[] };

/** The orders the question is probably about: the open ones, else those of the last 30 days; newest first. */
export function candidateOrders<T extends CandidateOrder>(rows: readonly T[], now: Date): T[] {
  const newestFirst = [...rows].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const open = newestFirst.filter((r) => OPEN_STATUSES.includes(r.status as OrderStatus));
  if (open.length > 0) return open;
  return newestFirst.filter((r) => now.getTime() - r.createdAt.getTime() < RECENT_MS);
}

const chineseDigits: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/**
 * The buyer's answer to "which order?": an index (`2`, `第二个`, `第2单`), a full order
 * number, or its last digits (`尾号5678`) matching exactly one of the offered orders.
 */
export function pickOffered(text: string, offered: readonly string[]): string | null {
  const compact = text.replace(/\s+/g, "");
  for (const id of offered) if (compact.includes(id)) return id;
  const index = /^(?:第)?([1-9一二两三四五六七八九])(?:个|单|笔|号)?(?:订单)?[。.!！~～]*$/.exec(compact);
  if (index) {
    const n = Number(index[1]) || chineseDigits[index[1]!] || 0;
    return offered[n - 1] ?? null;
  }
  for (const run of compact.match(/\d{4,}/g) ?? []) {
    const matching = offered.filter((id) => id.endsWith(run));
    if (matching.length === 1) return matching[0]!;
  }
  return null;
}

/**
 * Which order the buyer means: the one they named (a number in the message, or their answer
 * to the bot's question), else the only candidate, else several. A number that is none of
 * theirs is `none` (never answered about another order).
 */
export function chooseOrder<T extends CandidateOrder>(
  rows: readonly T[],
  input: { text: string; namedNumbers: readonly string[]; offered: readonly string[] | null; now: Date },
): OrderChoice<T> {
  const byNumber = new Map(rows.map((r) => [r.platformOrderId, r]));
  if (input.offered && input.offered.length > 0) {
    const picked = pickOffered(input.text, input.offered);
    const order = picked ? byNumber.get(picked) : undefined;
    if (order) return { kind: "one", order };
  }
  if (input.namedNumbers.length > 0) {
    const named = input.namedNumbers.map((n) => byNumber.get(n)).filter((r): r is T => r !== undefined);
    if (named.length === 1) return { kind: "one", order: named[0]! };
    if (named.length > 1) return { kind: "several", orders: named };
    return { kind: "none", named: [...input.namedNumbers] };
  }
  const candidates = candidateOrders(rows, input.now);
  if (candidates.length === 1) return { kind: "one", order: candidates[0]! };
  if (candidates.length > 1) return { kind: "several", orders: candidates };
  return { kind: "none", named: [] };
}

/** A decision as the streak counts it. */
export interface PastDecision {
  outcome: string;
  createdAt: Date;
}

/**
 * How many times the bot has answered in a row: its answers (sent, dry-run, or asking
 * which order) since a human agent last replied.
 */
export function consecutiveBotAnswers(decisions: readonly PastDecision[], lastAgentReplyAt: Date | null): number {
  return decisions.filter(
    (d) =>
      (d.outcome === "answered" || d.outcome === "dry_run" || d.outcome === "asked") &&
      (lastAgentReplyAt === null || d.createdAt > lastAgentReplyAt),
  ).length;
}

/** The first item's title, `等N件` when there are more. */
export function productNameOf(items: unknown): string | null {
  if (!Array.isArray(items) || items.length === 0) return null;
  const first = items[0] as { title?: unknown };
  if (typeof first.title !== "string" || first.title.trim() === "") return null;
  return items.length > 1 ? `${first.title}等${items.length}件商品` : first.title;
}

const statusWords: Record<OrderStatus, string> = {
  unpaid: "待付款",
  paid: "待发货",
  shipped: "已发货",
  delivered: "已签收",
  completed: "已完成",
  closed: "已关闭",
  refunding: "退款中",
  refunded: "已退款",
};

/** `1. 订单 2123…（运动鞋，已发货）` lines for the which-order question. */
export function orderListText(orders: readonly CandidateOrder[]): string {
  return orders
    .slice(0, 5)
    .map((o, i) => {
      const product = productNameOf(o.items);
      const status = statusWords[o.status as OrderStatus] ?? o.status;
      return `${i + 1}. 订单${o.platformOrderId}（${product ? `${product}，` : ""}${status}）`;
    })
    .join("\n");
}

/** The latest parcel node: `【杭州市】快件已到达 杭州转运中心（11月12日 18:00）`. */
export function latestNodeText(nodes: readonly { at: Date; description: string }[], timeZone: string): string | null {
  const latest = [...nodes].sort((a, b) => a.at.getTime() - b.at.getTime()).at(-1);
  return latest ? `${latest.description}（${formatChineseTime(latest.at, timeZone)}）` : null;
}

/** What an order fills a template with (the parcel's latest node is asked separately). */
export function orderValues(
  order: CandidateOrder & {
    promisedShipAt: Date | null;
    carrier: string | null;
    trackingNo: string | null;
  },
  buyerName: string,
  timeZone: string,
): Partial<Record<AutoReplyVariable, string | null>> {
  return {
    买家昵称: buyerName,
    订单号: order.platformOrderId,
    商品名: productNameOf(order.items),
    承诺发货时间: order.promisedShipAt ? formatChineseTime(order.promisedShipAt, timeZone) : null,
    快递公司: order.carrier,
    快递单号: order.trackingNo,
  };
}
