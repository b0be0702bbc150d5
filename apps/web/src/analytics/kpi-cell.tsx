import type { Kpis } from "@yunxi/contracts";
import { Tooltip } from "antd";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import type { KpiField } from "./figures.ts";
import { deltaOf, formatFigure, kpiValue } from "./figures.ts";

type Props = {
  field: KpiField;
  current: Kpis;
  previous?: Kpis;
  /** Lists the conversations behind the number; only for fields that can be drilled into. */
  onOpen?: () => void;
  testId?: string;
};

/** A KPI in a report's table: the value, the change against the previous period, a click to drill down. */
export function KpiCell({ field, current, previous, onOpen, testId }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const value = kpiValue(current, field);
  const text = formatFigure(field.kind, value, locale, t);
  const before = previous ? kpiValue(previous, field) : null;
  const delta = previous ? deltaOf(field.kind, value, before, field.better, t) : null;
  const clickable = onOpen !== undefined && field.drilldown !== undefined && value !== null && value !== 0;
  const shown = clickable ? (
    <button type="button" className="kpi-link" onClick={onOpen} data-testid={testId}>
      {text}
    </button>
  ) : (
    <span data-testid={testId}>{text}</span>
  );
  return (
    <span className="kpi-cell">
      {shown}
      {delta?.text && (
        <Tooltip title={t("analytics.delta.previous", { value: formatFigure(field.kind, before, locale, t) })}>
          <span className={`kpi-delta is-${delta.tone}`}>
            {delta.direction === "up" ? "↑" : delta.direction === "down" ? "↓" : ""}
            {delta.text}
          </span>
        </Tooltip>
      )}
    </span>
  );
}
