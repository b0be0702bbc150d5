import type { LogisticsTrace as Trace } from "@yunxi/contracts";
import { Alert, Button, Empty, Spin, Timeline } from "antd";
import { useEffect, useState } from "react";
import { ordersApi } from "../api/endpoints.ts";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";

type Props = {
  /** `Order.id`. */
  orderId: string;
  /** Refetch when the order moves on (a new scan usually comes with a status change). */
  version: string;
};

/** The parcel's scans, newest first, fetched from the platform when the agent opens them. */
export function LogisticsTrace({ orderId, version }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const [trace, setTrace] = useState<Trace | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version and attempt are triggers
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    ordersApi.logistics(orderId, controller.signal).then(setTrace, (cause: unknown) => {
      if (controller.signal.aborted || isAbort(cause)) return;
      setError(errorText(cause, t));
    });
    return () => controller.abort();
  }, [orderId, version, attempt, t]);

  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        title={t("orders.traceFailed")}
        description={error}
        action={
          <Button size="small" onClick={() => setAttempt((n) => n + 1)}>
            {t("orders.retry")}
          </Button>
        }
      />
    );
  }
  if (!trace) return <Spin size="small" className="logistics-loading" />;
  if (trace.nodes.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("orders.traceEmpty")} />;
  }
  const nodes = [...trace.nodes].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return (
    <Timeline
      className="logistics-trace"
      data-testid="logistics-trace"
      items={nodes.map((node, index) => ({
        key: `${node.at}-${index}`,
        color: index === 0 ? "blue" : "gray",
        content: (
          <span className="logistics-node">
            <span>{node.description}</span>
            <time dateTime={node.at}>{formatDateTime(node.at, locale)}</time>
          </span>
        ),
      }))}
    />
  );
}
