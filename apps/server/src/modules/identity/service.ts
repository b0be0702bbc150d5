import type { CreateUserRequest, Role, UpdateUserRequest } from "@yunxi/contracts";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import { randomToken, sha256Hex } from "../../platform/crypto.ts";
import type { Executor } from "../../platform/db/client.ts";
import { newId } from "../../platform/db/ids.ts";
import { AppError, conflict, forbidden, notFound } from "../../platform/http/errors.ts";
import { recordAudit } from "../audit/index.ts";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./passwords.ts";
import { type Actor, canGrantRole, canManageUsers, seesAllStores } from "./policy.ts";
import { orgs, sessions, userStores, users } from "./tables.ts";

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type OrgRow = typeof orgs.$inferSelect;

export async function createOrg(ctx: AppContext, input: { name: string; timezone?: string }): Promise<OrgRow> {
  const id = newId();
  const [org] = await ctx.db
    .insert(orgs)
    .values({ id, orgId: id, name: input.name, timezone: input.timezone ?? "Asia/Shanghai" })
    .returning();
  return org!;
}

export async function getOrg(db: Executor, orgId: string): Promise<OrgRow> {
  const [org] = await db.select().from(orgs).where(eq(orgs.id, orgId));
  if (!org) throw notFound("Organisation");
  return org;
}

/** Creates a user with their store memberships. `actor` null = an operator at the command line. */
export async function createUser(
  ctx: AppContext,
  orgId: string,
  input: CreateUserRequest,
  actor: Actor | null,
  assertStoresInOrg: (tx: Executor, orgId: string, storeIds: string[]) => Promise<void>,
): Promise<UserRow> {
  if (actor && !canGrantRole(actor, input.role)) throw forbidden(`You cannot create a user with role ${input.role}`);
  const passwordHash = await hashPassword(input.password);
  return ctx.db.transaction(async (tx) => {
    const email = input.email.toLowerCase();
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (existing) throw conflict("A user with this e-mail already exists");
    await assertStoresInOrg(tx, orgId, input.storeIds);
    const [user] = await tx
      .insert(users)
      .values({ id: newId(), orgId, email, name: input.name, role: input.role, passwordHash })
      .returning();
    await setMemberships(tx, orgId, user!.id, input.storeIds);
    await recordAudit(tx, {
      orgId,
      actorId: actor?.userId ?? null,
      action: "user.created",
      targetType: "user",
      targetId: user!.id,
      details: { email, role: input.role, storeIds: input.storeIds },
    });
    return user!;
  });
}

async function setMemberships(tx: Executor, orgId: string, userId: string, storeIds: string[]): Promise<void> {
  await tx.delete(userStores).where(and(eq(userStores.orgId, orgId), eq(userStores.userId, userId)));
  const unique = [...new Set(storeIds)];
  if (unique.length > 0) await tx.insert(userStores).values(unique.map((storeId) => ({ orgId, userId, storeId })));
}

export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  userId: string,
  input: UpdateUserRequest,
  assertStoresInOrg: (tx: Executor, orgId: string, storeIds: string[]) => Promise<void>,
): Promise<UserRow> {
  if (!canManageUsers(actor)) throw forbidden();
  if (input.role && !canGrantRole(actor, input.role)) throw forbidden(`You cannot grant role ${input.role}`);
  const updated = await ctx.db.transaction(async (tx) => {
    const target = await findUser(tx, actor.orgId, userId);
    if (!canGrantRole(actor, target.role as Role)) throw forbidden("You cannot change a user above your role");
    const [user] = await tx
      .update(users)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.role !== undefined && { role: input.role }),
        ...(input.disabled !== undefined && { disabled: input.disabled }),
        updatedAt: new Date(),
      })
      .where(and(eq(users.orgId, actor.orgId), eq(users.id, userId)))
      .returning();
    if (input.storeIds) {
      await assertStoresInOrg(tx, actor.orgId, input.storeIds);
      await setMemberships(tx, actor.orgId, userId, input.storeIds);
    }
    // A disabled user is signed out everywhere at once.
    if (input.disabled) await revokeAllSessions(tx, actor.orgId, userId);
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "user.updated",
      targetType: "user",
      targetId: userId,
      details: { ...input },
    });
    return user!;
  });
  // Their open screens must not keep seeing stores they lost: sockets reconnect with fresh rooms.
  ctx.bus.changed("user", userId);
  return updated;
}

export async function findUser(db: Executor, orgId: string, userId: string): Promise<UserRow> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)));
  if (!user) throw notFound("User");
  return user;
}

export async function listUsers(db: Executor, orgId: string): Promise<UserRow[]> {
  return db.select().from(users).where(eq(users.orgId, orgId)).orderBy(users.createdAt);
}

export async function membershipsOf(db: Executor, orgId: string, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return map;
  const rows = await db.select().from(userStores).where(eq(userStores.orgId, orgId));
  for (const r of rows) map.get(r.userId)?.push(r.storeId);
  return map;
}

export async function resetPassword(ctx: AppContext, email: string, password: string): Promise<UserRow> {
  const passwordHash = await hashPassword(password);
  const reset = await ctx.db.transaction(async (tx) => {
    const [user] = await tx
      .update(users)
      .set({ passwordHash, failedLogins: 0, lockedUntil: null, updatedAt: new Date() })
      .where(eq(users.email, email.toLowerCase()))
      .returning();
    if (!user) throw notFound("User");
    await revokeAllSessions(tx, user.orgId, user.id);
    await recordAudit(tx, {
      orgId: user.orgId,
      actorId: null,
      action: "user.password_reset",
      targetType: "user",
      targetId: user.id,
    });
    return user;
  });
  ctx.bus.changed("user", reset.id);
  return reset;
}

export interface LoginInput {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Verify the password and open a session. Repeated failures lock the account for
 * a while; the answer for an unknown e-mail costs the same as for a wrong password.
 */
export async function login(ctx: AppContext, input: LoginInput): Promise<{ token: string; session: SessionRow }> {
  const now = ctx.now();
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email.toLowerCase()));
  if (!user || user.disabled) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw new AppError(401, "unauthenticated", "Wrong e-mail or password");
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    throw new AppError(423, "account_locked", "Too many failed attempts; try again later");
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await recordFailedLogin(ctx, user, input.ip);
    throw new AppError(401, "unauthenticated", "Wrong e-mail or password");
  }
  const token = randomToken();
  const session = await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
    const [row] = await tx
      .insert(sessions)
      .values({
        id: newId(),
        orgId: user.orgId,
        userId: user.id,
        tokenHash: sha256Hex(token),
        csrfToken: randomToken(24),
        userAgent: input.userAgent?.slice(0, 500) ?? null,
        ip: input.ip,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + ctx.config.sessionTtlHours * 3600_000),
      })
      .returning();
    await recordAudit(tx, {
      orgId: user.orgId,
      actorId: user.id,
      action: "session.login",
      targetType: "session",
      targetId: row!.id,
      ip: input.ip,
    });
    return row!;
  });
  return { token, session };
}

async function recordFailedLogin(ctx: AppContext, user: UserRow, ip: string | null): Promise<void> {
  const failures = user.failedLogins + 1;
  const lock = failures >= MAX_FAILED_LOGINS;
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        failedLogins: lock ? 0 : failures,
        lockedUntil: lock ? new Date(ctx.now().getTime() + LOCKOUT_MINUTES * 60_000) : user.lockedUntil,
      })
      .where(eq(users.id, user.id));
    if (lock) {
      await recordAudit(tx, {
        orgId: user.orgId,
        actorId: user.id,
        action: "user.locked_out",
        targetType: "user",
        targetId: user.id,
        ip,
      });
    }
  });
}

/** The actor behind a session cookie, or null if the session is unknown, expired, revoked or its user disabled. */
export async function resolveSession(ctx: AppContext, token: string): Promise<Actor | null> {
  const now = ctx.now();
  const [row] = await ctx.db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sha256Hex(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  if (!row || row.user.disabled) return null;
  const role = row.user.role as Role;
  let storeIds: string[] | null = null;
  if (!seesAllStores(role)) {
    const rows = await ctx.db
      .select({ storeId: userStores.storeId })
      .from(userStores)
      .where(and(eq(userStores.orgId, row.user.orgId), eq(userStores.userId, row.user.id)));
    storeIds = rows.map((r) => r.storeId);
  }
  // Touch at most once a minute: the session list shows activity without a write per request.
  if (now.getTime() - row.session.lastSeenAt.getTime() > 60_000) {
    await ctx.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.session.id));
  }
  return {
    orgId: row.user.orgId,
    userId: row.user.id,
    role,
    name: row.user.name,
    sessionId: row.session.id,
    csrfToken: row.session.csrfToken,
    storeIds,
  };
}

/**
 * A user as they stand now (role, stores), for work done on their behalf without a
 * session (a scheduled report); null when the user is gone or disabled.
 */
export async function actorOfUser(db: Executor, orgId: string, userId: string): Promise<Actor | null> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)));
  if (!user || user.disabled) return null;
  const role = user.role as Role;
  let storeIds: string[] | null = null;
  if (!seesAllStores(role)) {
    const rows = await db
      .select({ storeId: userStores.storeId })
      .from(userStores)
      .where(and(eq(userStores.orgId, orgId), eq(userStores.userId, userId)));
    storeIds = rows.map((r) => r.storeId);
  }
  return { orgId, userId, role, name: user.name, sessionId: "", csrfToken: "", storeIds };
}

export async function listSessions(ctx: AppContext, actor: Actor): Promise<SessionRow[]> {
  return ctx.db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.orgId, actor.orgId),
        eq(sessions.userId, actor.userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, ctx.now()),
      ),
    )
    .orderBy(sql`${sessions.lastSeenAt} DESC`);
}

export async function revokeSession(ctx: AppContext, actor: Actor, sessionId: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(sessions)
      .set({ revokedAt: ctx.now() })
      .where(
        and(
          eq(sessions.orgId, actor.orgId),
          eq(sessions.userId, actor.userId),
          eq(sessions.id, sessionId),
          isNull(sessions.revokedAt),
        ),
      )
      .returning({ id: sessions.id });
    if (!row) throw notFound("Session");
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: sessionId === actor.sessionId ? "session.logout" : "session.revoked",
      targetType: "session",
      targetId: sessionId,
    });
  });
  ctx.bus.changed("session", sessionId);
}

async function revokeAllSessions(tx: Executor, orgId: string, userId: string): Promise<void> {
  await tx
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.orgId, orgId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
