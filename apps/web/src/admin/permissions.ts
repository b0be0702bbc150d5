import type { Role } from "@yunxi/contracts";
import { roles } from "@yunxi/contracts";

/**
 * Mirrors the server's policy (identity/policy.ts) so the UI offers only what will be allowed;
 * the server still decides.
 */
const rank: Record<Role, number> = { agent: 0, supervisor: 1, admin: 2, owner: 3 };

/** Stores and members are managed by admins and owners. */
export function canOpenAdmin(role: Role): boolean {
  return rank[role] >= rank.admin;
}

/** Nobody grants a role above their own. */
export function grantableRoles(role: Role): Role[] {
  return roles.filter((candidate) => rank[candidate] <= rank[role]);
}

/** Supervisors and above see every store; only agents are limited to the stores they serve. */
export function servesAssignedStoresOnly(role: Role): boolean {
  return role === "agent";
}
