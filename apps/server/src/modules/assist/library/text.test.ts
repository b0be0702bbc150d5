import { describe, expect, it } from "vitest";
import { knowledgeQuery } from "../kb/search-vector.ts";
import { replyQuery } from "../replies/search-vector.ts";
import { bigrams, indexWords, queryWords, snippetOf, withSynonyms } from "./text.ts";
import { countOf, TextIndex } from "./text-index.ts";

describe("segmentation", () => {
  it("keeps marketplace and CS words whole", () => {
    expect(queryWords("抖音-尺码")).toEqual(["抖音", "尺码"]);
    expect(queryWords("运费险怎么理赔")).toEqual(["运费险", "理赔"]);
    expect(queryWords("双11活动规则")).toContain("双11");
    expect(indexWords("七天无理由退换货")).toEqual(expect.arrayContaining(["七天无理由", "退换货"]));
  });

  it("drops stop words from queries, unless nothing else is left", () => {
    expect(queryWords("我想退钱要多久")).toEqual(["退钱", "多久"]);
    expect(queryWords("怎么")).toEqual(["怎么"]);
  });

  it("normalizes width and case", () => {
    expect(queryWords("ＸＬ码")).toContain("xl");
  });

  it("makes character bigrams of Chinese runs and keeps other words whole", () => {
    expect(bigrams("退款进读")).toEqual(["退款", "款进", "进读"]);
    expect(bigrams("XL 码")).toEqual(["xl", "码"]);
  });

  it("knows synonyms", () => {
    expect(withSynonyms("退钱")).toEqual(["退钱", "退款", "退费", "返款"]);
    expect(withSynonyms("独一无二")).toEqual(["独一无二"]);
  });
});

describe("queries", () => {
  it("reads the composer's query: without the slash, platform names set apart", () => {
    expect(replyQuery("/抖音-尺码")).toEqual({
      text: "抖音-尺码",
      words: ["尺码"],
      keywordCandidates: ["抖音-尺码", "尺码"],
    });
    expect(replyQuery("／")).toBeNull();
    expect(replyQuery("尺码 偏大")!.words).toEqual(["尺码", "偏大"]);
  });

  it("reads a question into words with their synonyms, the last one a prefix", () => {
    const q = knowledgeQuery("退钱多久");
    expect(q.groups).toEqual([
      { words: ["退钱", "退款", "退费", "返款"], prefix: false },
      { words: ["多久", "多长时间", "几天"], prefix: true },
    ]);
    expect(q.grams).toEqual(["退钱", "钱多", "多久"]);
    expect(q.highlights).toContain("退款");
  });
});

describe("the in-memory index", () => {
  it("finds documents by word, by prefix and by weight, and skips removed ones", () => {
    const index = new TextIndex();
    const one = index.add([
      { words: ["尺码", "尺码推荐", "尺码"], weight: "A" },
      { words: ["偏大"], weight: "D" },
    ]);
    const two = index.add([{ words: ["尺寸", "尺码"], weight: "D" }]);
    expect([...index.docs(["尺码"])].sort()).toEqual([one, two]);
    expect([...index.docs(["尺码"], { weights: ["A"] })]).toEqual([one]);
    expect(index.wordsStartingWith("尺")).toEqual(["尺寸", "尺码", "尺码推荐"]);
    expect([...index.docs(["尺码推"], { prefix: true })]).toEqual([one]);
    const seen: [number, number, number][] = [];
    index.forEach("尺码", (doc, counts) => seen.push([doc, countOf(counts, "A"), countOf(counts, "D")]));
    expect(seen).toEqual([
      [one, 2, 0],
      [two, 0, 1],
    ]);
    expect(index.averageLength).toBe(3);
    index.remove(one);
    const three = index.add([{ words: ["发货"], weight: "B" }]);
    expect([...index.docs(["尺码"])]).toEqual([two]);
    expect([...index.docs(["发货"])]).toEqual([three]);
    expect(index.size).toBe(2);
    expect(index.capacity).toBe(3);
  });

  it("sweeps dead postings once they outnumber live ones", () => {
    const index = new TextIndex();
    let doc = index.add([{ words: ["a"], weight: "D" }]);
    for (let i = 0; i < 1500; i++) {
      index.remove(doc);
      doc = index.add([{ words: ["a", `w${i}`], weight: "D" }]);
    }
    expect([...index.docs(["a"])]).toEqual([doc]);
    expect(index.wordsStartingWith("w").length).toBeLessThan(1000);
  });
});

describe("snippets", () => {
  it("cuts around the first match", () => {
    const text = `${"前言".repeat(60)}这里讲退款进度${"后记".repeat(60)}`;
    const s = snippetOf(text, ["退款"], 40);
    expect(s).toContain("退款");
    expect(s.startsWith("…")).toBe(true);
    expect(snippetOf("短文本", ["无"])).toBe("短文本");
  });
});
