import { type Intent, intents } from "@yunxi/contracts";
import { seededRng } from "../corpus/rng.ts";
import { features } from "./features.ts";
import {
  type IntentModel,
  MODEL_FORMAT,
  type ModelJson,
  modelFromJson,
  modelToJsonl,
  parseModelJsonl,
  predict,
} from "./model.ts";

/**
 * Training and evaluation of the intent model. Deterministic: examples are visited in an
 * order drawn from a fixed seed, all arithmetic is in doubles in a fixed order, and the
 * weights are rounded before they are written, so the same corpus gives the same JSON.
 */

export interface TrainingOptions {
  /** Passes over the training set. */
  epochs: number;
  /** AdaGrad step size. */
  learningRate: number;
  /** L2 penalty, applied to the weights an example touches. */
  l2: number;
  /** An n-gram must occur in this many training messages to be a feature. */
  minCount: number;
  /** Weights are stored as integers in 1/scale units… */
  scale: number;
  /** …and those smaller than this are left out (they barely move a score, and they weigh on the file). */
  prune: number;
  seed: number;
}

export const defaultTrainingOptions: TrainingOptions = {
  epochs: 30,
  learningRate: 0.2,
  l2: 1e-5,
  minCount: 2,
  scale: 100,
  prune: 0.3,
  seed: 20261101,
};

export interface LabelledText {
  text: string;
  intent: Intent;
}

export function trainModel(
  examples: readonly LabelledText[],
  options: TrainingOptions = defaultTrainingOptions,
): ModelJson {
  const labels = [...intents];
  const C = labels.length;
  const labelIndex = new Map<string, number>(labels.map((l, i) => [l, i]));
  const grams = examples.map((e) => features(e.text));

  const documentFrequency = new Map<string, number>();
  for (const g of grams) for (const gram of g) documentFrequency.set(gram, (documentFrequency.get(gram) ?? 0) + 1);
  const vocabulary = [...documentFrequency.entries()]
    .filter(([, n]) => n >= options.minCount)
    .map(([gram]) => gram)
    .sort();
  const featureIndex = new Map<string, number>(vocabulary.map((g, i) => [g, i]));

  const data = examples
    .map((e, i) => {
      const idx = Int32Array.from(
        grams[i]!.flatMap((g) => {
          const f = featureIndex.get(g);
          return f === undefined ? [] : [f];
        }),
      ).sort();
      // Scaled by all the message's features, known or not, as the classifier does.
      return { idx, value: 1 / Math.sqrt(grams[i]!.length), y: labelIndex.get(e.intent)! };
    })
    .filter((d) => d.idx.length > 0);

  const W = new Float64Array(vocabulary.length * C);
  const GW = new Float64Array(vocabulary.length * C);
  const b = new Float64Array(C);
  const Gb = new Float64Array(C);
  const p = new Float64Array(C);
  const rng = seededRng(options.seed);
  const order = data.map((_, i) => i);
  const eps = 1e-8;

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const { idx, value, y } = data[k]!;
      for (let c = 0; c < C; c++) p[c] = b[c]!;
      for (const f of idx) {
        const base = f * C;
        for (let c = 0; c < C; c++) p[c]! += W[base + c]! * value;
      }
      let max = p[0]!;
      for (let c = 1; c < C; c++) if (p[c]! > max) max = p[c]!;
      let sum = 0;
      for (let c = 0; c < C; c++) {
        p[c] = Math.exp(p[c]! - max);
        sum += p[c]!;
      }
      for (let c = 0; c < C; c++) {
        const g = p[c]! / sum - (c === y ? 1 : 0);
        p[c] = g;
        Gb[c]! += g * g;
        b[c]! -= (options.learningRate * g) / (Math.sqrt(Gb[c]!) + eps);
      }
      for (const f of idx) {
        const base = f * C;
        for (let c = 0; c < C; c++) {
          const at = base + c;
          const g = p[c]! * value + options.l2 * W[at]!;
          GW[at]! += g * g;
          W[at]! -= (options.learningRate * g) / (Math.sqrt(GW[at]!) + eps);
        }
      }
    }
  }

  const weights: Record<string, number[]> = {};
  vocabulary.forEach((gram, f) => {
    // A feature adds its value to every label's score alike, so a constant added to all of a
    // feature's weights changes no prediction: centre each row on its median, so that the labels
    // the feature says little about sit near 0 and can be left out.
    const row = W.slice(f * C, f * C + C);
    const sorted = Float64Array.from(row).sort();
    const median = (sorted[(C >> 1) - 1]! + sorted[C >> 1]!) / 2;
    const pairs: number[] = [];
    for (let c = 0; c < C; c++) {
      const w = row[c]! - median;
      if (Math.abs(w) >= options.prune && Math.round(w * options.scale) !== 0)
        pairs.push(c, Math.round(w * options.scale));
    }
    if (pairs.length > 0) weights[gram] = pairs;
  });
  return {
    format: MODEL_FORMAT,
    labels,
    scale: options.scale,
    training: {
      algorithm: "softmax regression, AdaGrad, char 1-3-grams",
      examples: data.length,
      features: vocabulary.length,
      epochs: options.epochs,
      learningRate: options.learningRate,
      l2: options.l2,
      minCount: options.minCount,
      prune: options.prune,
      seed: options.seed,
    },
    bias: Array.from(b, (x) => Math.round(x * options.scale)),
    weights,
  };
}

export interface LabelScores {
  label: Intent;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Evaluation {
  examples: number;
  accuracy: number;
  macroF1: number;
  perLabel: LabelScores[];
  /** confusion[actual][predicted] = count, for the pairs that are not zero. */
  confusions: { actual: Intent; predicted: Intent; count: number }[];
  /** Accuracy and share of messages at or above each confidence threshold. */
  byConfidence: { threshold: number; share: number; accuracy: number }[];
}

export function evaluate(model: IntentModel, examples: readonly LabelledText[]): Evaluation {
  const labels = model.labels;
  const index = new Map<string, number>(labels.map((l, i) => [l, i]));
  const C = labels.length;
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  const scored: { confidence: number; correct: boolean }[] = [];
  for (const e of examples) {
    const prediction = predict(model, e.text);
    const actual = index.get(e.intent)!;
    confusion[actual]![prediction.best]!++;
    scored.push({ confidence: prediction.probabilities[prediction.best]!, correct: prediction.best === actual });
  }
  const perLabel = labels.map((label, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, x) => a + x, 0);
    const predicted = confusion.reduce((a, row) => a + row[c]!, 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, support, precision, recall, f1 };
  });
  const correct = scored.filter((s) => s.correct).length;
  const confusions: Evaluation["confusions"] = [];
  for (let a = 0; a < C; a++)
    for (let p = 0; p < C; p++)
      if (a !== p && confusion[a]![p]! > 0)
        confusions.push({ actual: labels[a]!, predicted: labels[p]!, count: confusion[a]![p]! });
  confusions.sort((x, y) => y.count - x.count);
  const byConfidence = [0.3, 0.5, 0.7, 0.9].map((threshold) => {
    const above = scored.filter((s) => s.confidence >= threshold);
    return {
      threshold,
      share: above.length / Math.max(1, scored.length),
      accuracy: above.length === 0 ? 0 : above.filter((s) => s.correct).length / above.length,
    };
  });
  return {
    examples: examples.length,
    accuracy: correct / Math.max(1, examples.length),
    macroF1: perLabel.reduce((a, s) => a + s.f1, 0) / C,
    perLabel,
    confusions,
    byConfidence,
  };
}

/** Train, then load the model back from its JSON, exactly as the server will. */
export function trainAndLoad(
  examples: readonly LabelledText[],
  options?: TrainingOptions,
): { json: ModelJson; model: IntentModel } {
  const json = trainModel(examples, options);
  return { json, model: modelFromJson(parseModelJsonl(modelToJsonl(json))) };
}
