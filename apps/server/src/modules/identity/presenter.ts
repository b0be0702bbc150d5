import type { Me, Org, Role, Session, User } from "@yunxi/contracts";
import type { Actor } from "./policy.ts";
import type { OrgRow, SessionRow, UserRow } from "./service.ts";

/** The only way a user leaves the server: no password hash, no lock-out counters. */
export function presentUser(user: UserRow, storeIds: string[]): User {
  return {
    id: user.id,
    orgId: user.orgId,
    email: user.email,
    name: user.name,
    role: user.role as Role,
    disabled: user.disabled,
    storeIds,
    createdAt: user.createdAt.toISOString(),
  };
}

export const presentOrg = (org: OrgRow): Org => ({ id: org.id, name: org.name, timezone: org.timezone });

export function presentMe(user: UserRow, org: OrgRow, actor: Pick<Actor, "csrfToken" | "storeIds">): Me {
  return { user: presentUser(user, actor.storeIds ?? []), org: presentOrg(org), csrfToken: actor.csrfToken };
}

export function presentSession(row: SessionRow, currentId: string): Session {
  return {
    id: row.id,
    current: row.id === currentId,
    userAgent: row.userAgent,
    ip: row.ip,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}
