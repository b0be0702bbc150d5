import type { Conversation } from "@yunxi/contracts";

/**
 * The unread count shown in the tab title (`(3) 云席`) and on the favicon: unread buyer messages
 * in the open conversations assigned to me. Several sources of conversations may be given (the
 * notification center's own list, the inbox store); for an id in several, the last one wins.
 */
export function unreadTotal(sources: readonly ReadonlyMap<string, Conversation>[], myId: string): number {
  const merged = new Map<string, Conversation>();
  for (const source of sources) for (const [id, c] of source) merged.set(id, c);
  let total = 0;
  for (const c of merged.values()) {
    if (c.assigneeId === myId && c.status !== "resolved" && c.mergedIntoId === null)
      total += Math.max(0, c.unreadCount);
  }
  return total;
}

const badgePrefix = /^\(\d+\+?\) /;

/** `(3) 云席 Yunxi`; `(99+) …` above 99; the bare title for 0. Any earlier badge is replaced. */
export function titleWithBadge(title: string, count: number): string {
  const bare = title.replace(badgePrefix, "");
  return count > 0 ? `(${badgeText(count)}) ${bare}` : bare;
}

export function badgeText(count: number): string {
  return count > 99 ? "99+" : String(count);
}
