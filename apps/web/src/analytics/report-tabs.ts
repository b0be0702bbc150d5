import type { IntentReport, ReportQuery } from "@yunxi/contracts";
import type { DrilldownTarget } from "./drilldown-drawer.tsx";

/** What every report tab is given: the query of the page, and a way to open the conversations behind a number. */
export type ReportTabProps = {
  query: ReportQuery;
  /** "2026-11-01 – 2026-11-07", for the drill-down's title. */
  rangeLabel: string;
  onDrill: (target: DrilldownTarget) => void;
};

export const queryKey = (query: ReportQuery): string => JSON.stringify(query);

/** The most asked questions over every intent, most frequent first (the same text merged). */
export function topQuestionsOverall(
  items: IntentReport["items"],
  limit = 10,
): { text: string; count: number; intent: string }[] {
  const merged = new Map<string, { text: string; count: number; intent: string; best: number }>();
  for (const item of items) {
    for (const q of item.topQuestions) {
      const known = merged.get(q.text);
      if (known) {
        known.count += q.count;
        if (q.count > known.best) {
          known.best = q.count;
          known.intent = item.intent;
        }
      } else {
        merged.set(q.text, { text: q.text, count: q.count, intent: item.intent, best: q.count });
      }
    }
  }
  return [...merged.values()]
    .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
    .slice(0, limit)
    .map(({ text, count, intent }) => ({ text, count, intent }));
}
