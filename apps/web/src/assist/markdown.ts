/**
 * The knowledge base's Markdown, parsed into plain data that `MarkdownView` renders as
 * React elements: nothing is ever inserted as HTML. Raw HTML in an article stays text;
 * links go only to http(s), mailto and our attachments, images only to https and our
 * attachments (the server sanitises the same way on save).
 */

export type Inline =
  | { type: "text"; text: string }
  | { type: "strong"; text: string }
  | { type: "em"; text: string }
  | { type: "code"; text: string }
  | { type: "link"; text: string; href: string }
  | { type: "image"; alt: string; src: string };

export type Block =
  | { type: "heading"; level: number; inline: Inline[] }
  | { type: "paragraph"; inline: Inline[] }
  | { type: "list"; ordered: boolean; items: Inline[][] }
  | { type: "quote"; inline: Inline[] }
  | { type: "code"; text: string };

const attachmentUrl = /^\/api\/library\/kb\/attachments\/[0-9a-f-]{36}$/i;

export function isSafeHref(url: string): boolean {
  return attachmentUrl.test(url) || /^(https?:\/\/|mailto:)[^\s"'<>]+$/i.test(url);
}

export function isSafeImage(url: string): boolean {
  return attachmentUrl.test(url) || /^https:\/\/[^\s"'<>]+$/i.test(url);
}

const inlinePattern =
  /(`[^`\n]+`)|(\*\*[^*\n]+\*\*|__[^_\n]+__)|(!\[[^\]\n]*\]\([^()\s]*\))|(\[[^\]\n]*\]\([^()\s]*\))|(\*[^*\n]+\*)/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  const pushText = (t: string) => {
    if (!t) return;
    const last = out[out.length - 1];
    if (last?.type === "text") last.text += t;
    else out.push({ type: "text", text: t });
  };
  let at = 0;
  for (const m of text.matchAll(inlinePattern)) {
    const index = m.index ?? 0;
    pushText(text.slice(at, index));
    at = index + m[0].length;
    const [whole, code, strong, image, link, em] = m;
    if (code) out.push({ type: "code", text: code.slice(1, -1) });
    else if (strong) out.push({ type: "strong", text: strong.slice(2, -2) });
    else if (em) out.push({ type: "em", text: em.slice(1, -1) });
    else if (image) {
      const [, alt = "", src = ""] = /^!\[([^\]]*)\]\(([^)]*)\)$/.exec(image) ?? [];
      if (isSafeImage(src)) out.push({ type: "image", alt, src });
      else pushText(whole);
    } else if (link) {
      const [, label = "", href = ""] = /^\[([^\]]*)\]\(([^)]*)\)$/.exec(link) ?? [];
      if (isSafeHref(href)) out.push({ type: "link", text: label, href });
      else pushText(whole);
    }
  }
  pushText(text.slice(at));
  return out;
}

export function parseMarkdown(markdown: string): Block[] {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ type: "paragraph", inline: parseInline(paragraph.join("\n")) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]!); i++) code.push(lines[i]!);
      blocks.push({ type: "code", text: code.join("\n") });
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ type: "heading", level: heading[1]!.length, inline: parseInline(heading[2]!.trim()) });
      continue;
    }
    const item = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const ordered = item[2] !== undefined;
      const last = blocks[blocks.length - 1];
      const text = parseInline(item[3]!);
      if (last?.type === "list" && last.ordered === ordered) last.items.push(text);
      else blocks.push({ type: "list", ordered, items: [text] });
      continue;
    }
    const quote = /^\s{0,3}>\s?(.*)$/.exec(line);
    if (quote) {
      flush();
      const last = blocks[blocks.length - 1];
      if (last?.type === "quote") last.inline.push({ type: "text", text: "\n" }, ...parseInline(quote[1]!));
      else blocks.push({ type: "quote", inline: parseInline(quote[1]!) });
      continue;
    }
    if (line.trim() === "") flush();
    else paragraph.push(line);
  }
  flush();
  return blocks;
}
