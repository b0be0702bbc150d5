import type { MessageKey } from "../i18n/zh-CN.ts";

/** Order events a system notice can report, by the key of their text (`notice.<change>`). */
const noticeKeys = {
  created: "notice.created",
  paid: "notice.paid",
  shipped: "notice.shipped",
  delivered: "notice.delivered",
  completed: "notice.completed",
  closed: "notice.closed",
  refund_requested: "notice.refund_requested",
  refund_agreed: "notice.refund_agreed",
  refund_closed: "notice.refund_closed",
} as const satisfies Record<string, MessageKey>;

/**
 * The text key of a system notice's event. Events are written `order.paid`, `refund.requested`
 * or `order.refund_requested`; all name the same change. Unknown events have no key: the
 * message's own body (the server's plain-text rendering) is shown instead.
 */
export function noticeKey(event: string): MessageKey | null {
  const change = event
    .trim()
    .toLowerCase()
    .replace(/^order[._]/, "")
    .replace(/[.\s-]/g, "_");
  return Object.hasOwn(noticeKeys, change) ? noticeKeys[change as keyof typeof noticeKeys] : null;
}
