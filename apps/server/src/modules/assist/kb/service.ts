import type {
  CreateKbArticleRequest,
  KbArticle,
  KbArticleListQuery,
  KbArticleSummary,
  KbAttachment,
  KbSearchHit,
  KbVersion,
  KbVersionDetail,
  UpdateKbArticleRequest,
} from "@yunxi/contracts";
import { and, asc, desc, eq, type SQL } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import { type Executor, queryRows, rowFromRaw, sql } from "../../../platform/db/client.ts";
import { isId, newId } from "../../../platform/db/ids.ts";
import { AppError, badRequest, conflict, forbidden, notFound } from "../../../platform/http/errors.ts";
import { recordAudit } from "../../audit/index.ts";
import { type Actor, canSeeStore } from "../../identity/index.ts";
import { listOrgStores } from "../../stores/index.ts";
import { assertCategory, categoryAndDescendants, categoryPaths } from "../library/categories.ts";
import { appendLibraryChanged } from "../library/events.ts";
import { bumpRevision, orgStores } from "../library/index-cache.ts";
import { canManageKnowledge, canSeeArticle } from "../library/policy.ts";
import { normalize, snippetOf } from "../library/text.ts";
import { kbArticles, kbArticleVersions, kbAttachments } from "../tables.ts";
import { acceptedAttachmentTypes, cleanFileName, removeFile, sniffAttachment, storeFile } from "./files.ts";
import { type IndexedArticle, knowledgeIndexOf } from "./knowledge-index.ts";
import { ATTACHMENT_URL_PREFIX, markdownToPlainText, sanitizeMarkdown } from "./markdown.ts";
import { knowledgeQuery } from "./search-vector.ts";

export type ArticleRow = typeof kbArticles.$inferSelect;
type VersionRow = typeof kbArticleVersions.$inferSelect;
type AttachmentRow = typeof kbAttachments.$inferSelect;

/** What a list reads: everything but the body. */
const summaryColumns = sql.raw(
  "a.id, a.org_id, a.category_id, a.store_id, a.title, a.plain_text, a.tags, a.version, a.revision, a.created_by, a.updated_by, a.updated_by_name, a.created_at, a.updated_at",
);

interface Labels {
  paths: Map<string, string>;
  stores: Map<string, string>;
}

async function labelsOf(ctx: AppContext, orgId: string, paths?: Map<string, string>): Promise<Labels> {
  const [categories, stores] = await Promise.all([paths ?? categoryPaths(ctx.db, orgId, "kb"), orgStores(ctx, orgId)]);
  return { paths: categories, stores: new Map([...stores].map(([id, s]) => [id, s.label])) };
}

const editorOf = (id: string | null, name: string | null) => (id ? { id, name: name ?? "" } : null);

function presentSummary(row: IndexedArticle, labels: Labels, words: string[] = []): KbArticleSummary {
  return {
    id: row.id,
    title: row.title,
    categoryId: row.categoryId,
    categoryPath: row.categoryId ? (labels.paths.get(row.categoryId) ?? "") : "",
    storeId: row.storeId,
    storeLabel: row.storeId ? (labels.stores.get(row.storeId) ?? null) : null,
    tags: row.tags,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: editorOf(row.updatedBy, row.updatedByName),
    snippet: snippetOf(row.plainText ?? "", words),
  };
}

export const presentAttachment = (row: AttachmentRow): KbAttachment => ({
  id: row.id,
  fileName: row.fileName,
  mime: row.mime,
  size: row.size,
  url: `${ATTACHMENT_URL_PREFIX}${row.id}`,
  createdAt: row.createdAt.toISOString(),
});

function presentArticle(row: ArticleRow, labels: Labels, attachments: AttachmentRow[]): KbArticle {
  const { snippet: _snippet, ...summary } = presentSummary(row, labels);
  return { ...summary, body: row.body, plainText: row.plainText, attachments: attachments.map(presentAttachment) };
}

async function articleRow(db: Executor, actor: Actor, id: string, forUpdate = false): Promise<ArticleRow> {
  if (!isId(id)) throw notFound("Article");
  const query = db
    .select()
    .from(kbArticles)
    .where(and(eq(kbArticles.orgId, actor.orgId), eq(kbArticles.id, id)));
  const [row] = forUpdate ? await query.for("update") : await query;
  if (!row || !canSeeArticle(actor, row)) throw notFound("Article");
  return row;
}

const attachmentsOf = (db: Executor, orgId: string, articleId: string) =>
  db
    .select()
    .from(kbAttachments)
    .where(and(eq(kbAttachments.orgId, orgId), eq(kbAttachments.articleId, articleId)))
    .orderBy(asc(kbAttachments.createdAt));

export async function getArticle(ctx: AppContext, actor: Actor, id: string): Promise<KbArticle> {
  const row = await articleRow(ctx.db, actor, id);
  const [labels, attachments] = await Promise.all([labelsOf(ctx, actor.orgId), attachmentsOf(ctx.db, actor.orgId, id)]);
  return presentArticle(row, labels, attachments);
}

function requireManager(actor: Actor): void {
  if (!canManageKnowledge(actor)) throw forbidden("Only supervisors can edit the knowledge base");
}

function checkStore(actor: Actor, storeId: string | null | undefined): void {
  if (storeId === null || storeId === undefined) return;
  if (!isId(storeId) || !canSeeStore(actor, storeId)) throw badRequest("Unknown store");
}

async function assertStoreInOrg(db: Executor, orgId: string, storeId: string | null | undefined): Promise<void> {
  if (storeId === null || storeId === undefined) return;
  const stores = await listOrgStores(db, orgId);
  if (!stores.some((s) => s.id === storeId)) throw badRequest("Unknown store");
}

const normalizeTags = (tags: string[]): string[] => [...new Set(tags.map((t) => t.trim()).filter(Boolean))];

/** The columns of an article's content. */
const contentColumns = (title: string, body: string, tags: string[]) => ({
  title,
  body,
  plainText: markdownToPlainText(body),
  tags,
});

interface VersionInput {
  article: ArticleRow;
  actor: Actor;
  changes: string[];
  note?: string | null;
  restoredFrom?: number | null;
  at: Date;
}

const insertVersion = (tx: Executor, v: VersionInput) =>
  tx.insert(kbArticleVersions).values({
    id: newId(),
    orgId: v.article.orgId,
    articleId: v.article.id,
    version: v.article.version,
    title: v.article.title,
    body: v.article.body,
    categoryId: v.article.categoryId,
    storeId: v.article.storeId,
    tags: v.article.tags,
    changes: v.changes,
    note: v.note ?? null,
    restoredFrom: v.restoredFrom ?? null,
    editedBy: v.actor.userId,
    editedByName: v.actor.name,
    editedAt: v.at,
  });

const scopeOf = (storeId: string | null) => ({ storeId, platform: null });

export async function createArticle(ctx: AppContext, actor: Actor, input: CreateKbArticleRequest): Promise<KbArticle> {
  requireManager(actor);
  checkStore(actor, input.storeId);
  const now = ctx.now();
  const { row, events } = await ctx.db.transaction(async (tx) => {
    await assertStoreInOrg(tx, actor.orgId, input.storeId);
    await assertCategory(tx, actor.orgId, "kb", input.categoryId);
    const revision = await bumpRevision(tx, actor.orgId, "kb");
    const [inserted] = await tx
      .insert(kbArticles)
      .values({
        id: newId(),
        orgId: actor.orgId,
        categoryId: input.categoryId ?? null,
        storeId: input.storeId ?? null,
        ...contentColumns(input.title, sanitizeMarkdown(input.body), normalizeTags(input.tags ?? [])),
        version: 1,
        revision,
        createdBy: actor.userId,
        updatedBy: actor.userId,
        updatedByName: actor.name,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await insertVersion(tx, { article: inserted!, actor, changes: ["created"], at: now });
    await auditArticle(tx, actor, "library.article_created", inserted!, { version: 1 });
    return {
      row: inserted!,
      events: await appendLibraryChanged(tx, actor.orgId, "kb", [scopeOf(inserted!.storeId)]),
    };
  });
  ctx.bus.publish(events);
  return presentArticle(row, await labelsOf(ctx, actor.orgId), []);
}

/** The fields that differ between two states of an article. */
function changedFields(
  before: Pick<ArticleRow, "title" | "body" | "categoryId" | "storeId" | "tags">,
  after: Pick<ArticleRow, "title" | "body" | "categoryId" | "storeId" | "tags">,
): string[] {
  const changes: string[] = [];
  if (before.title !== after.title) changes.push("title");
  if (before.body !== after.body) changes.push("body");
  if (before.categoryId !== after.categoryId) changes.push("category");
  if (before.storeId !== after.storeId) changes.push("store");
  if (JSON.stringify(before.tags) !== JSON.stringify(after.tags)) changes.push("tags");
  return changes;
}

/**
 * Saves a new version of an article. `baseVersion`, when given, must be the current
 * one (someone else's save in between answers 409 instead of being overwritten). A
 * save that changes nothing makes no version.
 */
export async function updateArticle(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateKbArticleRequest,
  restoredFrom: number | null = null,
): Promise<KbArticle> {
  requireManager(actor);
  checkStore(actor, input.storeId);
  const now = ctx.now();
  const { row, events } = await ctx.db.transaction(async (tx) => {
    const current = await articleRow(tx, actor, id, true);
    if (input.baseVersion !== undefined && input.baseVersion !== current.version) {
      throw conflict(`The article was changed meanwhile (now version ${current.version}); reload and edit again`);
    }
    await assertStoreInOrg(tx, actor.orgId, input.storeId);
    if (input.categoryId !== undefined) await assertCategory(tx, actor.orgId, "kb", input.categoryId);
    const next = {
      title: input.title ?? current.title,
      body: input.body !== undefined ? sanitizeMarkdown(input.body) : current.body,
      categoryId: input.categoryId !== undefined ? input.categoryId : current.categoryId,
      storeId: input.storeId !== undefined ? input.storeId : current.storeId,
      tags: input.tags !== undefined ? normalizeTags(input.tags) : current.tags,
    };
    const changes = changedFields(current, next);
    if (changes.length === 0 && restoredFrom === null) return { row: current, events: [] };
    const revision = await bumpRevision(tx, actor.orgId, "kb");
    const [updated] = await tx
      .update(kbArticles)
      .set({
        ...contentColumns(next.title, next.body, next.tags),
        categoryId: next.categoryId,
        storeId: next.storeId,
        version: current.version + 1,
        revision,
        updatedBy: actor.userId,
        updatedByName: actor.name,
        updatedAt: now,
      })
      .where(and(eq(kbArticles.orgId, actor.orgId), eq(kbArticles.id, id)))
      .returning();
    await insertVersion(tx, {
      article: updated!,
      actor,
      changes: restoredFrom !== null ? ["restored", ...changes] : changes,
      note: input.note ?? null,
      restoredFrom,
      at: now,
    });
    await auditArticle(
      tx,
      actor,
      restoredFrom !== null ? "library.article_restored" : "library.article_updated",
      updated!,
      {
        version: updated!.version,
        changes,
        ...(restoredFrom !== null && { restoredFrom }),
      },
    );
    return {
      row: updated!,
      events: await appendLibraryChanged(tx, actor.orgId, "kb", [scopeOf(current.storeId), scopeOf(updated!.storeId)]),
    };
  });
  ctx.bus.publish(events);
  const [labels, attachments] = await Promise.all([labelsOf(ctx, actor.orgId), attachmentsOf(ctx.db, actor.orgId, id)]);
  return presentArticle(row, labels, attachments);
}

export async function deleteArticle(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  requireManager(actor);
  const { events, files } = await ctx.db.transaction(async (tx) => {
    const current = await articleRow(tx, actor, id, true);
    const attachments = await attachmentsOf(tx, actor.orgId, id);
    await tx.delete(kbAttachments).where(and(eq(kbAttachments.orgId, actor.orgId), eq(kbAttachments.articleId, id)));
    await tx
      .delete(kbArticleVersions)
      .where(and(eq(kbArticleVersions.orgId, actor.orgId), eq(kbArticleVersions.articleId, id)));
    await tx.delete(kbArticles).where(and(eq(kbArticles.orgId, actor.orgId), eq(kbArticles.id, id)));
    await bumpRevision(tx, actor.orgId, "kb");
    await auditArticle(tx, actor, "library.article_deleted", current, { version: current.version });
    return {
      events: await appendLibraryChanged(tx, actor.orgId, "kb", [scopeOf(current.storeId)]),
      files: attachments.map((a) => a.storageName),
    };
  });
  ctx.bus.publish(events);
  for (const name of files) removeFile(ctx.config.dataDir, name);
}

function auditArticle(
  tx: Executor,
  actor: Actor,
  action: string,
  row: ArticleRow,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAudit(tx, {
    orgId: actor.orgId,
    actorId: actor.userId,
    action,
    targetType: "kb_article",
    targetId: row.id,
    details: { title: row.title, ...details },
  });
}

// ── Versions ─────────────────────────────────────────────────────────────

const presentVersion = (v: VersionRow): KbVersion => ({
  version: v.version,
  title: v.title,
  changes: v.changes,
  note: v.note,
  restoredFrom: v.restoredFrom,
  editedBy: editorOf(v.editedBy, v.editedByName),
  editedAt: v.editedAt.toISOString(),
});

export async function listVersions(ctx: AppContext, actor: Actor, id: string): Promise<KbVersion[]> {
  const article = await articleRow(ctx.db, actor, id);
  const rows = await ctx.db
    .select()
    .from(kbArticleVersions)
    .where(and(eq(kbArticleVersions.orgId, actor.orgId), eq(kbArticleVersions.articleId, article.id)))
    .orderBy(desc(kbArticleVersions.version));
  return rows.map(presentVersion);
}

async function versionRow(db: Executor, actor: Actor, id: string, version: number): Promise<VersionRow> {
  const article = await articleRow(db, actor, id);
  const [row] = await db
    .select()
    .from(kbArticleVersions)
    .where(
      and(
        eq(kbArticleVersions.orgId, actor.orgId),
        eq(kbArticleVersions.articleId, article.id),
        eq(kbArticleVersions.version, version),
      ),
    );
  if (!row) throw notFound("Version");
  return row;
}

export async function getVersion(ctx: AppContext, actor: Actor, id: string, version: number): Promise<KbVersionDetail> {
  const v = await versionRow(ctx.db, actor, id, version);
  return { ...presentVersion(v), body: v.body, categoryId: v.categoryId, storeId: v.storeId, tags: v.tags };
}

/** Restoring a version saves its content as a new version (history is never rewritten). */
export async function restoreVersion(ctx: AppContext, actor: Actor, id: string, version: number): Promise<KbArticle> {
  requireManager(actor);
  const v = await versionRow(ctx.db, actor, id, version);
  // The store or category of that time may be gone: keep the current ones then.
  const stores = await listOrgStores(ctx.db, actor.orgId);
  const storeExists = v.storeId === null || stores.some((s) => s.id === v.storeId);
  const categories = await categoryPaths(ctx.db, actor.orgId, "kb");
  const categoryExists = v.categoryId === null || categories.has(v.categoryId);
  return updateArticle(
    ctx,
    actor,
    id,
    {
      title: v.title,
      body: v.body,
      tags: v.tags,
      ...(storeExists && (v.storeId === null || canSeeStore(actor, v.storeId)) && { storeId: v.storeId }),
      ...(categoryExists && { categoryId: v.categoryId }),
      note: `恢复到版本 ${version}`,
    },
    version,
  );
}

// ── Attachments ──────────────────────────────────────────────────────────

export async function addAttachment(
  ctx: AppContext,
  actor: Actor,
  articleId: string,
  fileName: string,
  bytes: Buffer,
): Promise<KbAttachment> {
  requireManager(actor);
  if (bytes.length === 0) throw badRequest("The file is empty");
  const name = cleanFileName(fileName);
  const type = sniffAttachment(name, bytes);
  if (!type) throw new AppError(415, "unsupported_media_type", `Accepted files: ${acceptedAttachmentTypes}`);
  const storageName = storeFile(ctx.config.dataDir, bytes);
  const now = ctx.now();
  try {
    const { row, events } = await ctx.db.transaction(async (tx) => {
      const current = await articleRow(tx, actor, articleId, true);
      const [inserted] = await tx
        .insert(kbAttachments)
        .values({
          id: newId(),
          orgId: actor.orgId,
          articleId,
          fileName: name,
          mime: type.mime,
          size: bytes.length,
          storageName,
          createdBy: actor.userId,
          createdAt: now,
        })
        .returning();
      await bumpForAttachments(tx, actor, current, `+ ${name}`, now);
      return {
        row: inserted!,
        events: await appendLibraryChanged(tx, actor.orgId, "kb", [scopeOf(current.storeId)]),
      };
    });
    ctx.bus.publish(events);
    return presentAttachment(row);
  } catch (err) {
    removeFile(ctx.config.dataDir, storageName);
    throw err;
  }
}

export async function removeAttachment(ctx: AppContext, actor: Actor, attachmentId: string): Promise<void> {
  requireManager(actor);
  const attachment = await attachmentRow(ctx.db, actor, attachmentId);
  const now = ctx.now();
  const events = await ctx.db.transaction(async (tx) => {
    const current = await articleRow(tx, actor, attachment.articleId, true);
    await tx
      .delete(kbAttachments)
      .where(and(eq(kbAttachments.orgId, actor.orgId), eq(kbAttachments.id, attachment.id)));
    await bumpForAttachments(tx, actor, current, `- ${attachment.fileName}`, now);
    return appendLibraryChanged(tx, actor.orgId, "kb", [scopeOf(current.storeId)]);
  });
  ctx.bus.publish(events);
  removeFile(ctx.config.dataDir, attachment.storageName);
}

/** Adding or removing a file is a change of the article too: a version says who and when. */
async function bumpForAttachments(tx: Executor, actor: Actor, current: ArticleRow, note: string, at: Date) {
  const revision = await bumpRevision(tx, actor.orgId, "kb");
  const [updated] = await tx
    .update(kbArticles)
    .set({ version: current.version + 1, revision, updatedBy: actor.userId, updatedByName: actor.name, updatedAt: at })
    .where(and(eq(kbArticles.orgId, actor.orgId), eq(kbArticles.id, current.id)))
    .returning();
  await insertVersion(tx, { article: updated!, actor, changes: ["attachments"], note, at });
}

/** An attachment of an article the actor may see. */
export async function attachmentRow(db: Executor, actor: Actor, attachmentId: string): Promise<AttachmentRow> {
  if (!isId(attachmentId)) throw notFound("Attachment");
  const [row] = await db
    .select()
    .from(kbAttachments)
    .where(and(eq(kbAttachments.orgId, actor.orgId), eq(kbAttachments.id, attachmentId)));
  if (!row) throw notFound("Attachment");
  await articleRow(db, actor, row.articleId);
  return row;
}

// ── Lists and search ─────────────────────────────────────────────────────

/** Articles an actor may read, in the given store's context (null: every store the actor serves). */
function visibleArticles(actor: Actor, storeId: string | null): SQL {
  const conditions: SQL[] = [sql`a.org_id = ${actor.orgId}::uuid`];
  if (storeId !== null) conditions.push(sql`(a.store_id IS NULL OR a.store_id = ${storeId}::uuid)`);
  else if (actor.storeIds !== null) {
    conditions.push(
      actor.storeIds.length === 0
        ? sql`a.store_id IS NULL`
        : sql`(a.store_id IS NULL OR a.store_id = ANY(${sql.param(actor.storeIds)}::uuid[]))`,
    );
  }
  return sql.join(conditions, sql` AND `);
}

export interface KnowledgeSearch {
  q: string;
  storeId: string | null;
  categoryIds?: string[] | null;
  limit: number;
}

/**
 * Ranked Chinese search on the org's in-memory index (knowledge-index.ts): every query
 * word (or a synonym: 退钱 finds 退款) first, then any word, then — only if no word
 * matches — the character bigrams, which survive typos (退款进读).
 */
export async function searchKnowledge(ctx: AppContext, actor: Actor, search: KnowledgeSearch): Promise<KbSearchHit[]> {
  if (search.storeId !== null && (!isId(search.storeId) || !canSeeStore(actor, search.storeId))) {
    throw notFound("Store");
  }
  const query = knowledgeQuery(search.q);
  const index = await knowledgeIndexOf(ctx, actor.orgId);
  const found = index.search(query, {
    storeIds: search.storeId !== null ? [search.storeId] : actor.storeIds,
    categoryIds: search.categoryIds ? new Set(search.categoryIds) : null,
    limit: search.limit,
  });
  if (found.length === 0) return [];
  const labels = await labelsOf(ctx, actor.orgId, index.categoryPaths);
  const highlights = query.highlights.length > 0 ? query.highlights : [normalize(search.q)];
  return found.map(({ article, score, match }) => ({
    article: presentSummary(article, labels, highlights),
    score: Math.round(score * 10_000) / 10_000,
    match,
    highlights,
  }));
}

/** The admin list: newest first, or ranked when there is a query. */
export async function listArticles(
  ctx: AppContext,
  actor: Actor,
  query: KbArticleListQuery,
): Promise<{ items: KbArticleSummary[]; total: number }> {
  const categoryIds = query.categoryId
    ? await categoryAndDescendants(ctx.db, actor.orgId, "kb", query.categoryId)
    : null;
  if (categoryIds && categoryIds.length === 0) return { items: [], total: 0 };
  const storeId = query.storeId ?? null;
  if (storeId !== null && (!isId(storeId) || !canSeeStore(actor, storeId))) return { items: [], total: 0 };
  if (query.q) {
    const hits = await searchKnowledge(ctx, actor, {
      q: query.q,
      storeId,
      categoryIds,
      limit: Math.min(query.offset + query.limit, 500),
    });
    return { items: hits.slice(query.offset).map((h) => h.article), total: hits.length };
  }
  const where = sql`${visibleArticles(actor, storeId)} ${
    categoryIds ? sql`AND a.category_id = ANY(${sql.param(categoryIds)}::uuid[])` : sql``
  } ${storeId !== null ? sql`AND a.store_id = ${storeId}::uuid` : sql``}`;
  const [rows, counted, labels] = await Promise.all([
    queryRows<Record<string, unknown>>(
      ctx.db,
      sql`SELECT ${summaryColumns} FROM kb_articles a WHERE ${where}
          ORDER BY a.updated_at DESC, a.id LIMIT ${query.limit} OFFSET ${query.offset}`,
    ),
    queryRows<{ n: string | number }>(ctx.db, sql`SELECT count(*) AS n FROM kb_articles a WHERE ${where}`),
    labelsOf(ctx, actor.orgId),
  ]);
  return {
    items: rows.map((raw) => presentSummary(rowFromRaw(kbArticles, raw), labels)),
    total: Number(counted[0]?.n ?? 0),
  };
}
