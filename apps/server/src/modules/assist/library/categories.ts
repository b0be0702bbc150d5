import type { CreateCategoryRequest, LibraryCategory, LibraryKind, UpdateCategoryRequest } from "@yunxi/contracts";
import { and, eq } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { isId, newId } from "../../../platform/db/ids.ts";
import { badRequest, conflict, forbidden, notFound } from "../../../platform/http/errors.ts";
import { recordAudit } from "../../audit/index.ts";
import type { Actor } from "../../identity/index.ts";
import { cannedReplies, kbArticles, libraryCategories } from "../tables.ts";
import { appendLibraryChanged } from "./events.ts";
import { bumpRevision } from "./index-cache.ts";
import { canManageCategories } from "./policy.ts";

type CategoryRow = typeof libraryCategories.$inferSelect;

/** The separator of a category path, as the admin screens and the Excel 分类 column write it. */
export const PATH_SEPARATOR = "/";
const MAX_DEPTH = 5;

/** A category path as typed (`鞋子/售后`, `鞋子 > 售后`, `鞋子／售后`): its names, trimmed, empty ones dropped. */
export const splitPath = (path: string): string[] =>
  path
    .split(/[/／>＞]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** Every category of one tree with its full path, ordered as the tree shows them. */
export async function listCategories(db: Executor, orgId: string, kind: LibraryKind): Promise<LibraryCategory[]> {
  const rows = await db
    .select()
    .from(libraryCategories)
    .where(and(eq(libraryCategories.orgId, orgId), eq(libraryCategories.kind, kind)));
  return presentTree(rows);
}

/** Paths by id, for presenting items of the tree. */
export async function categoryPaths(db: Executor, orgId: string, kind: LibraryKind): Promise<Map<string, string>> {
  return new Map((await listCategories(db, orgId, kind)).map((c) => [c.id, c.path]));
}

/** The tree in pre-order: each category after its parent, siblings by their sort order, then as created. */
function presentTree(rows: CategoryRow[]): LibraryCategory[] {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<string | null, CategoryRow[]>();
  for (const row of rows) {
    // A parent that is gone (it cannot be, but a tree must not lose branches) makes a root.
    const parent = row.parentId !== null && ids.has(row.parentId) ? row.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), row]);
  }
  const out: LibraryCategory[] = [];
  const visit = (parentId: string | null, path: string[]) => {
    const siblings = (children.get(parentId) ?? []).sort(
      (a, b) => a.sortOrder - b.sortOrder || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1),
    );
    for (const row of siblings) {
      const names = [...path, row.name];
      out.push({
        id: row.id,
        kind: row.kind as LibraryKind,
        parentId: row.parentId,
        name: row.name,
        path: names.join(PATH_SEPARATOR),
        sortOrder: row.sortOrder,
      });
      if (names.length <= MAX_DEPTH + 1) visit(row.id, names);
    }
  };
  visit(null, []);
  return out;
}

async function categoryRow(db: Executor, orgId: string, kind: LibraryKind, id: string): Promise<CategoryRow> {
  if (!isId(id)) throw notFound("Category");
  const [row] = await db
    .select()
    .from(libraryCategories)
    .where(and(eq(libraryCategories.orgId, orgId), eq(libraryCategories.kind, kind), eq(libraryCategories.id, id)));
  if (!row) throw notFound("Category");
  return row;
}

/** A category id given for an item: it must exist in the same tree of the org. */
export async function assertCategory(
  db: Executor,
  orgId: string,
  kind: LibraryKind,
  id: string | null | undefined,
): Promise<void> {
  if (id === null || id === undefined) return;
  if (!isId(id)) throw badRequest("Unknown category");
  const [row] = await db
    .select({ id: libraryCategories.id })
    .from(libraryCategories)
    .where(and(eq(libraryCategories.orgId, orgId), eq(libraryCategories.kind, kind), eq(libraryCategories.id, id)));
  if (!row) throw badRequest("Unknown category");
}

async function assertUniqueName(
  db: Executor,
  orgId: string,
  kind: LibraryKind,
  parentId: string | null,
  name: string,
  exceptId?: string,
): Promise<void> {
  const siblings = await db
    .select()
    .from(libraryCategories)
    .where(and(eq(libraryCategories.orgId, orgId), eq(libraryCategories.kind, kind)));
  const clash = siblings.find((s) => s.parentId === parentId && s.name === name && s.id !== exceptId);
  if (clash) throw conflict(`A category named ${name} already exists here`);
}

async function depthOf(db: Executor, orgId: string, kind: LibraryKind, id: string | null): Promise<number> {
  let depth = 0;
  for (let at = id; at !== null && depth <= MAX_DEPTH; depth++) at = (await categoryRow(db, orgId, kind, at)).parentId;
  return depth;
}

export async function createCategory(
  ctx: AppContext,
  actor: Actor,
  input: CreateCategoryRequest,
): Promise<LibraryCategory> {
  if (!canManageCategories(actor)) throw forbidden("Only supervisors can manage categories");
  const parentId = input.parentId ?? null;
  const id = newId();
  const events = await ctx.db.transaction(async (tx) => {
    if (parentId !== null) await categoryRow(tx, actor.orgId, input.kind, parentId);
    if ((await depthOf(tx, actor.orgId, input.kind, parentId)) >= MAX_DEPTH) {
      throw badRequest(`Categories nest at most ${MAX_DEPTH} levels`);
    }
    await assertUniqueName(tx, actor.orgId, input.kind, parentId, input.name);
    await bumpRevision(tx, actor.orgId, input.kind);
    await tx.insert(libraryCategories).values({
      id,
      orgId: actor.orgId,
      kind: input.kind,
      parentId,
      name: input.name,
      sortOrder: input.sortOrder ?? 0,
    });
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "library.category_created",
      targetType: "library_category",
      targetId: id,
      details: { kind: input.kind, name: input.name, parentId },
    });
    return appendLibraryChanged(tx, actor.orgId, input.kind, [{ storeId: null, platform: null }]);
  });
  ctx.bus.publish(events);
  const created = (await listCategories(ctx.db, actor.orgId, input.kind)).find((c) => c.id === id);
  return created!;
}

export async function updateCategory(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateCategoryRequest,
): Promise<LibraryCategory> {
  if (!canManageCategories(actor)) throw forbidden("Only supervisors can manage categories");
  const kind = await kindOf(ctx.db, actor.orgId, id);
  const events = await ctx.db.transaction(async (tx) => {
    const current = await categoryRow(tx, actor.orgId, kind, id);
    const parentId = input.parentId === undefined ? current.parentId : input.parentId;
    if (parentId !== null && parentId !== current.parentId) {
      // Moving under itself or one of its descendants would cut the branch off the tree.
      for (let at: string | null = parentId; at !== null; ) {
        if (at === id) throw badRequest("A category cannot move under itself");
        at = (await categoryRow(tx, actor.orgId, kind, at)).parentId;
      }
      if ((await depthOf(tx, actor.orgId, kind, parentId)) >= MAX_DEPTH) {
        throw badRequest(`Categories nest at most ${MAX_DEPTH} levels`);
      }
    }
    const name = input.name ?? current.name;
    if (name !== current.name || parentId !== current.parentId) {
      await assertUniqueName(tx, actor.orgId, kind, parentId, name, id);
    }
    await bumpRevision(tx, actor.orgId, kind);
    await tx
      .update(libraryCategories)
      .set({ name, parentId, sortOrder: input.sortOrder ?? current.sortOrder })
      .where(and(eq(libraryCategories.orgId, actor.orgId), eq(libraryCategories.id, id)));
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "library.category_updated",
      targetType: "library_category",
      targetId: id,
      details: { kind, fields: Object.keys(input) },
    });
    return appendLibraryChanged(tx, actor.orgId, kind, [{ storeId: null, platform: null }]);
  });
  ctx.bus.publish(events);
  return (await listCategories(ctx.db, actor.orgId, kind)).find((c) => c.id === id)!;
}

/** Deletes an empty-of-children category; its items move up to its parent (or to no category). */
export async function deleteCategory(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  if (!canManageCategories(actor)) throw forbidden("Only supervisors can manage categories");
  const kind = await kindOf(ctx.db, actor.orgId, id);
  const events = await ctx.db.transaction(async (tx) => {
    const current = await categoryRow(tx, actor.orgId, kind, id);
    const [child] = await tx
      .select({ id: libraryCategories.id })
      .from(libraryCategories)
      .where(and(eq(libraryCategories.orgId, actor.orgId), eq(libraryCategories.parentId, id)))
      .limit(1);
    if (child) throw conflict("Delete or move its subcategories first");
    const items = kind === "replies" ? cannedReplies : kbArticles;
    const revision = await bumpRevision(tx, actor.orgId, kind);
    await tx
      .update(items)
      .set({ categoryId: current.parentId, revision })
      .where(and(eq(items.orgId, actor.orgId), eq(items.categoryId, id)));
    await tx
      .delete(libraryCategories)
      .where(and(eq(libraryCategories.orgId, actor.orgId), eq(libraryCategories.id, id)));
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "library.category_deleted",
      targetType: "library_category",
      targetId: id,
      details: { kind, name: current.name },
    });
    return appendLibraryChanged(tx, actor.orgId, kind, [{ storeId: null, platform: null }]);
  });
  ctx.bus.publish(events);
}

async function kindOf(db: Executor, orgId: string, id: string): Promise<LibraryKind> {
  if (!isId(id)) throw notFound("Category");
  const [row] = await db
    .select({ kind: libraryCategories.kind })
    .from(libraryCategories)
    .where(and(eq(libraryCategories.orgId, orgId), eq(libraryCategories.id, id)));
  if (!row) throw notFound("Category");
  return row.kind as LibraryKind;
}

/**
 * The category at a path, creating the missing levels (Excel import). `cache` maps
 * paths already resolved in this import to their id; returns the number created.
 */
export async function ensureCategoryPath(
  tx: Executor,
  orgId: string,
  kind: LibraryKind,
  names: string[],
  cache: Map<string, string>,
): Promise<{ id: string | null; created: number }> {
  if (names.length === 0) return { id: null, created: 0 };
  if (cache.size === 0) {
    for (const c of await listCategories(tx, orgId, kind)) cache.set(c.path, c.id);
  }
  let parentId: string | null = null;
  let created = 0;
  for (let depth = 1; depth <= names.length; depth++) {
    const path = names.slice(0, depth).join(PATH_SEPARATOR);
    const known = cache.get(path);
    if (known) {
      parentId = known;
      continue;
    }
    const id = newId();
    await tx.insert(libraryCategories).values({ id, orgId, kind, parentId, name: names[depth - 1]!, sortOrder: 0 });
    cache.set(path, id);
    parentId = id;
    created++;
  }
  return { id: parentId, created };
}

/** Ids of a category and every category below it (listing "this category" includes its subcategories). */
export async function categoryAndDescendants(
  db: Executor,
  orgId: string,
  kind: LibraryKind,
  id: string,
): Promise<string[]> {
  const all = await listCategories(db, orgId, kind);
  const root = all.find((c) => c.id === id);
  if (!root) return [];
  return all.filter((c) => c.id === id || c.path.startsWith(`${root.path}${PATH_SEPARATOR}`)).map((c) => c.id);
}
