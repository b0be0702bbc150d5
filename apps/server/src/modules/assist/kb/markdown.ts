/**
 * Knowledge-base articles are Markdown, a safe subset the web app renders as React
 * elements (never as HTML): headings, paragraphs, lists, quotes, **bold**, *italic*,
 * `code`, links and images. Saving sanitises it all the same, so the stored text is
 * clean for any other reader (exports, an LLM prompt, another client): raw HTML is
 * removed, and links and images may only point to http(s), mailto or our own
 * attachment URLs.
 */

export const ATTACHMENT_URL_PREFIX = "/api/library/kb/attachments/";

const MAX_BODY = 100_000;

/** Whether a link target is safe to keep: web, mail, or our attachments (relative). */
export function isSafeUrl(url: string, kind: "link" | "image"): boolean {
  const u = url.trim();
  if (u.startsWith(ATTACHMENT_URL_PREFIX)) return /^\/api\/library\/kb\/attachments\/[0-9a-f-]{36}$/i.test(u);
  if (kind === "image") return /^https:\/\/[^\s"'<>]+$/i.test(u);
  return /^(https?:\/\/|mailto:)[^\s"'<>]+$/i.test(u);
}

/** Sanitised Markdown: no control characters, no HTML, only safe link and image targets. */
export function sanitizeMarkdown(input: string): string {
  let text = input
    .slice(0, MAX_BODY)
    .replace(/\r\n?/g, "\n")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
  // Autolinks become bare URLs before tags go; then whole script/style blocks, comments, and any tag.
  text = text
    .replace(/<((?:https?:\/\/|mailto:)[^\s<>]+)>/gi, "$1")
    .replace(/<(script|style|iframe|object|embed|template|noscript)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/gi, "");
  // Images first (they start with "!"), then links: an unsafe target keeps the text, loses the target.
  text = text.replace(
    /!\[([^\]\n]*)\]\(((?:[^()\s]|\([^()\s]*\))*)(?:\s+"[^"\n]*")?\)/g,
    (whole, alt: string, url: string) => (isSafeUrl(url, "image") ? whole : alt),
  );
  text = text.replace(
    /(^|[^!])\[([^\]\n]*)\]\(((?:[^()\s]|\([^()\s]*\))*)(?:\s+"[^"\n]*")?\)/g,
    (whole, before: string, label: string, url: string) => (isSafeUrl(url, "link") ? whole : `${before}${label}`),
  );
  return text.trim();
}

/** The text of an article without markup: what search indexes and what "insert into reply" inserts. */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .replace(/```[a-z]*\n?([\s\S]*?)```/gi, "$1")
    .replace(/!\[([^\]\n]*)\]\([^)\n]*\)/g, "$1")
    .replace(/\[([^\]\n]*)\]\([^)\n]*\)/g, "$1")
    .replace(/^[ \t]{0,3}#{1,6}\s+/gm, "")
    .replace(/^[ \t]{0,3}>\s?/gm, "")
    .replace(/^[ \t]*[-*+]\s+\[[ xX]\]\s+/gm, "- ")
    .replace(/^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$/gm, "")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, "$1$2")
    .replace(/`([^`\n]+)`/g, "$1")
    .replace(/\\([\\`*_{}[\]()#+\-.!>])/g, "$1")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
