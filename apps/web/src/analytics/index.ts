import { lazy } from "react";

/**
 * The data hub (issue 6): the live dashboard and the reports (loaded on first visit: ECharts stays
 * out of the inbox's bundle), and the quality rules tab for the admin console.
 */
export const AnalyticsWorkspace = lazy(() =>
  import("./analytics-workspace.tsx").then((module) => ({ default: module.AnalyticsWorkspace })),
);
export { QualityRulesSettings } from "./quality-rules-settings.tsx";
