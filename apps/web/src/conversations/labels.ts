/** Small text helpers of the list: filter values with counts, avatar letters. */

/** `我的 · 12`: a filter value with its count; the bare label while the count is unknown. */
export function withCount(label: string, count: number | undefined): string {
  return count === undefined ? label : `${label} · ${count}`;
}

/** One character for an avatar: a Chinese name's last (小美 → 美: many start with 小 or 老), else the first letter. */
export function avatarText(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return "?";
  const last = chars.at(-1) ?? "?";
  return /\p{Script=Han}/u.test(last) ? last : (chars[0] ?? "?").toUpperCase();
}
