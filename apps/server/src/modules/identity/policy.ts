import type { Role } from "@yunxi/contracts";

/** Who is acting: resolved from the session on every request, so revocation takes effect at once. */
export interface Actor {
  orgId: string;
  userId: string;
  role: Role;
  name: string;
  sessionId: string;
  csrfToken: string;
  /** The stores this user serves; null means every store of the org (supervisor and above). */
  storeIds: string[] | null;
}

const rank: Record<Role, number> = { agent: 0, supervisor: 1, admin: 2, owner: 3 };

export const atLeast = (actor: Pick<Actor, "role">, role: Role): boolean => rank[actor.role] >= rank[role];

/** Supervisors and above see every store of the org; agents only the stores they serve. */
export const seesAllStores = (role: Role): boolean => rank[role] >= rank.supervisor;

export const canSeeStore = (actor: Pick<Actor, "storeIds">, storeId: string): boolean =>
  actor.storeIds === null || actor.storeIds.includes(storeId);

export const canManageUsers = (actor: Pick<Actor, "role">): boolean => atLeast(actor, "admin");

/** Nobody grants a role above their own; only an owner makes owners. */
export const canGrantRole = (actor: Pick<Actor, "role">, role: Role): boolean =>
  canManageUsers(actor) && rank[role] <= rank[actor.role];

export const canManageStores = (actor: Pick<Actor, "role">): boolean => atLeast(actor, "admin");

export const canSeeUsers = (actor: Pick<Actor, "role">): boolean => atLeast(actor, "supervisor");
