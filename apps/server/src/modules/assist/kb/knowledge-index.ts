import type { KbSearchHit } from "@yunxi/contracts";
import { and, eq, getTableColumns, gt } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { categoryPaths } from "../library/categories.ts";
import { freshIndex, type SyncedIndex } from "../library/index-cache.ts";
import { countOf, TextIndex } from "../library/text-index.ts";
import { kbArticles } from "../tables.ts";
import { articleGrams, articleWords, GRAM_TEXT_CHARS, type KnowledgeQuery } from "./search-vector.ts";

/** An article as the index keeps it: everything a search result shows, and the start of its text for snippets. */
export type IndexedArticle = Omit<typeof kbArticles.$inferSelect, "body">;

export interface ArticleFilter {
  /** The stores whose articles count (besides org-wide ones); null: every store. */
  storeIds: readonly string[] | null;
  categoryIds: ReadonlySet<string> | null;
  limit: number;
}

export interface ScoredArticle {
  article: IndexedArticle;
  score: number;
  match: KbSearchHit["match"];
}

const K1 = 1.2;
const B = 0.75;

/**
 * The org's articles in memory with two indexes: jieba words (title, tags, text) and
 * character bigrams (title, start of text). Ranking is BM25 over the query's words, each
 * with its synonyms: rarer words count more, repeated words less and less, long
 * articles are not favoured for being long.
 */
export class KnowledgeIndex implements SyncedIndex {
  readonly #words = new TextIndex();
  readonly #grams = new TextIndex();
  readonly #articles: (IndexedArticle | undefined)[] = [];
  readonly #numberOf = new Map<string, number>();
  categoryPaths = new Map<string, string>();

  async sync(db: Executor, orgId: string, fromRevision: number): Promise<void> {
    this.categoryPaths = await categoryPaths(db, orgId, "kb");
    const { body: _body, ...columns } = getTableColumns(kbArticles);
    const rows = await db
      .select(columns)
      .from(kbArticles)
      .where(and(eq(kbArticles.orgId, orgId), gt(kbArticles.revision, fromRevision)));
    if (fromRevision >= 0) {
      const ids = new Set(
        (await db.select({ id: kbArticles.id }).from(kbArticles).where(eq(kbArticles.orgId, orgId))).map((r) => r.id),
      );
      for (const id of [...this.#numberOf.keys()]) if (!ids.has(id)) this.delete(id);
    }
    for (const row of rows) this.put(row);
  }

  put(row: IndexedArticle): void {
    const previous = this.#numberOf.get(row.id);
    if (previous !== undefined) this.#forget(previous);
    // Both indexes number documents in step: every put adds one to each.
    const n = this.#words.add(articleWords(row));
    this.#grams.add(articleGrams(row));
    // Snippets come from the start of the text; the rest of it lives in the words.
    this.#articles[n] = { ...row, plainText: row.plainText.slice(0, GRAM_TEXT_CHARS) };
    this.#numberOf.set(row.id, n);
  }

  delete(id: string): void {
    const n = this.#numberOf.get(id);
    if (n === undefined) return;
    this.#forget(n);
    this.#numberOf.delete(id);
  }

  #forget(n: number): void {
    this.#words.remove(n);
    this.#grams.remove(n);
    this.#articles[n] = undefined;
  }

  /**
   * Articles with every word of the query (or a synonym) first, then those with some;
   * only when no word matches at all, those sharing at least half the query's character
   * bigrams (typos). BM25 orders within each.
   */
  search(query: KnowledgeQuery, filter: ArticleFilter): ScoredArticle[] {
    const visible = (n: number) => {
      const a = this.#articles[n];
      if (!a) return undefined;
      if (a.storeId !== null && filter.storeIds !== null && !filter.storeIds.includes(a.storeId)) return undefined;
      if (filter.categoryIds && (a.categoryId === null || !filter.categoryIds.has(a.categoryId))) return undefined;
      return a;
    };
    const groups = query.groups.map((g) => [
      ...new Set([...g.words, ...(g.prefix ? this.#words.wordsStartingWith(g.words[0]!) : [])]),
    ]);
    let found = this.#score(
      this.#words,
      groups,
      filter.limit,
      (matched) => {
        return matched === groups.length ? "words" : "any_word";
      },
      visible,
    );
    if (found.length === 0 && query.grams.length > 0) {
      const needed = Math.max(1, Math.ceil(query.grams.length / 2));
      found = this.#score(
        this.#grams,
        query.grams.map((g) => [g]),
        filter.limit,
        (matched) => (matched >= needed ? "characters" : null),
        visible,
      );
    }
    return found;
  }

  /** BM25 of each document over the groups (each a word and its synonyms); the best `limit`. */
  #score(
    index: TextIndex,
    groups: string[][],
    limit: number,
    stageOf: (matchedGroups: number) => KbSearchHit["match"] | null,
    visible: (n: number) => IndexedArticle | undefined,
  ): ScoredArticle[] {
    const total = index.size;
    const averageLength = index.averageLength;
    const scores = new Float64Array(index.capacity);
    const matched = new Uint8Array(index.capacity);
    const tf = new Float64Array(index.capacity);
    const touched: number[] = [];
    for (const words of groups) {
      const inGroup: number[] = [];
      for (const word of words) {
        index.forEach(word, (doc, counts) => {
          if (tf[doc] === 0) inGroup.push(doc);
          tf[doc]! += weighted(counts);
        });
      }
      if (inGroup.length === 0) continue;
      const idf = Math.log(1 + (total - inGroup.length + 0.5) / (inGroup.length + 0.5));
      for (const doc of inGroup) {
        const f = tf[doc]!;
        tf[doc] = 0;
        const norm = K1 * (1 - B + (B * index.lengthOf(doc)) / averageLength);
        if (matched[doc] === 0) touched.push(doc);
        scores[doc]! += (idf * f * (K1 + 1)) / (f + norm);
        matched[doc]!++;
      }
    }
    const stageRank = { words: 0, any_word: 1, characters: 2 } as const;
    const best: ScoredArticle[] = [];
    const better = (a: ScoredArticle, b: ScoredArticle) =>
      stageRank[a.match] - stageRank[b.match] ||
      b.score - a.score ||
      b.article.updatedAt.getTime() - a.article.updatedAt.getTime() ||
      (a.article.id < b.article.id ? -1 : 1);
    for (const doc of touched) {
      const match = stageOf(matched[doc]!);
      if (!match) continue;
      const last = best[limit - 1];
      // Cheap test first: a worse stage, or the same stage with a lower score, cannot enter.
      if (last && (stageRank[match] > stageRank[last.match] || (match === last.match && scores[doc]! < last.score))) {
        continue;
      }
      const article = visible(doc);
      if (!article) continue;
      const item = { article, score: scores[doc]!, match };
      if (last && better(item, last) >= 0) continue;
      let i = best.length < limit ? best.length : limit - 1;
      best[i] = item;
      while (i > 0 && better(item, best[i - 1]!) < 0) {
        best[i] = best[i - 1]!;
        best[i - 1] = item;
        i--;
      }
    }
    return best;
  }
}

/** Title words weigh most, then tags, then the text. */
const weighted = (counts: number): number =>
  countOf(counts, "A") * 4 + countOf(counts, "B") * 2 + countOf(counts, "C") + countOf(counts, "D");

export const knowledgeIndexOf = (ctx: AppContext, orgId: string): Promise<KnowledgeIndex> =>
  freshIndex(ctx, orgId, "kb", () => new KnowledgeIndex());
