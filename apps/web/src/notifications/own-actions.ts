/**
 * Assignment changes the signed-in user made themself (claim, take over, transfer, unassign): the
 * realtime echo of such a change is not worth a notification. Whoever calls those endpoints notes
 * the conversation here first; the note holds for `ownActionWindowMs`.
 */
export const ownActionWindowMs = 30_000;

const madeAt = new Map<string, number>();

export function noteOwnAction(conversationId: string, now = Date.now()): void {
  madeAt.set(conversationId, now);
  // Keep the map small: forget notes that have run out.
  if (madeAt.size > 200) {
    for (const [id, at] of madeAt) if (now - at > ownActionWindowMs) madeAt.delete(id);
  }
}

export function isOwnAction(conversationId: string, now = Date.now()): boolean {
  const at = madeAt.get(conversationId);
  return at !== undefined && now - at >= 0 && now - at <= ownActionWindowMs;
}
