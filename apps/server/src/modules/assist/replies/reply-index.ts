import type { ReplyMatchKind } from "@yunxi/contracts";
import { and, eq, gt } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { categoryPaths } from "../library/categories.ts";
import { freshIndex, type SyncedIndex } from "../library/index-cache.ts";
import { TextIndex } from "../library/text-index.ts";
import { cannedReplies } from "../tables.ts";
import { type ReplyQuery, replyWords } from "./search-vector.ts";

export type ReplyRow = typeof cannedReplies.$inferSelect;

/** How often a node reads the usage counts other nodes recorded. */
const USAGE_REFRESH_MS = 30_000;

export interface ReplyFilter {
  storeId: string;
  platform: string;
  userId: string;
  now: Date;
  limit: number;
}

export interface IndexedHit {
  row: ReplyRow;
  match: ReplyMatchKind;
}

const scopeRank = (row: ReplyRow): number => (row.storeId ? 3 : row.platform ? 2 : 1);

/**
 * The org's canned replies in memory: the rows, and an index of their words (keywords
 * whole and segmented A, title B, text D). Usage counts move without a revision (they
 * change with every insert): this node applies its own at once and reads everyone's
 * every 30 s.
 */
export class ReplyIndex implements SyncedIndex {
  readonly #words = new TextIndex();
  readonly #rows: (ReplyRow | undefined)[] = [];
  readonly #numberOf = new Map<string, number>();
  #usageReadAt = Date.now();
  #usageReading = false;
  /** Category paths by id (category changes bump the revision too). */
  categoryPaths = new Map<string, string>();

  async sync(db: Executor, orgId: string, fromRevision: number): Promise<void> {
    this.categoryPaths = await categoryPaths(db, orgId, "replies");
    const rows = await db
      .select()
      .from(cannedReplies)
      .where(and(eq(cannedReplies.orgId, orgId), gt(cannedReplies.revision, fromRevision)));
    if (fromRevision >= 0) {
      const ids = new Set(
        (await db.select({ id: cannedReplies.id }).from(cannedReplies).where(eq(cannedReplies.orgId, orgId))).map(
          (r) => r.id,
        ),
      );
      for (const id of [...this.#numberOf.keys()]) if (!ids.has(id)) this.delete(id);
    }
    for (const row of rows) this.put(row);
  }

  put(row: ReplyRow): void {
    const previous = this.#numberOf.get(row.id);
    if (previous !== undefined) {
      this.#words.remove(previous);
      this.#rows[previous] = undefined;
    }
    const n = this.#words.add(replyWords(row));
    this.#rows[n] = row;
    this.#numberOf.set(row.id, n);
  }

  delete(id: string): void {
    const n = this.#numberOf.get(id);
    if (n === undefined) return;
    this.#words.remove(n);
    this.#rows[n] = undefined;
    this.#numberOf.delete(id);
  }

  /** A use recorded on this node: ranking sees it at once. */
  setUsage(id: string, usageCount: number, lastUsedAt: Date): void {
    const n = this.#numberOf.get(id);
    const row = n === undefined ? undefined : this.#rows[n];
    if (row) this.#rows[n!] = { ...row, usageCount, lastUsedAt };
  }

  /** Read the counts other nodes recorded, at most every 30 s, without holding up the search. */
  refreshUsage(db: Executor, orgId: string): void {
    if (this.#usageReading || Date.now() - this.#usageReadAt < USAGE_REFRESH_MS) return;
    this.#usageReading = true;
    db.select({ id: cannedReplies.id, usageCount: cannedReplies.usageCount, lastUsedAt: cannedReplies.lastUsedAt })
      .from(cannedReplies)
      .where(eq(cannedReplies.orgId, orgId))
      .then(
        (rows) => {
          for (const r of rows) {
            const n = this.#numberOf.get(r.id);
            const row = n === undefined ? undefined : this.#rows[n];
            if (row && row.usageCount !== r.usageCount) this.#rows[n!] = { ...row, ...r };
          }
        },
        () => undefined,
      )
      .finally(() => {
        this.#usageReadAt = Date.now();
        this.#usageReading = false;
      });
  }

  /** Ids of the replies whose words match the query (any scope, any window): the admin list's search. */
  matchingIds(query: ReplyQuery): string[] {
    return [...this.#candidates(query, false)].flatMap((n) => (this.#rows[n] ? [this.#rows[n]!.id] : []));
  }

  /**
   * The composer's search: replies valid now for the store (its own, its platform's, the
   * org's; the agent's personal ones among them), ordered by scope, then keyword equal,
   * keyword prefix, text; then usage. Without a query: the most used, by scope.
   */
  search(query: ReplyQuery | null, filter: ReplyFilter, keywordsOnly: boolean): IndexedHit[] {
    const now = filter.now.getTime();
    const top = new TopReplies(filter.limit);
    const consider = (row: ReplyRow | undefined, withMatch: boolean) => {
      if (
        !row ||
        (row.ownerId !== null && row.ownerId !== filter.userId) ||
        (row.storeId !== null && row.storeId !== filter.storeId) ||
        (row.platform !== null && row.platform !== filter.platform) ||
        (row.validFrom !== null && row.validFrom.getTime() > now) ||
        (row.validUntil !== null && row.validUntil.getTime() <= now)
      ) {
        return;
      }
      const scope = scopeRank(row);
      if (!top.mayEnter(scope, Number.POSITIVE_INFINITY)) return;
      const match = withMatch && query ? keywordMatch(row, query) : 0;
      if (top.mayEnter(scope, match)) top.offer(row, scope, match);
    };
    if (!query) for (const row of this.#rows) consider(row, false);
    else for (const n of this.#candidates(query, keywordsOnly)) consider(this.#rows[n], true);
    return top.items.map((h) => ({ row: h.row, match: matchKinds[h.match]! }));
  }

  /** Documents matching the whole query as a word prefix, or every word as a prefix; else any word. */
  #candidates(query: ReplyQuery, keywordsOnly: boolean): Set<number> {
    const options = { prefix: true, ...(keywordsOnly && { weights: ["A" as const] }) };
    const found = this.#words.docs([query.text], options);
    // A query of one word is its whole text: already looked up.
    const perWord =
      query.words.length === 1 && query.words[0] === query.text
        ? []
        : query.words.map((w) => this.#words.docs([w], options));
    if (perWord.length > 0) {
      const [first, ...rest] = [...perWord].sort((a, b) => a.size - b.size);
      for (const n of first!) if (rest.every((m) => m.has(n))) found.add(n);
    }
    if (found.size === 0 && perWord.length > 1) for (const m of perWord) for (const n of m) found.add(n);
    return found;
  }
}

const matchKinds: ReplyMatchKind[] = ["none", "text", "keyword_prefix", "keyword"];

function keywordMatch(row: ReplyRow, query: ReplyQuery): number {
  if (row.keywords.some((k) => query.keywordCandidates.includes(k))) return 3;
  if (row.keywords.some((k) => query.keywordCandidates.some((c) => k.startsWith(c)))) return 2;
  return 1;
}

interface Ranked {
  row: ReplyRow;
  scope: number;
  match: number;
}

function compare(a: Ranked, b: Ranked): number {
  return (
    b.scope - a.scope ||
    b.match - a.match ||
    b.row.usageCount - a.row.usageCount ||
    b.row.updatedAt.getTime() - a.row.updatedAt.getTime() ||
    (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0)
  );
}

/** The first `limit` in order, kept as they come: no sort of everything, no object for those that do not make it. */
class TopReplies {
  readonly items: Ranked[] = [];
  readonly #limit: number;
  constructor(limit: number) {
    this.#limit = limit;
  }
  /** False when a reply of this scope and match cannot enter, whatever its usage. */
  mayEnter(scope: number, match: number): boolean {
    const last = this.items[this.#limit - 1];
    return !last || scope > last.scope || (scope === last.scope && match >= last.match);
  }

  offer(row: ReplyRow, scope: number, match: number): void {
    const items = this.items;
    const last = items[this.#limit - 1];
    if (last && compare({ row, scope, match }, last) >= 0) return;
    const item = { row, scope, match };
    let i = items.length < this.#limit ? items.length : this.#limit - 1;
    items[i] = item;
    while (i > 0 && compare(item, items[i - 1]!) < 0) {
      items[i] = items[i - 1]!;
      items[i - 1] = item;
      i--;
    }
  }
}

export const replyIndexOf = async (ctx: AppContext, orgId: string): Promise<ReplyIndex> => {
  const index = await freshIndex(ctx, orgId, "replies", () => new ReplyIndex());
  index.refreshUsage(ctx.db, orgId);
  return index;
};
