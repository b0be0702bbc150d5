import fs from "node:fs";
import { type Intent, intents } from "@yunxi/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCorpus, CORPUS_FILE, type CorpusRow, corpusToJsonl, readCorpus, splitOf } from "../corpus/corpus.ts";
import { loadModel, MODEL_FILE, modelToJsonl } from "./model.ts";
import { type Evaluation, evaluate, trainModel } from "./train.ts";

/**
 * The shipped model against the held-out split of the shipped corpus, with floors a little
 * below what it measures (figures: corpus/README.md). A change that makes the model worse
 * fails here; a change to the corpus or the training that is not followed by
 * `npm run train:classifier` fails the reproduction tests.
 */

const ACCURACY_FLOOR = 0.87;
const MACRO_F1_FLOOR = 0.88;
const DEFAULT_FLOOR = { precision: 0.8, recall: 0.8 };
/** The catch-all and phatic classes overlap by nature (么么哒, 不需要了谢谢); so do product questions and usage help. */
const floors: Partial<Record<Intent, { precision: number; recall: number }>> = {
  "售前-商品咨询": { precision: 0.77, recall: 0.77 },
  "其他-问候": { precision: 0.66, recall: 0.82 },
  其他: { precision: 0.66, recall: 0.75 },
};

describe("intent model quality on the held-out split", () => {
  let corpus: CorpusRow[];
  let heldOut: Evaluation;

  beforeAll(() => {
    corpus = readCorpus();
    heldOut = evaluate(
      loadModel(),
      corpus.filter((r) => r.split === "test"),
    );
  });

  it("has a corpus of every intent, with enough phrasings of each and a held-out fifth", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(2000);
    for (const intent of intents) {
      const of = corpus.filter((r) => r.intent === intent);
      expect(of.filter((r) => r.source === "hand" || r.source === "template").length, intent).toBeGreaterThanOrEqual(
        120,
      );
      expect(
        of.some((r) => r.split === "test"),
        intent,
      ).toBe(true);
    }
    const share = corpus.filter((r) => r.split === "test").length / corpus.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    // No line is in both splits, and hand-written lines sit where their hash puts them.
    const train = new Set(corpus.filter((r) => r.split === "train").map((r) => r.text));
    expect(corpus.filter((r) => r.split === "test" && train.has(r.text))).toEqual([]);
    for (const r of corpus.filter((r) => r.source === "hand")) expect(r.split).toBe(splitOf(r.intent, r.text));
  });

  it(`reaches ${ACCURACY_FLOOR * 100} % accuracy and ${MACRO_F1_FLOOR * 100} % macro F1`, () => {
    expect(heldOut.accuracy).toBeGreaterThanOrEqual(ACCURACY_FLOOR);
    expect(heldOut.macroF1).toBeGreaterThanOrEqual(MACRO_F1_FLOOR);
  });

  it("reaches the precision and recall floor of every intent", () => {
    const below = heldOut.perLabel.flatMap((s) => {
      const floor = floors[s.label] ?? DEFAULT_FLOOR;
      return s.precision < floor.precision || s.recall < floor.recall
        ? [`${s.label}: precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}`]
        : [];
    });
    expect(below).toEqual([]);
  });

  it("is right far more often when it is confident", () => {
    const confident = heldOut.byConfidence.find((b) => b.threshold === 0.7)!;
    expect(confident.accuracy).toBeGreaterThanOrEqual(0.93);
    expect(confident.share).toBeGreaterThanOrEqual(0.6);
  });
});

describe("reproducibility", () => {
  it("the shipped corpus is what its sources build (run `npm run train:classifier` after editing them)", () => {
    expect(corpusToJsonl(buildCorpus()) === fs.readFileSync(CORPUS_FILE, "utf8")).toBe(true);
  });

  it("training on the shipped corpus gives the shipped model, byte for byte", { timeout: 120_000 }, () => {
    const train = readCorpus().filter((r) => r.split === "train");
    const retrained = modelToJsonl(trainModel(train));
    const shipped = fs.readFileSync(MODEL_FILE, "utf8");
    expect(retrained.length).toBe(shipped.length);
    expect(retrained === shipped).toBe(true);
  });

  it("keeps the model file small", () => {
    expect(fs.statSync(MODEL_FILE).size).toBeLessThan(2 * 1024 * 1024);
  });
});
