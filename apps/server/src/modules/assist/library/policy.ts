import { type Actor, atLeast, canSeeStore } from "../../identity/index.ts";

/**
 * Who may do what with the library. Shared canned replies, categories and
 * knowledge-base articles are managed by supervisors and above; every agent manages
 * their own personal replies; agents see only what applies to the stores they serve.
 */
export interface ScopedItem {
  ownerId: string | null;
  storeId: string | null;
}

export const canManageShared = (actor: Pick<Actor, "role">): boolean => atLeast(actor, "supervisor");

export const canManageCategories = canManageShared;

export const canManageKnowledge = canManageShared;

/** A personal reply: its owner only. A shared one: everyone serving its store (or all, without a store). */
export function canSeeReply(actor: Pick<Actor, "userId" | "storeIds">, reply: ScopedItem): boolean {
  if (reply.ownerId !== null) return reply.ownerId === actor.userId;
  return reply.storeId === null || canSeeStore(actor, reply.storeId);
}

export function canManageReply(actor: Pick<Actor, "userId" | "role" | "storeIds">, reply: ScopedItem): boolean {
  if (reply.ownerId !== null) return reply.ownerId === actor.userId;
  return canManageShared(actor) && (reply.storeId === null || canSeeStore(actor, reply.storeId));
}

export const canSeeArticle = (actor: Pick<Actor, "storeIds">, article: { storeId: string | null }): boolean =>
  article.storeId === null || canSeeStore(actor, article.storeId);
