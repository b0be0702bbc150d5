import type { OutboundContent, PlatformLimits } from "./adapter.ts";

/**
 * What a platform refuses before we even try. The server calls `checkOutbound`
 * before it queues a reply, so the agent sees at once why a message cannot go
 * (instead of a delivery that fails minutes later); every adapter's `send`
 * calls it again, so nothing reaches a platform that the platform forbids.
 */

export type OutboundRefusalCode = "empty_message" | "text_too_long" | "external_link" | "invalid_content";

export type OutboundCheck = { ok: true } | { ok: false; code: OutboundRefusalCode; message: string };

// Links as buyers and agents write them: with a scheme, with www., or a bare
// domain under a common TLD ("abc.cn/x"). Numbers such as "1.5" never match.
const linkPattern =
  /\b(?:https?:\/\/[^\s/$.?#][^\s]*|www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s]*|(?:[a-z0-9-]+\.)+(?:com|cn|net|org|io|top|xyz|shop|vip|cc|me|info|co|app|link|site|club|hk)\b(?::\d+)?(?:\/[^\s]*)?)/gi;

/** Length as the buyer sees it: an emoji or a CJK character is one. */
export function visibleLength(text: string): number {
  return [...text].length;
}

function hostOf(link: string): string | undefined {
  const withScheme = /^https?:\/\//i.test(link) ? link : `http://${link}`;
  try {
    return new URL(withScheme).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function hostAllowed(host: string, allowed: readonly string[]): boolean {
  return allowed.some((a) => host === a || host.endsWith(`.${a}`));
}

/** The links in a text that point outside the platform's own hosts. */
export function externalLinks(text: string, allowedHosts: readonly string[]): string[] {
  const found = text.match(linkPattern) ?? [];
  return found.filter((link) => {
    const host = hostOf(link);
    return host === undefined || !hostAllowed(host, allowedHosts);
  });
}

export function checkOutbound(limits: PlatformLimits, content: OutboundContent): OutboundCheck {
  switch (content.type) {
    case "text": {
      if (content.text.trim() === "") return { ok: false, code: "empty_message", message: "消息内容为空" };
      const length = visibleLength(content.text);
      if (length > limits.maxTextLength) {
        return {
          ok: false,
          code: "text_too_long",
          message: `消息过长：${length} 字，平台上限 ${limits.maxTextLength} 字`,
        };
      }
      if (limits.forbidsExternalLinks) {
        const links = externalLinks(content.text, limits.allowedLinkHosts);
        if (links.length > 0) {
          return { ok: false, code: "external_link", message: `平台禁止发送站外链接：${links.join(" ")}` };
        }
      }
      return { ok: true };
    }
    case "image":
      // Images travel as URLs the platform fetches (or its own uploaded ones); the
      // link rule is about text the buyer could click, so only the scheme is checked.
      return /^https?:\/\/\S+$/i.test(content.url)
        ? { ok: true }
        : { ok: false, code: "invalid_content", message: "图片地址必须是 http(s) 链接" };
    case "product_card":
      return content.productId.trim() === ""
        ? { ok: false, code: "invalid_content", message: "商品卡片缺少商品 ID" }
        : { ok: true };
    case "order_card":
      return content.orderId.trim() === ""
        ? { ok: false, code: "invalid_content", message: "订单卡片缺少订单号" }
        : { ok: true };
  }
}
