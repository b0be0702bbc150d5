import type { LibraryKind, PlatformId } from "@yunxi/contracts";
import { storeLabel } from "@yunxi/contracts";
import type { AppContext } from "../../../platform/context.ts";
import { type Executor, queryRows, sql } from "../../../platform/db/client.ts";
import { listOrgStores } from "../../stores/index.ts";

/**
 * Search runs on an in-memory index per org and kind, kept in step with the database
 * by a revision number (docs/decisions/0008-assist-library.md): every transaction that
 * changes what search sees bumps `library_revisions` and stamps the rows it writes with
 * the new revision. Before each search a node reads the revision (one primary-key
 * lookup); if it moved, it reads the rows written since and the ids still there, and
 * applies them. Nothing lives only in memory: another node, or this one after a
 * restart, builds the same index from the tables.
 */

/** Bump the org's revision of a kind inside the caller's transaction; stamp written rows with the result. */
export async function bumpRevision(tx: Executor, orgId: string, kind: LibraryKind): Promise<number> {
  const rows = await queryRows<{ revision: string | number }>(
    tx,
    sql`INSERT INTO library_revisions (org_id, kind, revision) VALUES (${orgId}::uuid, ${kind}, 1)
        ON CONFLICT (org_id, kind) DO UPDATE SET revision = library_revisions.revision + 1
        RETURNING revision`,
  );
  return Number(rows[0]!.revision);
}

export async function currentRevision(db: Executor, orgId: string, kind: LibraryKind): Promise<number> {
  const rows = await queryRows<{ revision: string | number }>(
    db,
    sql`SELECT revision FROM library_revisions WHERE org_id = ${orgId}::uuid AND kind = ${kind}`,
  );
  return Number(rows[0]?.revision ?? 0);
}

/** What an index does when its revision moved: read the rows written after `fromRevision` (all when -1). */
export interface SyncedIndex {
  sync(db: Executor, orgId: string, fromRevision: number): Promise<void>;
}

interface Cached {
  index: SyncedIndex;
  revision: number;
  syncing: Promise<void> | null;
  usedAt: number;
}

/** Indexes idle this long are dropped (and rebuilt on the next search). */
const IDLE_MS = 30 * 60_000;

// Per server (tests and benchmarks run several in one process, each with its own database).
const caches = new WeakMap<AppContext, Map<string, Cached>>();

/** The org's index of a kind, brought up to the database's revision first. */
export async function freshIndex<I extends SyncedIndex>(
  ctx: AppContext,
  orgId: string,
  kind: LibraryKind,
  create: () => I,
): Promise<I> {
  let byKey = caches.get(ctx);
  if (!byKey) {
    byKey = new Map();
    caches.set(ctx, byKey);
  }
  const key = `${kind}:${orgId}`;
  const now = Date.now();
  let cached = byKey.get(key);
  if (!cached) {
    cached = { index: create(), revision: -1, syncing: null, usedAt: now };
    byKey.set(key, cached);
    for (const [k, c] of byKey) if (now - c.usedAt > IDLE_MS) byKey.delete(k);
  }
  cached.usedAt = now;
  const entry = cached;
  const wanted = await currentRevision(ctx.db, orgId, kind);
  while (entry.revision < wanted) {
    if (!entry.syncing) {
      const from = entry.revision;
      entry.syncing = entry.index
        .sync(ctx.db, orgId, from)
        .then(() => {
          entry.revision = Math.max(entry.revision, wanted);
        })
        .finally(() => {
          entry.syncing = null;
        });
    }
    await entry.syncing;
  }
  return entry.index as I;
}

/** Drop a server's indexes (tests that write tables behind the services' back). */
export function forgetIndexes(ctx: AppContext): void {
  caches.delete(ctx);
}

// ── Stores ───────────────────────────────────────────────────────────────

export interface StoreInfo {
  id: string;
  platform: PlatformId;
  /** `淘宝-旗舰店` */
  label: string;
  name: string;
}

interface CachedStores {
  at: number;
  stores: Map<string, StoreInfo>;
}

const STORES_TTL_MS = 10_000;
const storeCaches = new WeakMap<AppContext, Map<string, CachedStores>>();

/**
 * The org's stores, for labels and a store's platform: cached for a few seconds, and read
 * again at once when asked for a store it does not know (a store created meanwhile).
 */
export async function orgStores(ctx: AppContext, orgId: string, needed?: string): Promise<Map<string, StoreInfo>> {
  let byOrg = storeCaches.get(ctx);
  if (!byOrg) {
    byOrg = new Map();
    storeCaches.set(ctx, byOrg);
  }
  const cached = byOrg.get(orgId);
  const now = Date.now();
  if (cached && now - cached.at < STORES_TTL_MS && (needed === undefined || cached.stores.has(needed))) {
    return cached.stores;
  }
  const rows = await listOrgStores(ctx.db, orgId);
  const stores = new Map(
    rows.map((s) => [
      s.id,
      {
        id: s.id,
        platform: s.platform as PlatformId,
        name: s.name,
        label: storeLabel(s.platform as PlatformId, s.name),
      },
    ]),
  );
  byOrg.set(orgId, { at: now, stores });
  return stores;
}
