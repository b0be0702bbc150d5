import { Tooltip } from "antd";
import type { ReactNode } from "react";
import type { Delta } from "./figures.ts";

type Props = {
  label: string;
  /** The value as shown. */
  text: string;
  /** The raw value, for tests and for the screen reader's title. */
  value: number | null;
  tone?: "normal" | "warn" | "alert" | "good";
  /** A line under the value ("其中未分配 2"). */
  sub?: ReactNode;
  delta?: Delta;
  /** The previous period's value as shown, beside the delta. */
  previousText?: string;
  hint?: string;
  /** Smaller, for a row of many (the report's summary). */
  compact?: boolean;
  onClick?: () => void;
  testId?: string;
};

/** One big number: the dashboard's and the wallboard's tiles, the report's summary cards. */
export function FigureTile({
  label,
  text,
  value,
  tone = "normal",
  sub,
  delta,
  previousText,
  hint,
  compact = false,
  onClick,
  testId,
}: Props) {
  const body = (
    <>
      <span className="figure-label">{label}</span>
      <span className="figure-value" data-testid={testId ? `${testId}-value` : undefined}>
        {text}
      </span>
      {delta?.text && (
        <span className={`figure-delta is-${delta.tone}`} data-direction={delta.direction}>
          {delta.direction === "up" ? "▲" : delta.direction === "down" ? "▼" : ""} {delta.text}
          {previousText !== undefined && <span className="figure-previous"> · {previousText}</span>}
        </span>
      )}
      {sub && <span className="figure-sub">{sub}</span>}
    </>
  );
  const className = `figure-tile is-${tone}${compact ? " is-compact" : ""}${onClick ? " is-clickable" : ""}`;
  const tile = onClick ? (
    <button type="button" className={className} onClick={onClick} data-testid={testId} data-value={value ?? ""}>
      {body}
    </button>
  ) : (
    <div className={className} data-testid={testId} data-value={value ?? ""}>
      {body}
    </div>
  );
  return hint ? <Tooltip title={hint}>{tile}</Tooltip> : tile;
}
