import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Intent, intents } from "@yunxi/contracts";
import { addNoise } from "./noise.ts";
import { type Rng, rngFor } from "./rng.ts";
import { slots, templates } from "./templates.ts";

/**
 * The labelled corpus of buyer messages the intent model is trained and tested on.
 *
 * Sources (edit these, then run `npm run train:classifier`, which rebuilds `corpus.jsonl`):
 *   - `handwritten/<intent>.txt`: one message per line, written by hand;
 *   - `templates.ts`: templates × slot values, each template filled a few times;
 *   - every line of both also twice more with buyer-style noise (`noise.ts`: typos, emoji, 亲, …).
 *
 * The held-out split is fixed by a hash of the line's *origin* (the hand-written line or the
 * template), 20 %: a noisy variant or a template fill is always on the same side as its origin,
 * so the test never scores a line whose twin the model was trained on.
 */

export const CORPUS_DIR = import.meta.dirname;
export const CORPUS_FILE = path.join(CORPUS_DIR, "corpus.jsonl");
const HANDWRITTEN_DIR = path.join(CORPUS_DIR, "handwritten");

/** How many lines each template yields. */
const FILLS_PER_TEMPLATE = 4;
/** Noisy renderings of each line (fewer when one comes out identical to the line or to another). */
const NOISY_VARIANTS = 2;
/** Percent of origins held out for testing. */
const HELD_OUT_PERCENT = 20;

export type Split = "train" | "test";
type Origin = "hand" | "template";
/** Where a line comes from: written by hand, filled from a template, and `+noise` when noise was added. */
export type Source = Origin | `${Origin}+noise`;

export interface CorpusRow {
  text: string;
  intent: Intent;
  split: Split;
  source: Source;
}

/** The fixed split: a hash of the intent and the origin (hand-written line or template text). */
export function splitOf(intent: Intent, origin: string): Split {
  const h = createHash("sha256").update(`${intent}\u0000${origin}`).digest();
  return h.readUInt32BE(0) % 100 < HELD_OUT_PERCENT ? "test" : "train";
}

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join("");

/** Slots whose values are made up on the spot (numbers that must look real but vary). */
const generatedSlots: Record<string, (rng: Rng) => string> = {
  tracking: (rng) =>
    rng.pick([
      () => `SF1${digits(rng, 12)}`,
      () => `YT${rng.int(2, 9)}${digits(rng, 12)}`,
      () => `JT${digits(rng, 13)}`,
      () => `JDVA${digits(rng, 11)}`,
      () => `7${rng.pick(["3", "5", "8"])}${digits(rng, 12)}`,
      () => `4${rng.pick(["3", "6"])}${digits(rng, 13)}`,
    ])(),
  phone: (rng) => `1${rng.pick(["3", "5", "7", "8", "9"])}${digits(rng, 9)}`,
};

/** Fill every `{slot}`; a slot used twice in one template gets two different values. */
function fill(template: string, rng: Rng): string {
  const used = new Set<string>();
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const generated = generatedSlots[name];
    if (generated) return generated(rng);
    const values = slots[name];
    if (!values) throw new Error(`templates.ts: unknown slot {${name}} in "${template}"`);
    let value = rng.pick(values);
    for (let i = 0; i < 10 && used.has(value); i++) value = rng.pick(values);
    used.add(value);
    return value;
  });
}

function readHandwritten(intent: Intent): string[] {
  const file = path.join(HANDWRITTEN_DIR, `${intent}.txt`);
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** Build the corpus from its sources. Deterministic: the same sources give the same rows in the same order. */
export function buildCorpus(): CorpusRow[] {
  const known = new Set<string>(intents);
  for (const file of fs.readdirSync(HANDWRITTEN_DIR)) {
    const name = file.replace(/\.txt$/, "");
    if (!known.has(name)) throw new Error(`handwritten/${file}: not an intent label`);
  }
  const rows: CorpusRow[] = [];
  const seen = new Map<string, Intent>();
  const add = (text: string, intent: Intent, split: Split, source: Source) => {
    const previous = seen.get(text);
    if (previous !== undefined) {
      if (previous !== intent) throw new Error(`"${text}" is labelled both ${previous} and ${intent}`);
      return;
    }
    seen.set(text, intent);
    if (/[\t\n\r]/.test(text)) throw new Error(`"${text}": tabs and line breaks are not allowed in a line`);
    rows.push({ text, intent, split, source });
  };
  const withNoise = (text: string, intent: Intent, split: Split, origin: Origin) => {
    add(text, intent, split, origin);
    for (let k = 0; k < NOISY_VARIANTS; k++) {
      const noisy = addNoise(text, rngFor(`noise${k}\u0000${text}`));
      if (noisy !== text) add(noisy, intent, split, `${origin}+noise`);
    }
  };

  for (const intent of intents) {
    for (const line of readHandwritten(intent)) withNoise(line, intent, splitOf(intent, line), "hand");
    for (const template of templates[intent]) {
      const split = splitOf(intent, template);
      const rng = rngFor(`template\u0000${template}`);
      const fills = new Set<string>();
      for (let attempt = 0; fills.size < FILLS_PER_TEMPLATE && attempt < FILLS_PER_TEMPLATE * 5; attempt++) {
        fills.add(fill(template, rng));
      }
      for (const text of fills) withNoise(text, intent, split, "template");
    }
  }
  return rows;
}

export const corpusToJsonl = (rows: readonly CorpusRow[]): string =>
  rows.map((row) => JSON.stringify(row)).join("\n") + (rows.length > 0 ? "\n" : "");

/** The corpus as shipped (`corpus.jsonl`). */
export function readCorpus(file = CORPUS_FILE): CorpusRow[] {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CorpusRow);
}
