import { bigrams, indexWords, normalize, queryWords, type Weight, withSynonyms } from "../library/text.ts";

/** How much of an article's text goes into the bigram fallback (titles always whole). */
export const GRAM_TEXT_CHARS = 3000;

type Parts = { words: string[]; weight: Weight }[];

/** Words of the title (A), tags (B) and text (D). */
export function articleWords(a: { title: string; tags: string[]; plainText: string }): Parts {
  const tags = a.tags.map(normalize);
  return [
    { words: indexWords(a.title), weight: "A" },
    { words: [...tags, ...tags.flatMap(indexWords)], weight: "B" },
    { words: indexWords(a.plainText), weight: "D" },
  ];
}

/** Character bigrams of the title (A) and the start of the text (D): what still matches a misspelt query. */
export function articleGrams(a: { title: string; plainText: string }): Parts {
  return [
    { words: bigrams(a.title), weight: "A" },
    { words: bigrams(a.plainText.slice(0, GRAM_TEXT_CHARS)), weight: "D" },
  ];
}

/** One word of the query and the words that mean the same; the last word of the query may still be being typed. */
export interface QueryGroup {
  words: string[];
  /** Also match indexed words that start with the first one. */
  prefix: boolean;
}

export interface KnowledgeQuery {
  groups: QueryGroup[];
  /** The query's character bigrams: the last resort, for typos and text jieba cuts differently. */
  grams: string[];
  /** The words to highlight, synonyms included. */
  highlights: string[];
}

/** A question as typed (`退钱要多久`, `码数怎么选`, `退款进读`). */
export function knowledgeQuery(text: string): KnowledgeQuery {
  const words = queryWords(text);
  const groups = words.map((w, i) => ({
    words: withSynonyms(w),
    prefix: i === words.length - 1 && [...w].length >= 2,
  }));
  return {
    groups,
    grams: [...new Set(bigrams(text, 40))],
    highlights: [...new Set(groups.flatMap((g) => g.words))],
  };
}
