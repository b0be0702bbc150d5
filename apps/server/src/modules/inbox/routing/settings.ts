import type {
  AgentGroup,
  BusinessHours,
  NotificationSettings,
  PriorityRule,
  SaveGroupRequest,
  SavePriorityRuleRequest,
  SlaPolicy,
  StoreRouting,
  UpdateStoreRoutingRequest,
} from "@yunxi/contracts";
import { and, eq, inArray, or } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { isUniqueViolation } from "../../../platform/db/errors.ts";
import { isId, newId } from "../../../platform/db/ids.ts";
import { AppError, conflict, forbidden, notFound } from "../../../platform/http/errors.ts";
import { recordAudit } from "../../audit/index.ts";
import { type Actor, atLeast, canSeeStore, listUsers } from "../../identity/index.ts";
import { listOrgStores } from "../../stores/index.ts";
import { agentGroupMembers, agentGroups, notificationSettings, priorityRules, storeRouting } from "../tables.ts";
import { alwaysOpen } from "./business-hours.ts";
import type { RuleInput } from "./priority.ts";
import { defaultSlaPolicy } from "./sla.ts";

/** Who may change routing, groups, rules and notification settings. */
export function assertSupervisor(actor: Actor): void {
  if (!atLeast(actor, "supervisor")) throw forbidden("Only supervisors and admins can change this");
}

// ── Store routing ────────────────────────────────────────────────────────

export function defaultStoreRouting(storeId: string): StoreRouting {
  return {
    storeId,
    autoAssign: true,
    strategy: "least_busy",
    groupId: null,
    overflowGroupId: null,
    overflowAfterSeconds: null,
    sla: defaultSlaPolicy,
    businessHours: alwaysOpen,
  };
}

type StoreRoutingRow = typeof storeRouting.$inferSelect;

function presentStoreRouting(row: StoreRoutingRow): StoreRouting {
  return {
    storeId: row.storeId,
    autoAssign: row.autoAssign,
    strategy: row.strategy as StoreRouting["strategy"],
    groupId: row.groupId,
    overflowGroupId: row.overflowGroupId,
    overflowAfterSeconds: row.overflowAfterSeconds,
    sla: row.sla as SlaPolicy,
    businessHours: row.businessHours as BusinessHours,
  };
}

/** The routing of the given stores of an org, defaults where none is configured. */
export async function storeRoutings(
  db: Executor,
  orgId: string,
  storeIds: string[],
): Promise<Map<string, StoreRouting>> {
  const map = new Map(storeIds.map((id) => [id, defaultStoreRouting(id)]));
  if (storeIds.length === 0) return map;
  const rows = await db
    .select()
    .from(storeRouting)
    .where(and(eq(storeRouting.orgId, orgId), inArray(storeRouting.storeId, storeIds)));
  for (const row of rows) map.set(row.storeId, presentStoreRouting(row));
  return map;
}

export async function listStoreRoutings(db: Executor, actor: Actor): Promise<StoreRouting[]> {
  const stores = (await listOrgStores(db, actor.orgId)).filter((s) => canSeeStore(actor, s.id));
  const map = await storeRoutings(
    db,
    actor.orgId,
    stores.map((s) => s.id),
  );
  return [...map.values()];
}

export async function updateStoreRouting(
  ctx: AppContext,
  actor: Actor,
  storeId: string,
  input: UpdateStoreRoutingRequest,
): Promise<StoreRouting> {
  assertSupervisor(actor);
  return ctx.db.transaction(async (tx) => {
    const stores = await listOrgStores(tx, actor.orgId);
    if (!isId(storeId) || !stores.some((s) => s.id === storeId) || !canSeeStore(actor, storeId)) {
      throw notFound("Store");
    }
    for (const groupId of [input.groupId, input.overflowGroupId]) {
      if (groupId) await getGroupRow(tx, actor.orgId, groupId, 422);
    }
    const current = (await storeRoutings(tx, actor.orgId, [storeId])).get(storeId)!;
    const next: StoreRouting = {
      ...current,
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    };
    const values = {
      orgId: actor.orgId,
      storeId,
      autoAssign: next.autoAssign,
      strategy: next.strategy,
      groupId: next.groupId,
      overflowGroupId: next.overflowGroupId,
      overflowAfterSeconds: next.overflowAfterSeconds,
      sla: next.sla,
      businessHours: next.businessHours,
      updatedAt: ctx.now(),
    };
    await tx.insert(storeRouting).values(values).onConflictDoUpdate({ target: storeRouting.storeId, set: values });
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "routing.updated",
      targetType: "store",
      targetId: storeId,
      details: { ...input },
    });
    return next;
  });
}

// ── Groups ───────────────────────────────────────────────────────────────

async function getGroupRow(db: Executor, orgId: string, id: string, status: 404 | 422 = 404) {
  const [row] = isId(id)
    ? await db
        .select()
        .from(agentGroups)
        .where(and(eq(agentGroups.orgId, orgId), eq(agentGroups.id, id)))
    : [];
  if (!row) {
    throw status === 404 ? notFound("Group") : new AppError(422, "unknown_group", "The group does not exist");
  }
  return row;
}

export async function listGroups(db: Executor, orgId: string): Promise<AgentGroup[]> {
  const [groups, members] = await Promise.all([
    db.select().from(agentGroups).where(eq(agentGroups.orgId, orgId)).orderBy(agentGroups.createdAt),
    db.select().from(agentGroupMembers).where(eq(agentGroupMembers.orgId, orgId)),
  ]);
  return groups.map((g) => ({
    id: g.id,
    name: g.name,
    memberIds: members.filter((m) => m.groupId === g.id).map((m) => m.userId),
    createdAt: g.createdAt.toISOString(),
  }));
}

/** Group ids per user, for routing. */
export async function groupsByUser(db: Executor, orgId: string): Promise<Map<string, Set<string>>> {
  const rows = await db.select().from(agentGroupMembers).where(eq(agentGroupMembers.orgId, orgId));
  const map = new Map<string, Set<string>>();
  for (const r of rows) {
    const set = map.get(r.userId) ?? new Set<string>();
    set.add(r.groupId);
    map.set(r.userId, set);
  }
  return map;
}

export async function saveGroup(
  ctx: AppContext,
  actor: Actor,
  id: string | null,
  input: SaveGroupRequest,
): Promise<AgentGroup> {
  assertSupervisor(actor);
  const groupId = await ctx.db.transaction(async (tx) => {
    const orgUsers = new Set((await listUsers(tx, actor.orgId)).map((u) => u.id));
    const unknown = input.memberIds.filter((m) => !orgUsers.has(m));
    if (unknown.length > 0) throw new AppError(422, "unknown_user", `Unknown users: ${unknown.join(", ")}`);
    const groupId = id ?? newId();
    try {
      if (id === null) {
        await tx
          .insert(agentGroups)
          .values({ id: groupId, orgId: actor.orgId, name: input.name, createdAt: ctx.now() });
      } else {
        await getGroupRow(tx, actor.orgId, id);
        await tx.update(agentGroups).set({ name: input.name }).where(eq(agentGroups.id, id));
      }
    } catch (err) {
      if (isUniqueViolation(err, "agent_groups_name")) throw conflict(`A group named ${input.name} exists`);
      throw err;
    }
    await tx.delete(agentGroupMembers).where(eq(agentGroupMembers.groupId, groupId));
    const members = [...new Set(input.memberIds)];
    if (members.length > 0) {
      await tx.insert(agentGroupMembers).values(members.map((userId) => ({ orgId: actor.orgId, groupId, userId })));
    }
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: id === null ? "group.created" : "group.updated",
      targetType: "group",
      targetId: groupId,
      details: { ...input },
    });
    return groupId;
  });
  return (await listGroups(ctx.db, actor.orgId)).find((g) => g.id === groupId)!;
}

export async function deleteGroup(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertSupervisor(actor);
  await ctx.db.transaction(async (tx) => {
    await getGroupRow(tx, actor.orgId, id);
    const [used] = await tx
      .select({ storeId: storeRouting.storeId })
      .from(storeRouting)
      .where(
        and(
          eq(storeRouting.orgId, actor.orgId),
          or(eq(storeRouting.groupId, id), eq(storeRouting.overflowGroupId, id)),
        ),
      )
      .limit(1);
    if (used) throw conflict("A store's routing targets this group; change it first");
    await tx.delete(agentGroupMembers).where(eq(agentGroupMembers.groupId, id));
    await tx.delete(agentGroups).where(eq(agentGroups.id, id));
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "group.deleted",
      targetType: "group",
      targetId: id,
    });
  });
}

// ── Priority rules ───────────────────────────────────────────────────────

type RuleRow = typeof priorityRules.$inferSelect;
const presentRule = (r: RuleRow): PriorityRule => ({
  id: r.id,
  storeId: r.storeId,
  kind: r.kind as PriorityRule["kind"],
  match: r.match,
  weight: r.weight,
  label: r.label,
});

export async function listPriorityRules(db: Executor, orgId: string): Promise<PriorityRule[]> {
  const rows = await db
    .select()
    .from(priorityRules)
    .where(eq(priorityRules.orgId, orgId))
    .orderBy(priorityRules.createdAt);
  return rows.map(presentRule);
}

/** The rules that apply to one store: the org's and the store's own. */
export async function rulesByStore(db: Executor, orgId: string): Promise<(storeId: string) => RuleInput[]> {
  const rules = await db.select().from(priorityRules).where(eq(priorityRules.orgId, orgId));
  return (storeId) => rules.filter((r) => r.storeId === null || r.storeId === storeId).map(presentRule);
}

export async function addPriorityRule(
  ctx: AppContext,
  actor: Actor,
  input: SavePriorityRuleRequest,
): Promise<PriorityRule> {
  assertSupervisor(actor);
  return ctx.db.transaction(async (tx) => {
    if (input.storeId !== null) {
      const stores = await listOrgStores(tx, actor.orgId);
      if (!stores.some((s) => s.id === input.storeId)) throw new AppError(422, "unknown_store", "Unknown store");
    }
    const [row] = await tx
      .insert(priorityRules)
      .values({ id: newId(), orgId: actor.orgId, ...input, createdAt: ctx.now() })
      .returning();
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "priority_rule.created",
      targetType: "priority_rule",
      targetId: row!.id,
      details: { ...input },
    });
    return presentRule(row!);
  });
}

export async function deletePriorityRule(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  assertSupervisor(actor);
  await ctx.db.transaction(async (tx) => {
    const deleted = isId(id)
      ? await tx
          .delete(priorityRules)
          .where(and(eq(priorityRules.orgId, actor.orgId), eq(priorityRules.id, id)))
          .returning()
      : [];
    if (deleted.length === 0) throw notFound("Priority rule");
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "priority_rule.deleted",
      targetType: "priority_rule",
      targetId: id,
    });
  });
}

/** Seed an org's rules (the demo, a new org) unless it has some. */
export async function seedPriorityRules(db: Executor, orgId: string, rules: RuleInput[]): Promise<void> {
  const existing = await db.select({ id: priorityRules.id }).from(priorityRules).where(eq(priorityRules.orgId, orgId));
  if (existing.length > 0) return;
  await db
    .insert(priorityRules)
    .values(rules.map((r, i) => ({ id: newId(), orgId, storeId: null, ...r, createdAt: new Date(Date.now() + i) })));
}

// ── Notification settings ────────────────────────────────────────────────

export const defaultNotificationSettings: NotificationSettings = {
  rules: {
    assigned: ["agent", "supervisor", "admin", "owner"],
    new_message: ["agent", "supervisor", "admin", "owner"],
    sla_warning: ["agent"],
    sla_breach: ["agent", "supervisor"],
    mention: ["agent", "supervisor", "admin", "owner"],
    unassigned_waiting: ["supervisor"],
  },
};

export async function getNotificationSettings(db: Executor, orgId: string): Promise<NotificationSettings> {
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.orgId, orgId));
  return row ? (row.rules as NotificationSettings) : defaultNotificationSettings;
}

export async function saveNotificationSettings(
  ctx: AppContext,
  actor: Actor,
  input: NotificationSettings,
): Promise<NotificationSettings> {
  assertSupervisor(actor);
  await ctx.db.transaction(async (tx) => {
    const values = { orgId: actor.orgId, rules: input, updatedAt: ctx.now() };
    await tx
      .insert(notificationSettings)
      .values(values)
      .onConflictDoUpdate({ target: notificationSettings.orgId, set: values });
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "notification_settings.updated",
      targetType: "org",
      targetId: actor.orgId,
      details: { ...input },
    });
  });
  return input;
}

/**
 * An org's starting workspace set up in one go by an operator (the demo, an
 * import): groups, per-store routing and the suggested priority rules.
 */
export async function seedWorkspace(
  ctx: AppContext,
  orgId: string,
  input: {
    groups: { name: string; memberIds: string[] }[];
    routing: (Omit<UpdateStoreRoutingRequest, "groupId" | "overflowGroupId"> & {
      storeId: string;
      group?: string;
      overflowGroup?: string;
    })[];
    rules: RuleInput[];
  },
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const groupIds = new Map<string, string>();
    for (const g of input.groups) {
      const id = newId();
      groupIds.set(g.name, id);
      await tx.insert(agentGroups).values({ id, orgId, name: g.name });
      if (g.memberIds.length > 0) {
        await tx.insert(agentGroupMembers).values(g.memberIds.map((userId) => ({ orgId, groupId: id, userId })));
      }
    }
    for (const { storeId, group, overflowGroup, ...rest } of input.routing) {
      const r = { ...defaultStoreRouting(storeId), ...rest };
      await tx.insert(storeRouting).values({
        orgId,
        storeId,
        autoAssign: r.autoAssign,
        strategy: r.strategy,
        groupId: group ? groupIds.get(group)! : null,
        overflowGroupId: overflowGroup ? groupIds.get(overflowGroup)! : null,
        overflowAfterSeconds: r.overflowAfterSeconds,
        sla: r.sla,
        businessHours: r.businessHours,
      });
    }
    await seedPriorityRules(tx, orgId, input.rules);
  });
}
