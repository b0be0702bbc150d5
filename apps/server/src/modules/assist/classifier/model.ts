import fs from "node:fs";
import path from "node:path";
import { type Intent, intents } from "@yunxi/contracts";
import { features } from "./features.ts";

/**
 * The intent model: multinomial logistic regression (softmax) over the character n-grams of
 * `features.ts`. Each message is a binary bag of its n-grams scaled by 1/√n (n: all its
 * n-grams, known to the model or not), so long and short messages weigh alike. Stored with
 * weights as integers (hundredths) and only those that matter, so the file stays small.
 */

/**
 * JSON Lines: the first line holds labels, scale and biases; each further line one n-gram and
 * its weights. (One line per n-gram diffs readably; and as `.jsonl` the formatter leaves it alone.)
 */
export const MODEL_FILE = path.join(import.meta.dirname, "intent-model.jsonl");
export const MODEL_FORMAT = "yunxi-intent-softmax/1";

export interface ModelJson {
  format: typeof MODEL_FORMAT;
  labels: Intent[];
  /** Weights are integers: value × scale. */
  scale: number;
  /** How it was trained: options and corpus size, for the record. */
  training: Record<string, number | string>;
  bias: number[];
  /** n-gram → [label index, weight, label index, weight, …]. */
  weights: Record<string, number[]>;
}

/** The model in memory: n-gram → row number; row r's (label, weight) pairs are `weights[ends[r-1] … ends[r])`. */
export interface IntentModel {
  labels: readonly Intent[];
  bias: Float64Array;
  rows: Map<string, number>;
  ends: Int32Array;
  weights: Float64Array;
}

export interface Prediction {
  /** Probability per label, in `labels` order. */
  probabilities: Float64Array;
  /** Index of the most probable label. */
  best: number;
  /** How many of the message's n-grams the model knows; 0 means it knows nothing of this text. */
  knownFeatures: number;
}

function buildModel(head: Omit<ModelJson, "weights">, entries: readonly (readonly [string, number[]])[]): IntentModel {
  if (head.format !== MODEL_FORMAT) throw new Error(`intent model: unknown format ${head.format}`);
  const known = new Set<string>(intents);
  for (const label of head.labels) if (!known.has(label)) throw new Error(`intent model: unknown label ${label}`);
  let total = 0;
  for (const [, pairs] of entries) total += pairs.length;
  const weights = new Float64Array(total);
  const ends = new Int32Array(entries.length);
  const rows = new Map<string, number>();
  let at = 0;
  entries.forEach(([gram, pairs], r) => {
    rows.set(gram, r);
    for (let i = 0; i < pairs.length; i += 2) {
      weights[at + i] = pairs[i]!;
      weights[at + i + 1] = pairs[i + 1]! / head.scale;
    }
    at += pairs.length;
    ends[r] = at;
  });
  return { labels: head.labels, bias: Float64Array.from(head.bias, (b) => b / head.scale), rows, ends, weights };
}

export const modelFromJson = ({ weights, ...head }: ModelJson): IntentModel =>
  buildModel(head, Object.entries(weights));

export function modelToJsonl(model: ModelJson): string {
  const { weights, ...head } = model;
  const lines = [JSON.stringify(head)];
  for (const [gram, pairs] of Object.entries(weights)) lines.push(JSON.stringify([gram, pairs]));
  return `${lines.join("\n")}\n`;
}

/** The file's header and rows; the rows are parsed as one JSON array (much faster than line by line). */
function parseJsonl(text: string): { head: Omit<ModelJson, "weights">; entries: [string, number[]][] } {
  const newline = text.indexOf("\n");
  if (newline < 0) throw new Error("intent model: no header line");
  const body = text.slice(newline + 1).trimEnd();
  return {
    head: JSON.parse(text.slice(0, newline)) as Omit<ModelJson, "weights">,
    entries: body === "" ? [] : (JSON.parse(`[${body.replaceAll("\n", ",")}]`) as [string, number[]][]),
  };
}

export function parseModelJsonl(text: string): ModelJson {
  const { head, entries } = parseJsonl(text);
  return { ...head, weights: Object.fromEntries(entries) };
}

export function loadModel(file = MODEL_FILE): IntentModel {
  const { head, entries } = parseJsonl(fs.readFileSync(file, "utf8"));
  return buildModel(head, entries);
}

/** Scores for already extracted n-grams (the training script uses this on its in-memory model too). */
export function predictFeatures(model: IntentModel, grams: readonly string[]): Prediction {
  const n = model.labels.length;
  const scores = new Float64Array(n);
  // Scaled by all the message's features, known or not: a message the model half-knows scores lower.
  const value = grams.length > 0 ? 1 / Math.sqrt(grams.length) : 0;
  const { rows, ends, weights } = model;
  let knownFeatures = 0;
  for (const gram of grams) {
    const r = rows.get(gram);
    if (r === undefined) continue;
    knownFeatures++;
    for (let i = r === 0 ? 0 : ends[r - 1]!, end = ends[r]!; i < end; i += 2) {
      scores[weights[i]!]! += weights[i + 1]! * value;
    }
  }
  let best = 0;
  for (let c = 0; c < n; c++) {
    scores[c]! += model.bias[c]!;
    if (scores[c]! > scores[best]!) best = c;
  }
  const max = scores[best]!;
  let sum = 0;
  for (let c = 0; c < n; c++) {
    scores[c] = Math.exp(scores[c]! - max);
    sum += scores[c]!;
  }
  for (let c = 0; c < n; c++) scores[c]! /= sum;
  return { probabilities: scores, best, knownFeatures };
}

export const predict = (model: IntentModel, text: string): Prediction => predictFeatures(model, features(text));
