import {
  DesktopOutlined,
  ExportOutlined,
  FullscreenOutlined,
  ReloadOutlined,
  TeamOutlined,
  WarningOutlined,
} from "@ant-design/icons";
import type { Dashboard, DashboardQuery, PlatformId } from "@yunxi/contracts";
import { platformLabels } from "@yunxi/contracts";
import { Alert, theme as antdTheme, Button, ConfigProvider, Result, Select, Spin } from "antd";
import type { ReactNode } from "react";
import { useMemo, useRef, useState } from "react";
import { useMe } from "../auth/auth-provider.tsx";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useInbox } from "../inbox/inbox-provider.tsx";
import type { Route } from "../routing/routes.ts";
import { Brand } from "../shared/brand.tsx";
import { useNow } from "../shared/use-now.ts";
import { canSupervise } from "../supervisor/supervisor-state.ts";
import { AgentEfficiency } from "./agent-efficiency.tsx";
import { agentsByLoad, clockIn, spikingRows } from "./dashboard-view.ts";
import type { DrilldownTarget } from "./drilldown-drawer.tsx";
import { DrilldownDrawer } from "./drilldown-drawer.tsx";
import { FigureTile } from "./figure-tile.tsx";
import type { KpiField } from "./figures.ts";
import { formatCount, formatDuration, formatFigure, intentLabel, kpiFields, kpiValue } from "./figures.ts";
import { Hotspots } from "./hotspots.tsx";
import { PlatformTable, PlatformTrend, volumeLabel } from "./platform-performance.tsx";
import { useAutoScroll } from "./use-auto-scroll.ts";
import type { DashboardFeed } from "./use-dashboard.ts";
import { useDashboard } from "./use-dashboard.ts";
import { storesInScope, useFilterScope } from "./use-filter-scope.ts";
import { useWallboard } from "./use-wallboard.ts";
import "./analytics.css";

type Props = { onNavigate: (route: Route) => void };

/** 实时看板 (supervisors and above): the whole centre live, or the same on a TV (`?wallboard=1`). */
export function DashboardPage({ onNavigate }: Props) {
  const t = useT();
  const me = useMe();
  if (!canSupervise(me.user.role)) {
    return (
      <main className="analytics-page" data-testid="dashboard-forbidden">
        <Result
          status="403"
          title={t("analytics.dashboard.forbidden")}
          extra={
            <Button type="primary" onClick={() => onNavigate({ page: "reports" })}>
              {t("analytics.dashboard.toReports")}
            </Button>
          }
        />
      </main>
    );
  }
  return <DashboardBoard onNavigate={onNavigate} />;
}

/** Today's figures shown as tiles on the board. */
const todayFields: readonly KpiField[] = [
  kpiFields.inboundMessages,
  kpiFields.conversations,
  kpiFields.handled,
  kpiFields.firstResponseAvgSeconds,
  kpiFields.responseRate3m,
  kpiFields.missedRounds,
  kpiFields.inquiryConversionRate,
  kpiFields.csat,
  kpiFields.complaintRate,
  kpiFields.autoReplyCoverage,
];

const wallboardTodayFields: readonly KpiField[] = [
  kpiFields.inboundMessages,
  kpiFields.conversations,
  kpiFields.responseRate3m,
  kpiFields.csat,
];

function DashboardBoard({ onNavigate }: Props) {
  const t = useT();
  const [wallboard, setWallboard] = useWallboard();
  const [query, setQuery] = useState<DashboardQuery>({});
  const feed = useDashboard(query);
  const [drill, setDrill] = useState<DrilldownTarget | null>(null);

  const { data } = feed;
  const open = useMemo(() => {
    if (!data) return null;
    const today = { from: data.today, to: data.today, ...query };
    return {
      field: (field: KpiField) =>
        field.drilldown
          ? () =>
              setDrill({
                metric: field.drilldown!,
                title: `${t(field.label)} · ${t("analytics.dashboard.today")} ${data.today}`,
                query: today,
              })
          : undefined,
      intent: (intent: string) =>
        setDrill({
          metric: "conversations",
          title: `${intentLabel(intent, t)} · ${t("analytics.dashboard.today")} ${data.today}`,
          query: { ...today, intent: intent === "" ? "-" : intent },
        }),
      agent: (agent: Dashboard["agents"][number]) =>
        setDrill({
          metric: "handled",
          title: t("analytics.agent.conversationsOf", { name: agent.name, day: data.today }),
          query: { ...today, agentId: agent.userId },
        }),
    };
  }, [data, query, t]);

  let content: ReactNode;
  if (!data || !open) {
    content = feed.error ? (
      <Result
        status="warning"
        title={t("analytics.dashboard.loadFailed")}
        subTitle={feed.error}
        extra={
          <Button type="primary" onClick={feed.reload}>
            {t("common.reload")}
          </Button>
        }
        data-testid="dashboard-error"
      />
    ) : (
      <div className="analytics-loading">
        <Spin size="large" />
      </div>
    );
  } else if (wallboard) {
    content = <Wallboard feed={feed} data={data} onExit={() => setWallboard(false)} onOpenField={open.field} />;
  } else {
    content = (
      <Board
        feed={feed}
        data={data}
        query={query}
        onQuery={setQuery}
        onWallboard={() => setWallboard(true)}
        onNavigate={onNavigate}
        open={open}
      />
    );
  }

  const page = (
    <main
      className={wallboard ? "analytics-page dashboard is-wallboard" : "analytics-page dashboard"}
      data-testid="dashboard-page"
      data-wallboard={wallboard ? "true" : "false"}
    >
      {content}
      <DrilldownDrawer target={drill} onClose={() => setDrill(null)} />
    </main>
  );
  return wallboard ? (
    <ConfigProvider theme={{ algorithm: antdTheme.darkAlgorithm, token: { colorBgContainer: "#141a26" } }}>
      {page}
    </ConfigProvider>
  ) : (
    page
  );
}

type Openers = {
  field: (field: KpiField) => (() => void) | undefined;
  intent: (intent: string) => void;
  agent: (agent: Dashboard["agents"][number]) => void;
};

function FreshnessNote({ feed, data }: { feed: DashboardFeed; data: Dashboard }) {
  const t = useT();
  const at = feed.receivedAt ? clockIn(new Date(feed.receivedAt).toISOString(), data.timezone, true) : "";
  return (
    <span className="dashboard-freshness" data-testid="dashboard-freshness" data-lag={data.lagSeconds}>
      <span className={feed.error ? "live-dot is-stale" : "live-dot"} aria-hidden />
      {t("analytics.dashboard.updatedAt", { time: at })}
      {data.lagSeconds > 5 && ` · ${t("analytics.dashboard.lag", { s: Math.round(data.lagSeconds) })}`}
    </span>
  );
}

function StaleWarning({ feed }: { feed: DashboardFeed }) {
  const t = useT();
  if (!feed.error) return null;
  return (
    <Alert
      type="warning"
      showIcon
      title={t("analytics.dashboard.stale")}
      description={feed.error}
      data-testid="dashboard-stale"
    />
  );
}

function SpikeAlerts({ data, onNavigate }: { data: Dashboard; onNavigate?: (route: Route) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const spikes = spikingRows(data);
  if (spikes.length === 0) return null;
  return (
    <div className="spike-alerts" data-testid="spike-alerts">
      {spikes.map((row) => (
        <Alert
          key={`${row.platform}:${row.storeId ?? ""}`}
          type="error"
          showIcon
          icon={<WarningOutlined />}
          title={t("analytics.platform.spikeAlert", {
            label: volumeLabel(row, locale),
            n: row.last15,
            pace: formatCount(row.previousHourPer15, locale),
          })}
          action={
            onNavigate ? (
              <Button size="small" icon={<TeamOutlined />} onClick={() => onNavigate({ page: "supervisor" })}>
                {t("analytics.platform.moveAgents")}
              </Button>
            ) : undefined
          }
        />
      ))}
    </div>
  );
}

function LiveQueue({ data, big = false }: { data: Dashboard; big?: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const { queue } = data;
  const longest = queue.longestWaitSeconds;
  return (
    <>
      <FigureTile
        label={t("analytics.queue.waiting")}
        text={formatCount(queue.waiting, locale)}
        value={queue.waiting}
        tone={queue.waiting > 0 ? "warn" : "normal"}
        testId="dashboard-queue-waiting"
        hint={big ? undefined : t("analytics.queue.waitingHint")}
      />
      <FigureTile
        label={t("analytics.queue.longestWait")}
        text={longest === null ? "—" : formatDuration(longest, t)}
        value={longest}
        tone={longest !== null && longest >= 180 ? "alert" : longest !== null && longest >= 60 ? "warn" : "normal"}
        testId="dashboard-queue-longest"
      />
      <FigureTile
        label={t("analytics.queue.unanswered")}
        text={formatCount(queue.unanswered, locale)}
        value={queue.unanswered}
        tone={queue.unanswered > 0 ? "warn" : "normal"}
        sub={t("analytics.queue.unassigned", { n: queue.unansweredUnassigned })}
        testId="dashboard-queue-unanswered"
        hint={big ? undefined : t("analytics.queue.unansweredHint")}
      />
      <FigureTile
        label={t("analytics.queue.slaBreachedOpen")}
        text={formatCount(queue.slaBreachedOpen, locale)}
        value={queue.slaBreachedOpen}
        tone={queue.slaBreachedOpen > 0 ? "alert" : "good"}
        sub={t("analytics.queue.breachesToday", { n: queue.slaBreachesToday })}
        testId="dashboard-queue-breached"
      />
      {!big && (
        <FigureTile
          label={t("analytics.queue.open")}
          text={formatCount(queue.open, locale)}
          value={queue.open}
          testId="dashboard-queue-open"
        />
      )}
    </>
  );
}

function TodayTiles({
  data,
  fields,
  onOpenField,
}: {
  data: Dashboard;
  fields: readonly KpiField[];
  onOpenField: Openers["field"];
}) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <>
      {fields.map((field) => {
        const value = kpiValue(data.totals, field);
        return (
          <FigureTile
            key={field.key}
            label={t(field.label)}
            text={formatFigure(field.kind, value, locale, t)}
            value={value}
            onClick={onOpenField(field)}
            testId={field.key === "inboundMessages" ? "dashboard-inbound" : `dashboard-today-${field.key}`}
          />
        );
      })}
    </>
  );
}

type BoardProps = {
  feed: DashboardFeed;
  data: Dashboard;
  query: DashboardQuery;
  onQuery: (query: DashboardQuery) => void;
  onWallboard: () => void;
  onNavigate: (route: Route) => void;
  open: Openers;
};

function Board({ feed, data, query, onQuery, onWallboard, onNavigate, open }: BoardProps) {
  const t = useT();
  return (
    <>
      <div className="analytics-head">
        <h1 className="analytics-title">{t("analytics.dashboard.title")}</h1>
        <FreshnessNote feed={feed} data={data} />
        <span className="analytics-head-spacer" />
        <DashboardFilters query={query} onQuery={onQuery} />
        <Button icon={<ReloadOutlined />} onClick={feed.reload} aria-label={t("common.reload")} />
        <Button icon={<DesktopOutlined />} onClick={onWallboard} data-testid="dashboard-wallboard">
          {t("analytics.dashboard.wallboard")}
        </Button>
      </div>
      <StaleWarning feed={feed} />
      <SpikeAlerts data={data} onNavigate={onNavigate} />

      <section className="analytics-section">
        <h2 className="analytics-section-title">{t("analytics.queue.title")}</h2>
        <div className="figure-row" data-testid="dashboard-queue">
          <LiveQueue data={data} />
        </div>
      </section>

      <section className="analytics-section">
        <h2 className="analytics-section-title">
          {t("analytics.dashboard.todayTitle")} <small className="analytics-hint">{data.today}</small>
        </h2>
        <div className="figure-row" data-testid="dashboard-today">
          <TodayTiles data={data} fields={todayFields} onOpenField={open.field} />
        </div>
      </section>

      <section className="analytics-section">
        <h2 className="analytics-section-title">{t("analytics.platform.title")}</h2>
        <div className="dashboard-split">
          <div className="analytics-card">
            <PlatformTrend data={data} theme="light" chartHeight={280} />
          </div>
          <div className="analytics-card" data-testid="dashboard-platforms">
            <PlatformTable data={data} />
          </div>
        </div>
      </section>

      <section className="analytics-section">
        <h2 className="analytics-section-title">{t("analytics.hotspots.title")}</h2>
        <div className="analytics-card">
          <Hotspots hotspots={data.hotspots} theme="light" chartHeight={300} onOpenIntent={open.intent} />
        </div>
      </section>

      <section className="analytics-section">
        <h2 className="analytics-section-title">
          {t("analytics.agent.title")}
          <Button size="small" type="link" icon={<ExportOutlined />} onClick={() => onNavigate({ page: "supervisor" })}>
            {t("analytics.agent.toSupervisor")}
          </Button>
        </h2>
        <p className="analytics-hint">{t("analytics.agent.hint")}</p>
        <div data-testid="dashboard-agents">
          <AgentEfficiency agents={data.agents} onOpenAgent={open.agent} />
        </div>
      </section>
    </>
  );
}

function DashboardFilters({ query, onQuery }: { query: DashboardQuery; onQuery: (q: DashboardQuery) => void }) {
  const t = useT();
  const { locale } = useLocale();
  const scope = useFilterScope();
  const stores = storesInScope(useInbox().stores, scope);
  const groups = scope?.groups ?? [];
  const platforms = [...new Set(stores.map((s) => s.platform))];
  return (
    <div className="analytics-filters">
      <Select<PlatformId | "">
        size="middle"
        value={query.platform ?? ""}
        onChange={(platform) => onQuery({ ...query, platform: platform || undefined })}
        options={[
          { value: "", label: t("analytics.filter.allPlatforms") },
          ...platforms.map((p) => ({ value: p, label: platformLabels[p][locale] })),
        ]}
        popupMatchSelectWidth={false}
        aria-label={t("analytics.filter.platform")}
        data-testid="dashboard-filter-platform"
      />
      <Select<string>
        value={query.storeId ?? ""}
        onChange={(storeId) => onQuery({ ...query, storeId: storeId || undefined })}
        options={[
          { value: "", label: t("analytics.filter.allStores") },
          ...stores.map((s) => ({ value: s.id, label: `${platformLabels[s.platform][locale]}-${s.name}` })),
        ]}
        popupMatchSelectWidth={false}
        aria-label={t("analytics.filter.store")}
      />
      {groups.length > 0 && (
        <Select<string>
          value={query.groupId ?? ""}
          onChange={(groupId) => onQuery({ ...query, groupId: groupId || undefined })}
          options={[
            { value: "", label: t("analytics.filter.allGroups") },
            ...groups.map((g) => ({ value: g.id, label: g.name })),
          ]}
          popupMatchSelectWidth={false}
          aria-label={t("analytics.filter.group")}
        />
      )}
    </div>
  );
}

type WallboardProps = {
  feed: DashboardFeed;
  data: Dashboard;
  onExit: () => void;
  onOpenField: Openers["field"];
};

/** The TV: every panel on one dark screen, big numbers, no scrolling. */
function Wallboard({ feed, data, onExit, onOpenField }: WallboardProps) {
  const t = useT();
  const now = useNow(1_000);
  const agents = useMemo(() => agentsByLoad(data.agents), [data.agents]);
  const agentList = useRef<HTMLDivElement>(null);
  const platformList = useRef<HTMLDivElement>(null);
  useAutoScroll(agentList);
  useAutoScroll(platformList);
  const fullscreen = () => {
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
  };
  return (
    <div className="wallboard">
      <header className="wallboard-head">
        <Brand />
        <span className="wallboard-title">{t("analytics.wallboard.title")}</span>
        <FreshnessNote feed={feed} data={data} />
        <span className="analytics-head-spacer" />
        <span className="wallboard-clock" data-testid="wallboard-clock">
          {clockIn(new Date(now).toISOString(), data.timezone)}
        </span>
        <Button
          type="text"
          icon={<FullscreenOutlined />}
          onClick={fullscreen}
          aria-label={t("analytics.wallboard.fullscreen")}
        />
        <Button type="text" onClick={onExit} data-testid="wallboard-exit">
          {t("analytics.wallboard.exit")}
        </Button>
      </header>
      <StaleWarning feed={feed} />
      <SpikeAlerts data={data} />
      <div className="wallboard-figures" data-testid="dashboard-queue">
        <LiveQueue data={data} big />
        <TodayTiles data={data} fields={wallboardTodayFields} onOpenField={onOpenField} />
      </div>
      <div className="wallboard-grid">
        <section className="wallboard-panel">
          <h2 className="wallboard-panel-title">{t("analytics.platform.trendTitle")}</h2>
          <PlatformTrend data={data} theme="dark" chartHeight="100%" />
        </section>
        <section className="wallboard-panel">
          <h2 className="wallboard-panel-title">{t("analytics.hotspots.top")}</h2>
          <Hotspots hotspots={data.hotspots} theme="dark" chartHeight="100%" compact />
        </section>
        <section className="wallboard-panel">
          <h2 className="wallboard-panel-title">
            {t("analytics.agent.title")}{" "}
            <small>
              {t("analytics.wallboard.online", {
                n: data.agents.filter((a) => a.status === "online" || a.status === "busy").length,
                total: data.agents.length,
              })}
            </small>
          </h2>
          <div className="wallboard-scroll" ref={agentList}>
            <AgentEfficiency agents={agents} onOpenAgent={() => undefined} compact />
          </div>
        </section>
        <section className="wallboard-panel">
          <h2 className="wallboard-panel-title">{t("analytics.platform.title")}</h2>
          <div className="wallboard-scroll" ref={platformList}>
            <PlatformTable data={data} compact />
          </div>
        </section>
      </div>
    </div>
  );
}
