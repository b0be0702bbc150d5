import type { Weight } from "./text.ts";

/**
 * An inverted index of words, in memory: for each word, the documents that contain it
 * and how often, per weight (A title or keyword … D text), packed in one number
 * (8 bits per weight: A << 24 | B << 16 | C << 8 | D). Words are also kept sorted, so a
 * prefix (what the agent has typed so far) finds every word it starts.
 *
 * Postings are only ever appended: `add` gives a new document number, `remove` marks
 * one dead (searches skip it), and once dead postings outnumber live ones they are
 * swept out. An edit is therefore remove + add, whatever the size of the index.
 */
export class TextIndex {
  readonly #lists = new Map<string, { docs: number[]; counts: number[] }>();
  readonly #alive: boolean[] = [];
  readonly #length: number[] = [];
  #live = 0;
  #dead = 0;
  #totalLength = 0;
  #sorted: string[] | null = null;

  /** Live documents. */
  get size(): number {
    return this.#live;
  }

  /** Document numbers given so far (live or not): the size of per-document arrays. */
  get capacity(): number {
    return this.#alive.length;
  }

  /** Mean document length in words (for length normalisation). */
  get averageLength(): number {
    return this.#live === 0 ? 1 : this.#totalLength / this.#live;
  }

  lengthOf(doc: number): number {
    return this.#length[doc] ?? 0;
  }

  isAlive(doc: number): boolean {
    return this.#alive[doc] === true;
  }

  /** Index a new document; answers its number. */
  add(parts: { words: string[]; weight: Weight }[]): number {
    const doc = this.#alive.length;
    const counts = new Map<string, number>();
    let length = 0;
    for (const part of parts) {
      const shift = shifts[part.weight];
      for (const word of part.words) {
        const c = counts.get(word) ?? 0;
        counts.set(word, ((c >>> shift) & 0xff) < 0xff ? c + (1 << shift) : c);
        length++;
      }
    }
    for (const [word, c] of counts) {
      let list = this.#lists.get(word);
      if (!list) {
        list = { docs: [], counts: [] };
        this.#lists.set(word, list);
        this.#sorted = null;
      }
      list.docs.push(doc);
      list.counts.push(c >>> 0);
    }
    this.#alive.push(true);
    this.#length.push(length);
    this.#live++;
    this.#totalLength += length;
    return doc;
  }

  remove(doc: number): void {
    if (!this.#alive[doc]) return;
    this.#alive[doc] = false;
    this.#live--;
    this.#dead++;
    this.#totalLength -= this.#length[doc] ?? 0;
    if (this.#dead > 1000 && this.#dead > this.#live) this.#sweep();
  }

  /** Calls `visit` for every live document containing the word, with its packed counts. */
  forEach(word: string, visit: (doc: number, counts: number) => void): void {
    const list = this.#lists.get(word);
    if (!list) return;
    const { docs, counts } = list;
    for (let i = 0; i < docs.length; i++) if (this.#alive[docs[i]!]) visit(docs[i]!, counts[i]!);
  }

  /** Every indexed word that starts with the prefix (the prefix itself included). */
  wordsStartingWith(prefix: string): string[] {
    if (!this.#sorted) this.#sorted = [...this.#lists.keys()].sort();
    const sorted = this.#sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
    return out;
  }

  /** The words and, with `prefix`, every word they start. */
  expand(words: string[], prefix: boolean): string[] {
    if (!prefix) return words;
    const out = new Set<string>();
    for (const w of words) for (const x of this.wordsStartingWith(w)) out.add(x);
    return [...out];
  }

  /** Documents containing one of the words (or a word they start), counting only the given weights. */
  docs(words: string[], options: { prefix?: boolean; weights?: Weight[] } = {}): Set<number> {
    const mask = options.weights ? options.weights.reduce((m, w) => m | (0xff << shifts[w]), 0) : -1;
    const found = new Set<number>();
    for (const word of this.expand(words, options.prefix ?? false)) {
      this.forEach(word, (doc, counts) => {
        if ((counts & mask) !== 0) found.add(doc);
      });
    }
    return found;
  }

  #sweep(): void {
    for (const [word, list] of this.#lists) {
      const docs: number[] = [];
      const counts: number[] = [];
      for (let i = 0; i < list.docs.length; i++) {
        if (this.#alive[list.docs[i]!]) {
          docs.push(list.docs[i]!);
          counts.push(list.counts[i]!);
        }
      }
      if (docs.length === 0) this.#lists.delete(word);
      else this.#lists.set(word, { docs, counts });
    }
    this.#sorted = null;
    this.#dead = 0;
  }
}

const shifts: Record<Weight, number> = { A: 24, B: 16, C: 8, D: 0 };

/** The count of one weight in packed counts. */
export const countOf = (counts: number, weight: Weight): number => (counts >>> shifts[weight]) & 0xff;
