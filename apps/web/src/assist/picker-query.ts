/** What the canned-reply picker searches for, from the composer's text; null: the picker stays closed. */
export type PickerQuery = { q: string; match: "all" | "keyword" };

/** A bare word this long or shorter may be a keyword (`尺码`, `抖音-尺码`); longer text is a reply being typed. */
const KEYWORD_MAX = 12;

/**
 * `/` opens the picker on everything (`/` alone lists the most used, `/尺码` searches
 * keywords, titles and texts). A short single word without `/` is looked up as a
 * keyword only, so that typing an ordinary reply does not keep opening the list.
 */
export function pickerQuery(text: string): PickerQuery | null {
  const trimmed = text.trim();
  if (/^[/／]/.test(trimmed)) return { q: trimmed.slice(1).trim(), match: "all" };
  if (!trimmed || trimmed.length > KEYWORD_MAX || /\s/.test(trimmed)) return null;
  if (!/[\p{L}\p{N}]/u.test(trimmed)) return null;
  return { q: trimmed, match: "keyword" };
}
