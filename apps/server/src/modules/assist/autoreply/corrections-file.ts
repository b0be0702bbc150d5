import { type Intent, intents } from "@yunxi/contracts";

/**
 * Read an exported corrections file for training: one JSON object per line; lines that are
 * not corrections (blank, broken, an unknown label) are counted and skipped. When one text
 * was corrected several times, the latest correction wins.
 */
export function parseCorrections(jsonl: string): {
  examples: { text: string; intent: Intent }[];
  skipped: number;
} {
  const latest = new Map<string, Intent>();
  let skipped = 0;
  for (const line of jsonl.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const { text, corrected } = (value ?? {}) as { text?: unknown; corrected?: unknown };
    if (typeof text !== "string" || text.trim() === "" || !intents.includes(corrected as Intent)) {
      skipped++;
      continue;
    }
    latest.delete(text);
    latest.set(text, corrected as Intent);
  }
  return { examples: [...latest].map(([text, intent]) => ({ text, intent })), skipped };
}
