import {
  type CannedReply,
  type CannedReplyListQuery,
  type CreateCannedReplyRequest,
  type PlatformId,
  type ReplyMatchKind,
  type ReplyStatus,
  type UpdateCannedReplyRequest,
  variablesIn,
} from "@yunxi/contracts";
import { and, desc, eq, type SQL } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import { type Executor, queryRows, sql } from "../../../platform/db/client.ts";
import { isId, newId } from "../../../platform/db/ids.ts";
import { badRequest, forbidden, notFound } from "../../../platform/http/errors.ts";
import { recordAudit } from "../../audit/index.ts";
import { type Actor, canSeeStore } from "../../identity/index.ts";
import { storeSendability } from "../../stores/index.ts";
import { assertCategory, categoryAndDescendants, categoryPaths } from "../library/categories.ts";
import { appendLibraryChanged, type ChangeScope } from "../library/events.ts";
import { bumpRevision, orgStores } from "../library/index-cache.ts";
import { canManageReply, canManageShared, canSeeReply } from "../library/policy.ts";
import { cannedReplies } from "../tables.ts";
import { type ReplyRow, replyIndexOf } from "./reply-index.ts";
import { normalizeKeywords, replyQuery } from "./search-vector.ts";

export type { ReplyRow };

export function replyStatus(row: Pick<ReplyRow, "validFrom" | "validUntil">, now: Date): ReplyStatus {
  if (row.validFrom && row.validFrom > now) return "scheduled";
  if (row.validUntil && row.validUntil <= now) return "expired";
  return "active";
}

export type ReplyPresenter = (row: ReplyRow) => CannedReply;

/** One presenter per request: the org's category paths and store labels are read once. */
export async function replyPresenter(
  ctx: AppContext,
  orgId: string,
  now: Date,
  paths?: Map<string, string>,
): Promise<ReplyPresenter> {
  const [categories, stores] = await Promise.all([
    paths ?? categoryPaths(ctx.db, orgId, "replies"),
    orgStores(ctx, orgId),
  ]);
  return (row) => ({
    id: row.id,
    title: row.title,
    keywords: row.keywords,
    text: row.body,
    categoryId: row.categoryId,
    categoryPath: row.categoryId ? (categories.get(row.categoryId) ?? "") : "",
    scope: row.storeId ? "store" : row.platform ? "platform" : "org",
    platform: (row.platform as PlatformId | null) ?? null,
    storeId: row.storeId,
    storeLabel: row.storeId ? (stores.get(row.storeId)?.label ?? null) : null,
    personal: row.ownerId !== null,
    ownerId: row.ownerId,
    validFrom: row.validFrom?.toISOString() ?? null,
    validUntil: row.validUntil?.toISOString() ?? null,
    status: replyStatus(row, now),
    variables: variablesIn(row.body),
    usageCount: row.usageCount,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  });
}

/** A reply's title when none is given: its first keyword, else the start of its text. */
export function deriveTitle(title: string | undefined, keywords: string[], text: string): string {
  const given = title?.trim();
  if (given) return given;
  if (keywords[0]) return keywords[0];
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 24 ? `${flat.slice(0, 24)}…` : flat;
}

/** Where a reply applies, checked: a store the actor serves (its platform follows), a platform, or the org. */
async function resolveScope(
  db: Executor,
  actor: Actor,
  storeId: string | null,
  platform: PlatformId | null,
): Promise<{ storeId: string | null; platform: PlatformId | null }> {
  if (storeId === null) return { storeId: null, platform };
  if (!isId(storeId) || !canSeeStore(actor, storeId)) throw badRequest("Unknown store");
  const store = await storeSendability(db, actor.orgId, storeId);
  if (!store) throw badRequest("Unknown store");
  if (platform !== null && platform !== store.platform) throw badRequest("The store is not on that platform");
  return { storeId, platform: store.platform };
}

function checkWindow(validFrom: Date | null, validUntil: Date | null): void {
  if (validFrom && validUntil && validUntil <= validFrom) throw badRequest("validUntil must be after validFrom");
}

const toDate = (iso: string | null | undefined): Date | null => (iso ? new Date(iso) : null);

async function replyRow(db: Executor, actor: Actor, id: string): Promise<ReplyRow> {
  if (!isId(id)) throw notFound("Canned reply");
  const [row] = await db
    .select()
    .from(cannedReplies)
    .where(and(eq(cannedReplies.orgId, actor.orgId), eq(cannedReplies.id, id)));
  if (!row || !canSeeReply(actor, row)) throw notFound("Canned reply");
  return row;
}

export async function getReply(ctx: AppContext, actor: Actor, id: string): Promise<CannedReply> {
  const row = await replyRow(ctx.db, actor, id);
  return (await replyPresenter(ctx, actor.orgId, ctx.now()))(row);
}

const scopeOf = (row: Pick<ReplyRow, "storeId" | "platform">): ChangeScope => ({
  storeId: row.storeId,
  platform: row.platform,
});

export async function createReply(
  ctx: AppContext,
  actor: Actor,
  input: CreateCannedReplyRequest,
): Promise<CannedReply> {
  const personal = input.personal ?? false;
  if (!personal && !canManageShared(actor)) throw forbidden("Only supervisors can manage shared canned replies");
  const keywords = normalizeKeywords(input.keywords ?? []);
  const validFrom = toDate(input.validFrom);
  const validUntil = toDate(input.validUntil);
  checkWindow(validFrom, validUntil);
  const { row, events } = await ctx.db.transaction(async (tx) => {
    const scope = await resolveScope(tx, actor, input.storeId ?? null, input.platform ?? null);
    await assertCategory(tx, actor.orgId, "replies", input.categoryId);
    const title = deriveTitle(input.title, keywords, input.text);
    const revision = await bumpRevision(tx, actor.orgId, "replies");
    const [inserted] = await tx
      .insert(cannedReplies)
      .values({
        id: newId(),
        orgId: actor.orgId,
        ownerId: personal ? actor.userId : null,
        platform: scope.platform,
        storeId: scope.storeId,
        categoryId: input.categoryId ?? null,
        title,
        keywords,
        body: input.text,
        validFrom,
        validUntil,
        revision,
        createdBy: actor.userId,
        updatedBy: actor.userId,
      })
      .returning();
    if (!personal) await auditReply(tx, actor, "library.reply_created", inserted!);
    return {
      row: inserted!,
      events: await appendLibraryChanged(tx, actor.orgId, "replies", [scopeOf(inserted!)]),
    };
  });
  ctx.bus.publish(events);
  return (await replyPresenter(ctx, actor.orgId, ctx.now()))(row);
}

export async function updateReply(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateCannedReplyRequest,
): Promise<CannedReply> {
  const { row, events } = await ctx.db.transaction(async (tx) => {
    const current = await replyRow(tx, actor, id);
    if (!canManageReply(actor, current)) throw forbidden("Only supervisors can manage shared canned replies");
    const storeId = input.storeId === undefined ? current.storeId : input.storeId;
    // A new store brings its platform; leaving the store (storeId null) keeps the platform unless given.
    const platform =
      input.platform !== undefined
        ? input.platform
        : input.storeId !== undefined && input.storeId !== null
          ? null
          : (current.platform as PlatformId | null);
    const scope = await resolveScope(tx, actor, storeId, platform);
    if (input.categoryId !== undefined) await assertCategory(tx, actor.orgId, "replies", input.categoryId);
    const keywords = input.keywords !== undefined ? normalizeKeywords(input.keywords) : current.keywords;
    const body = input.text ?? current.body;
    const title =
      input.title !== undefined || input.keywords !== undefined || input.text !== undefined
        ? deriveTitle(input.title ?? current.title, keywords, body)
        : current.title;
    const validFrom = input.validFrom !== undefined ? toDate(input.validFrom) : current.validFrom;
    const validUntil = input.validUntil !== undefined ? toDate(input.validUntil) : current.validUntil;
    checkWindow(validFrom, validUntil);
    const revision = await bumpRevision(tx, actor.orgId, "replies");
    const [updated] = await tx
      .update(cannedReplies)
      .set({
        platform: scope.platform,
        storeId: scope.storeId,
        categoryId: input.categoryId !== undefined ? input.categoryId : current.categoryId,
        title,
        keywords,
        body,
        validFrom,
        validUntil,
        revision,
        updatedBy: actor.userId,
        updatedAt: ctx.now(),
      })
      .where(and(eq(cannedReplies.orgId, actor.orgId), eq(cannedReplies.id, id)))
      .returning();
    if (current.ownerId === null) await auditReply(tx, actor, "library.reply_updated", updated!, Object.keys(input));
    return {
      row: updated!,
      events: await appendLibraryChanged(tx, actor.orgId, "replies", [scopeOf(current), scopeOf(updated!)]),
    };
  });
  ctx.bus.publish(events);
  return (await replyPresenter(ctx, actor.orgId, ctx.now()))(row);
}

export async function deleteReply(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  const events = await ctx.db.transaction(async (tx) => {
    const current = await replyRow(tx, actor, id);
    if (!canManageReply(actor, current)) throw forbidden("Only supervisors can manage shared canned replies");
    await tx.delete(cannedReplies).where(and(eq(cannedReplies.orgId, actor.orgId), eq(cannedReplies.id, id)));
    await bumpRevision(tx, actor.orgId, "replies");
    if (current.ownerId === null) await auditReply(tx, actor, "library.reply_deleted", current);
    return appendLibraryChanged(tx, actor.orgId, "replies", [scopeOf(current)]);
  });
  ctx.bus.publish(events);
}

function auditReply(tx: Executor, actor: Actor, action: string, row: ReplyRow, fields?: string[]): Promise<void> {
  return recordAudit(tx, {
    orgId: actor.orgId,
    actorId: actor.userId,
    action,
    targetType: "canned_reply",
    targetId: row.id,
    details: {
      title: row.title,
      storeId: row.storeId,
      platform: row.platform,
      ...(fields && { fields }),
    },
  });
}

/** Who sees which rows: their own personal replies, and shared ones of the org, the platform or a store they serve. */
function visibleTo(actor: Actor): SQL {
  const mine = sql`r.owner_id = ${actor.userId}::uuid`;
  if (actor.storeIds === null) return sql`(r.owner_id IS NULL OR ${mine})`;
  if (actor.storeIds.length === 0) return sql`((r.owner_id IS NULL AND r.store_id IS NULL) OR ${mine})`;
  return sql`((r.owner_id IS NULL AND (r.store_id IS NULL OR r.store_id = ANY(${sql.param(actor.storeIds)}::uuid[]))) OR ${mine})`;
}

const validAt = (now: Date) => {
  const at = now.toISOString();
  return sql`(r.valid_from IS NULL OR r.valid_from <= ${at}::timestamptz) AND (r.valid_until IS NULL OR r.valid_until > ${at}::timestamptz)`;
};

/** The admin list: every reply the actor may see, scheduled and expired ones too, filtered; newest first. */
export async function listReplies(
  ctx: AppContext,
  actor: Actor,
  query: CannedReplyListQuery,
): Promise<{ items: CannedReply[]; total: number }> {
  const now = ctx.now();
  const at = now.toISOString();
  const conditions: SQL[] = [sql`r.org_id = ${actor.orgId}::uuid`, visibleTo(actor)];
  if (query.owner === "mine") conditions.push(sql`r.owner_id = ${actor.userId}::uuid`);
  if (query.owner === "shared") conditions.push(sql`r.owner_id IS NULL`);
  if (query.scope === "store") conditions.push(sql`r.store_id IS NOT NULL`);
  if (query.scope === "platform") conditions.push(sql`r.store_id IS NULL AND r.platform IS NOT NULL`);
  if (query.scope === "org") conditions.push(sql`r.store_id IS NULL AND r.platform IS NULL`);
  if (query.platform) conditions.push(sql`r.platform = ${query.platform}`);
  if (query.storeId) {
    if (!isId(query.storeId)) return { items: [], total: 0 };
    conditions.push(sql`r.store_id = ${query.storeId}::uuid`);
  }
  if (query.status === "active") conditions.push(validAt(now));
  if (query.status === "scheduled") conditions.push(sql`r.valid_from > ${at}::timestamptz`);
  if (query.status === "expired") conditions.push(sql`r.valid_until <= ${at}::timestamptz`);
  if (query.categoryId) {
    const ids = await categoryAndDescendants(ctx.db, actor.orgId, "replies", query.categoryId);
    if (ids.length === 0) return { items: [], total: 0 };
    conditions.push(sql`r.category_id = ANY(${sql.param(ids)}::uuid[])`);
  }
  const parsed = query.q ? replyQuery(query.q) : null;
  if (parsed) {
    const ids = (await replyIndexOf(ctx, actor.orgId)).matchingIds(parsed);
    if (ids.length === 0) return { items: [], total: 0 };
    conditions.push(sql`r.id = ANY(${sql.param(ids)}::uuid[])`);
  }
  const where = sql.join(conditions, sql` AND `);
  const [rows, counted] = await Promise.all([
    ctx.db
      .select()
      .from(cannedReplies)
      .where(sql`${cannedReplies.id} IN (SELECT r.id FROM canned_replies r WHERE ${where})`)
      .orderBy(desc(cannedReplies.updatedAt), cannedReplies.id)
      .limit(query.limit)
      .offset(query.offset),
    queryRows<{ n: string | number }>(ctx.db, sql`SELECT count(*) AS n FROM canned_replies r WHERE ${where}`),
  ]);
  const present = await replyPresenter(ctx, actor.orgId, now);
  return { items: rows.map(present), total: Number(counted[0]?.n ?? 0) };
}

export interface ReplySearch {
  q: string;
  storeId: string;
  match: "all" | "keyword";
  limit: number;
}

export interface ReplySearchHit {
  reply: CannedReply;
  match: ReplyMatchKind;
}

/**
 * The composer's search, on the org's in-memory index (reply-index.ts): replies valid
 * now for this store — the store's own, then its platform's, then the org's, the
 * agent's personal ones among them — and within each, keyword equal, keyword prefix,
 * then text; then the most used. An empty query lists the most used.
 */
export async function searchReplies(ctx: AppContext, actor: Actor, search: ReplySearch): Promise<ReplySearchHit[]> {
  if (!isId(search.storeId) || !canSeeStore(actor, search.storeId)) throw notFound("Store");
  const [index, stores] = await Promise.all([
    replyIndexOf(ctx, actor.orgId),
    orgStores(ctx, actor.orgId, search.storeId),
  ]);
  const store = stores.get(search.storeId);
  if (!store) throw notFound("Store");
  const now = ctx.now();
  const hits = index.search(
    replyQuery(search.q),
    { storeId: search.storeId, platform: store.platform, userId: actor.userId, now, limit: search.limit },
    search.match === "keyword",
  );
  if (hits.length === 0) return [];
  const present = await replyPresenter(ctx, actor.orgId, now, index.categoryPaths);
  return hits.map((hit) => ({ reply: present(hit.row), match: hit.match }));
}

/** Counts one use (inserted into a reply, or sent); answers the new count. */
export async function recordUsage(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<{ id: string; usageCount: number }> {
  const row = await replyRow(ctx.db, actor, id);
  const usedAt = ctx.now();
  const [updated] = await ctx.db
    .update(cannedReplies)
    .set({ usageCount: sql`${cannedReplies.usageCount} + 1`, lastUsedAt: usedAt })
    .where(and(eq(cannedReplies.orgId, actor.orgId), eq(cannedReplies.id, row.id)))
    .returning({ id: cannedReplies.id, usageCount: cannedReplies.usageCount });
  (await replyIndexOf(ctx, actor.orgId)).setUsage(row.id, updated!.usageCount, usedAt);
  return updated!;
}
