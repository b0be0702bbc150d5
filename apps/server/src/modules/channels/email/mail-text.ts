/**
 * Turning mail into chat and back. Agents read a thread as chat messages, so an
 * inbound mail is reduced to what the buyer newly wrote: quoted history below the
 * reply (`> …`, "On … wrote:", "在 … 写道：", Outlook's "-----Original Message-----")
 * is cut. The first mail of a thread keeps its subject as the first line, which is
 * also where the reply's "Re:" subject is read from.
 */

const SUBJECT_PREFIX = "主题：";

const quoteHeaders = [
  /^\s*On .{1,200} wrote:\s*$/,
  /^\s*在.{1,200}写道[:：]\s*$/,
  /^\s*-{2,}\s*(Original Message|原始邮件)\s*-{2,}\s*$/i,
  /^\s*(From|发件人)[:：]\s.+$/,
];

/** What the sender newly wrote, without the quoted thread and the trailing blank lines. */
export function newTextOf(text: string): string {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const cut = lines.findIndex((line) => quoteHeaders.some((re) => re.test(line)));
  let kept = cut >= 0 ? lines.slice(0, cut) : lines;
  // A trailing block of `>` lines is quoted history even without a header.
  while (kept.length > 0 && (/^\s*>/.test(kept.at(-1)!) || kept.at(-1)!.trim() === "")) kept = kept.slice(0, -1);
  const result = kept.join("\n").trim();
  return result || text.trim();
}

/** The message body of an inbound mail: the subject as first line when it starts a thread. */
export function mailBody(subject: string | undefined, text: string, startsThread: boolean): string {
  const fresh = newTextOf(text);
  const title = subject?.trim();
  return startsThread && title ? `${SUBJECT_PREFIX}${title}\n\n${fresh}` : fresh;
}

/** The subject of a reply to the thread whose first mail had this body. */
export function replySubject(firstBody: string | undefined, fallback: string): string {
  const line = firstBody?.startsWith(SUBJECT_PREFIX)
    ? firstBody.slice(SUBJECT_PREFIX.length).split("\n")[0]!.trim()
    : "";
  if (!line) return fallback;
  return /^(re|回复|答复)\s*[:：]/i.test(line) ? line : `Re: ${line}`;
}

/** A Message-ID as `<id@domain>`; headers carry them with or without the brackets. */
export function normalizeMessageId(id: string): string {
  const trimmed = id.trim();
  return trimmed.startsWith("<") ? trimmed : `<${trimmed}>`;
}

/** Every Message-ID in an In-Reply-To or References header value. */
export function messageIdsIn(value: string | string[] | undefined): string[] {
  const all = Array.isArray(value) ? value.join(" ") : (value ?? "");
  return [...all.matchAll(/<[^<>\s]+>/g)].map((m) => m[0]);
}
