import {
  type AnalyticsFilters,
  intents,
  type LocalDate,
  MAX_RANGE_DAYS,
  productCategories,
  type ResolvedRange,
} from "@yunxi/contracts";
import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { type Executor, queryRows } from "../../platform/db/client.ts";
import { isId } from "../../platform/db/ids.ts";
import { AppError, badRequest, forbidden } from "../../platform/http/errors.ts";
import { type Actor, atLeast, canSeeStore, getOrg, listUsers, membershipsOf } from "../identity/index.ts";
import { listOrgStores } from "../stores/index.ts";
import type { StoreInfo } from "./sources.ts";
import { NO_AGENT } from "./tables.ts";
import { addDays, startOfLocalDay } from "./time.ts";

/**
 * Who may see which figures, and the filters of a request checked against the org:
 * - agents see their own figures only (every figure is filtered to them);
 * - supervisors see their groups: the figures of the agents in the groups they belong to
 *   (agent_group_members, themselves included) and the figures that belong to nobody (the
 *   bot's replies, unassigned conversations, orders) in the stores those members serve.
 *   Every figure — totals, per store and platform, per agent, drill-down, dashboard,
 *   exports — is summed over those same rows, so the per-agent rows and the bot row add up
 *   to the totals. A group or agent outside their groups, or a store their members do not
 *   serve, is refused (403). A supervisor in no group sees their own figures only, like an
 *   agent (the UI says so);
 * - admins and owners see everything, filter by any group, and change the settings.
 * A filter naming another org's (or no) store, agent or group is a 404, a store the
 * user does not serve a 403, an unknown intent or category a 400.
 */
export interface Scope {
  orgId: string;
  timeZone: string;
  /** Every store of the org (names and platforms for labels). */
  allStores: Map<string, StoreInfo>;
  /** The stores in scope; null = all of the org. */
  storeIds: string[] | null;
  /** The agents in scope (NO_AGENT: the bot's and unassigned figures); null = everyone and nobody. */
  agentIds: string[] | null;
  /** Whose figures the caller may see at all: everyone, their groups', or their own. */
  oversight: Oversight["kind"];
  intent: string | null;
  category: string | null;
  /** Names of the org's users, for rows and labels. */
  userNames: Map<string, string>;
  /**
   * Which rollups answer: the narrowest that carries the filters and grouping (the default),
   * or always the full ones and the conversation rows (the tests compare the two).
   */
  rollups?: "narrowest" | "full";
}

export const canSeeEveryone = (actor: Actor): boolean => atLeast(actor, "supervisor");
export const canSeeEveryGroup = (actor: Actor): boolean => atLeast(actor, "admin");
export const canChangeAnalyticsSettings = (actor: Actor): boolean => atLeast(actor, "admin");

export function assertSupervisor(actor: Actor): void {
  if (!canSeeEveryone(actor)) throw forbidden("Only supervisors and admins can see this");
}

const unknown = (code: "unknown_store" | "unknown_agent" | "unknown_group", what: string) =>
  new AppError(404, code, `${what} not found`);

/** Whose figures a user may see: see the comment at the top. */
export type Oversight =
  | { kind: "all" }
  | { kind: "own" }
  | { kind: "groups"; groupIds: Set<string>; agentIds: string[]; storeIds: string[] };

export async function oversightOf(db: Executor, actor: Actor): Promise<Oversight> {
  if (canSeeEveryGroup(actor)) return { kind: "all" };
  if (!canSeeEveryone(actor)) return { kind: "own" };
  const rows = await queryRows<{ group_id: string; user_id: string }>(
    db,
    sql`SELECT m.group_id, m.user_id FROM agent_group_members m
        WHERE m.org_id = ${actor.orgId}
          AND m.group_id IN (SELECT group_id FROM agent_group_members WHERE org_id = ${actor.orgId} AND user_id = ${actor.userId})`,
  );
  if (rows.length === 0) return { kind: "own" };
  const agentIds = [...new Set(rows.map((r) => r.user_id))];
  const served = await membershipsOf(db, actor.orgId, agentIds);
  return {
    kind: "groups",
    groupIds: new Set(rows.map((r) => r.group_id)),
    agentIds,
    storeIds: [...new Set([...served.values()].flat())],
  };
}

export async function resolveScope(db: Executor, actor: Actor, filters: AnalyticsFilters): Promise<Scope> {
  const org = await getOrg(db, actor.orgId);
  const stores = await listOrgStores(db, actor.orgId);
  const allStores = new Map(stores.map((s) => [s.id, { id: s.id, platform: s.platform, name: s.name }]));
  const users = await listUsers(db, actor.orgId);
  const userNames = new Map(users.map((u) => [u.id, u.name]));

  const oversight = await oversightOf(db, actor);
  const serves = (storeId: string) =>
    canSeeStore(actor, storeId) && (oversight.kind !== "groups" || oversight.storeIds.includes(storeId));
  let storeIds: string[] | null =
    actor.storeIds === null && oversight.kind !== "groups" ? null : stores.filter((s) => serves(s.id)).map((s) => s.id);
  if (filters.storeId !== undefined) {
    if (!isId(filters.storeId) || !allStores.has(filters.storeId)) throw unknown("unknown_store", "Store");
    if (!serves(filters.storeId)) throw forbidden("You do not serve this store");
    storeIds = [filters.storeId];
  }
  if (filters.platform !== undefined) {
    const platform = filters.platform;
    storeIds = (storeIds ?? stores.map((s) => s.id)).filter((id) => allStores.get(id)?.platform === platform);
  }

  let agentIds: string[] | null = null;
  if (oversight.kind === "own") {
    if (filters.agentId !== undefined && filters.agentId !== actor.userId) {
      throw forbidden("You see your own figures only");
    }
    if (filters.groupId !== undefined) throw forbidden("You see your own figures only");
    agentIds = [actor.userId];
  }
  if (oversight.kind === "groups") agentIds = [...oversight.agentIds, NO_AGENT];
  if (filters.agentId !== undefined && oversight.kind !== "own") {
    if (!isId(filters.agentId) || !userNames.has(filters.agentId)) throw unknown("unknown_agent", "Agent");
    if (oversight.kind === "groups" && !oversight.agentIds.includes(filters.agentId)) {
      throw forbidden("This agent is not in your groups");
    }
    agentIds = [filters.agentId];
  }
  if (filters.groupId !== undefined) {
    if (!isId(filters.groupId)) throw unknown("unknown_group", "Group");
    const group = await queryRows<{ id: string }>(
      db,
      sql`SELECT id FROM agent_groups WHERE org_id = ${actor.orgId} AND id = ${filters.groupId}`,
    );
    if (group.length === 0) throw unknown("unknown_group", "Group");
    if (oversight.kind === "groups" && !oversight.groupIds.has(filters.groupId)) {
      throw forbidden("You are not in this group");
    }
    const members = await queryRows<{ user_id: string }>(
      db,
      sql`SELECT user_id FROM agent_group_members WHERE org_id = ${actor.orgId} AND group_id = ${filters.groupId}`,
    );
    const memberIds = members.map((m) => m.user_id);
    agentIds = agentIds === null ? memberIds : agentIds.filter((id) => memberIds.includes(id));
  }

  return {
    orgId: actor.orgId,
    timeZone: org.timezone,
    allStores,
    storeIds,
    agentIds,
    oversight: oversight.kind,
    intent: dimension(filters.intent, intents, "intent"),
    category: dimension(filters.category, productCategories, "category"),
    userNames,
  };
}

/** `-` means "none" (not classified); anything else must be a known label. */
function dimension(value: string | undefined, known: readonly string[], name: string): string | null {
  if (value === undefined) return null;
  if (value === "-") return "";
  if (!known.includes(value)) throw badRequest(`Unknown ${name}: ${value}`);
  return value;
}

// ── Ranges ───────────────────────────────────────────────────────────────

export interface Range extends ResolvedRange {
  startMs: number;
  endMs: number;
}

type Day = z.infer<typeof LocalDate>;

export function resolveRange(from: Day, to: Day, timeZone: string): Range {
  if (from > to) throw badRequest("The range ends before it starts (from > to)");
  const startMs = startOfLocalDay(from, timeZone);
  const endMs = startOfLocalDay(addDays(to, 1), timeZone);
  if (endMs - startMs > (MAX_RANGE_DAYS + 1) * 86_400_000)
    throw badRequest(`A range covers at most ${MAX_RANGE_DAYS} days`);
  return { from, to, startMs, endMs, start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() };
}

const lastDayOfMonth = (day: string): string => addDays(`${addMonths(day.slice(0, 7), 1)}-01`, -1);
function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const total = y * 12 + (m - 1) + n;
  return `${String(Math.floor(total / 12)).padStart(4, "0")}-${String((total % 12) + 1).padStart(2, "0")}`;
}

/**
 * The period before: whole calendar months are compared with as many months before
 * them (November with October), anything else with as many days just before.
 */
export function previousRange(from: Day, to: Day, timeZone: string): Range {
  if (from.endsWith("-01") && to === lastDayOfMonth(to)) {
    const months =
      (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
    const start = `${addMonths(from.slice(0, 7), -months)}-01`;
    return resolveRange(start, addDays(from, -1), timeZone);
  }
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return resolveRange(addDays(from, -days), addDays(from, -1), timeZone);
}

/**
 * The scope's agents on a column that is null for nobody (a conversation's owner or
 * assignee): null counts as NO_AGENT, the bot's and unassigned figures.
 */
export function agentsOn(scope: Scope, column: SQL): SQL {
  if (scope.agentIds === null) return sql`true`;
  return sql`coalesce(${column}, ${NO_AGENT}::uuid) = ANY(${sql.param(scope.agentIds)}::uuid[])`;
}
