import { type Intent, intents } from "@yunxi/contracts";

/** Longest labels first: `其他-发票` is read before `其他`. */
const labelsLongestFirst = [...intents].sort((a, b) => b.length - a.length);

/** The intent a conversation tag starts with (`售后-退换货-鞋子类目` → 售后-退换货); null for other tags. */
export const intentOfTag = (tag: string): Intent | null =>
  labelsLongestFirst.find((label) => tag === label || tag.startsWith(`${label}-`)) ?? null;
