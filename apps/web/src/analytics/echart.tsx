import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from "echarts/charts";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TooltipComponentOption,
} from "echarts/components";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import type { ComposeOption, ECElementEvent, EChartsType } from "echarts/core";
import { init, use } from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

// Only what the data hub draws: lines (trends), bars (rankings, comparisons) and pies (shares).
use([
  LineChart,
  BarChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
>;

/** A clicked bar, point or slice: its category name and series. */
export type ChartClick = { name: string; seriesName: string | undefined; dataIndex: number };

type Props = {
  option: ChartOption;
  /** `dark` on the wallboard; ECharts' own themes. */
  theme?: "light" | "dark";
  height: number | string;
  onClick?: (click: ChartClick) => void;
  className?: string;
  testId?: string;
  /** Read by screen readers in place of the canvas. */
  ariaLabel?: string;
};

/**
 * A small React wrapper of ECharts: one instance per element (created again when the theme
 * changes), options replaced series by series so live updates animate instead of redrawing,
 * resized with its box.
 */
export function EChart({ option, theme = "light", height, onClick, className, testId, ariaLabel }: Props) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const optionRef = useRef(option);
  optionRef.current = option;
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const node = element.current;
    if (!node) return;
    const instance = init(node, theme === "dark" ? "dark" : undefined, { renderer: "canvas" });
    chart.current = instance;
    instance.setOption(optionRef.current);
    instance.on("click", (params: ECElementEvent) => {
      clickRef.current?.({
        name: String(params.name ?? ""),
        seriesName: params.seriesName,
        dataIndex: params.dataIndex,
      });
    });
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(node);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [theme]);

  useEffect(() => {
    chart.current?.setOption(option, { replaceMerge: ["series", "xAxis", "yAxis"], lazyUpdate: true });
  }, [option]);

  return (
    <div
      ref={element}
      className={className ? `echart ${className}` : "echart"}
      style={{ height, cursor: onClick ? "pointer" : undefined }}
      data-testid={testId}
      role="img"
      aria-label={ariaLabel}
    />
  );
}
