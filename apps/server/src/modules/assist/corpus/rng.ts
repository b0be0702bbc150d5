import { createHash } from "node:crypto";

/** A small seeded random source (mulberry32), so the corpus is the same on every machine. */
export interface Rng {
  /** 0 ≤ x < 1 */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(values: readonly T[]): T;
  chance(p: number): boolean;
}

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (values) => {
      if (values.length === 0) throw new Error("pick from an empty list");
      return values[Math.floor(next() * values.length)]!;
    },
    chance: (p) => next() < p,
  };
}

/** A random source seeded by a string (a template, a line): its draws never depend on other lines. */
export const rngFor = (key: string): Rng => seededRng(createHash("sha256").update(key).digest().readUInt32BE(0));
