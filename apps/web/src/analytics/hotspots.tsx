import type { Dashboard } from "@yunxi/contracts";
import { Empty, Tag, Tooltip } from "antd";
import { useMemo } from "react";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import type { ChartOption } from "./echart.tsx";
import { EChart } from "./echart.tsx";
import { formatCount, formatRate, intentLabel } from "./figures.ts";

type Props = {
  hotspots: Dashboard["hotspots"];
  theme: "light" | "dark";
  chartHeight: number | string;
  /** A click on an intent lists today's conversations with it. */
  onOpenIntent?: (intent: string) => void;
  /** The wallboard shows the chart and the growers, without the phrasings. */
  compact?: boolean;
};

/** Today's TOP10 intents (with their most frequent phrasing and examples) and what grew most in the last hour. */
export function Hotspots({ hotspots, theme, chartHeight, onOpenIntent, compact = false }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const top = hotspots.top;

  const option = useMemo<ChartOption>(() => {
    const reversed = [...top].reverse();
    return {
      backgroundColor: "transparent",
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: reversed.map((x) => intentLabel(x.intent, t)) },
      series: [
        {
          type: "bar",
          id: "top",
          name: t("analytics.kpi.conversations"),
          data: reversed.map((x) => x.conversations),
          barMaxWidth: 22,
          itemStyle: { color: "#1677ff", borderRadius: [0, 4, 4, 0] },
          label: { show: true, position: "right" },
        },
      ],
    };
  }, [top, t]);

  if (top.length === 0 && hotspots.growers.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("analytics.hotspots.none")} />;
  }

  const intentOf = (name: string) => top.find((x) => intentLabel(x.intent, t) === name)?.intent;

  return (
    <div className={compact ? "hotspots is-compact" : "hotspots"} data-testid="dashboard-hotspots">
      <div className="hotspots-chart">
        {top.length > 0 ? (
          <EChart
            option={option}
            theme={theme}
            height={chartHeight}
            ariaLabel={t("analytics.hotspots.top")}
            onClick={
              onOpenIntent
                ? (click) => {
                    const intent = intentOf(click.name);
                    if (intent !== undefined) onOpenIntent(intent);
                  }
                : undefined
            }
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("analytics.hotspots.none")} />
        )}
      </div>
      {!compact && top.length > 0 && (
        <ol className="hotspot-list">
          {top.map((item) => {
            const phrasing = item.phrasings[0];
            return (
              <li key={item.intent} className="hotspot-item">
                <button
                  type="button"
                  className="hotspot-intent"
                  onClick={onOpenIntent ? () => onOpenIntent(item.intent) : undefined}
                >
                  {intentLabel(item.intent, t)}
                </button>
                <span className="hotspot-count">
                  {formatCount(item.conversations, locale)} · {formatRate(item.share, 0)}
                </span>
                {phrasing && (
                  <Tooltip
                    title={
                      item.examples.length > 0 ? (
                        <ul className="hotspot-examples">
                          {item.examples.map((example) => (
                            <li key={example}>{example}</li>
                          ))}
                        </ul>
                      ) : undefined
                    }
                  >
                    <span className="hotspot-phrasing">
                      “{phrasing.text}” <small>×{phrasing.count}</small>
                    </span>
                  </Tooltip>
                )}
                {item.examples
                  .filter((example) => example !== phrasing?.text)
                  .slice(0, 2)
                  .map((example) => (
                    <span key={example} className="hotspot-example">
                      {t("analytics.hotspots.example", { text: example })}
                    </span>
                  ))}
              </li>
            );
          })}
        </ol>
      )}
      <div className="hotspot-growers" data-testid="dashboard-growers">
        <h3 className="analytics-subtitle">{t("analytics.hotspots.growers")}</h3>
        {hotspots.growers.length === 0 ? (
          <span className="analytics-hint">{t("analytics.hotspots.noGrowers")}</span>
        ) : (
          hotspots.growers.map((g) => (
            <div key={g.intent} className="grower-row">
              <span className="grower-intent">{intentLabel(g.intent, t)}</span>
              <Tag color="volcano">+{formatCount(g.growth, locale)}</Tag>
              <span className="analytics-hint">
                {t("analytics.hotspots.hours", { last: g.lastHour, previous: g.previousHour })}
              </span>
            </div>
          ))
        )}
      </div>
    </div>
  );
}
