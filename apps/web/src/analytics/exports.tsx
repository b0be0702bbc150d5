import { DownloadOutlined, FileExcelOutlined, FilePdfOutlined } from "@ant-design/icons";
import type { CreateExportRequest, ExportFormat, ExportJob } from "@yunxi/contracts";
import { Alert, Button, Checkbox, Progress, Space, Tag, Tooltip } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { analyticsApi } from "../api/analytics-api.ts";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { errorText } from "../shared/error-text.ts";
import { isFinished, mergeJobs } from "./export-state.ts";

/** How often a running export is asked for its progress. */
const POLL_MS = 1_000;
/** The recent exports listed under the toolbar. */
const SHOWN = 5;

export type Exports = {
  jobs: readonly ExportJob[];
  creating: ExportFormat | null;
  /** Why the last export could not start (the server's 4xx message). */
  error: string | null;
  create: (request: CreateExportRequest) => void;
};

/** The user's exports: the recent ones, the one just started, each polled until it is done or failed. */
export function useExports(): Exports {
  const t = useT();
  const [jobs, setJobs] = useState<readonly ExportJob[]>([]);
  const [creating, setCreating] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const jobsRef = useRef(jobs);
  jobsRef.current = jobs;

  useEffect(() => {
    const controller = new AbortController();
    analyticsApi.exports(controller.signal).then(
      (list) => setJobs((known) => mergeJobs(known, list.items)),
      () => undefined,
    );
    return () => controller.abort();
  }, []);

  const running = jobs.some((job) => !isFinished(job));
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      for (const job of jobsRef.current.filter((j) => !isFinished(j))) {
        analyticsApi.exportJob(job.id).then(
          (next) => setJobs((known) => mergeJobs(known, [next])),
          (cause: unknown) =>
            // A job that disappeared or cannot be read any more ends as failed, with the reason.
            setJobs((known) =>
              mergeJobs(known, [{ ...job, status: "failed", error: errorText(cause, t), finishedAt: null }]),
            ),
        );
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, t]);

  const create = useCallback(
    (request: CreateExportRequest) => {
      setCreating(request.format);
      setError(null);
      analyticsApi
        .createExport(request)
        .then((job) => setJobs((known) => mergeJobs(known, [job])))
        .catch((cause: unknown) => setError(errorText(cause, t)))
        .finally(() => setCreating(null));
    },
    [t],
  );

  return { jobs, creating, error, create };
}

type ButtonsProps = {
  exports: Exports;
  request: Omit<CreateExportRequest, "format" | "includeConversations">;
};

/** 导出 Excel / 导出 PDF for what the page shows (range, filters). */
export function ExportButtons({ exports, request }: ButtonsProps) {
  const t = useT();
  const [withConversations, setWithConversations] = useState(false);
  return (
    <Space wrap size={8} className="export-buttons">
      <Button
        icon={<FileExcelOutlined />}
        loading={exports.creating === "xlsx"}
        onClick={() => exports.create({ ...request, format: "xlsx", includeConversations: withConversations })}
        data-testid="export-xlsx"
      >
        {t("analytics.export.xlsx")}
      </Button>
      <Tooltip title={t("analytics.export.withConversationsHint")}>
        <Checkbox checked={withConversations} onChange={(e) => setWithConversations(e.target.checked)}>
          {t("analytics.export.withConversations")}
        </Checkbox>
      </Tooltip>
      <Button
        icon={<FilePdfOutlined />}
        loading={exports.creating === "pdf"}
        onClick={() => exports.create({ ...request, format: "pdf", includeConversations: false })}
        data-testid="export-pdf"
      >
        {t("analytics.export.pdf")}
      </Button>
    </Space>
  );
}

function formatSize(bytes: number | null): string {
  if (bytes === null) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The recent exports: progress while running, the download when done, the reason when failed. */
export function ExportJobs({ exports }: { exports: Exports }) {
  const t = useT();
  const { locale } = useLocale();
  const shown = exports.jobs.slice(0, SHOWN);
  if (shown.length === 0 && !exports.error) return null;
  return (
    <section className="export-jobs" data-testid="export-jobs">
      {exports.error && (
        <Alert type="error" showIcon title={t("analytics.export.refused")} description={exports.error} />
      )}
      {shown.map((job) => (
        <div key={job.id} className="export-job" data-testid="export-job" data-status={job.status}>
          {job.format === "xlsx" ? <FileExcelOutlined /> : <FilePdfOutlined />}
          <span className="export-job-range">{job.from === job.to ? job.from : `${job.from} – ${job.to}`}</span>
          <span className="analytics-hint">{formatDateTime(job.createdAt, locale)}</span>
          <span className="export-job-state">
            {job.status === "done" ? (
              <a href={analyticsApi.downloadUrl(job.id)} download={job.fileName ?? true} data-testid="export-download">
                <DownloadOutlined /> {job.fileName ?? t("analytics.export.download")}{" "}
                <span className="analytics-hint">{formatSize(job.sizeBytes)}</span>
              </a>
            ) : job.status === "failed" ? (
              <span className="export-failed" data-testid="export-error">
                <Tag color="red">{t("analytics.export.failed")}</Tag>
                {job.error ?? t("errors.unknown")}
              </span>
            ) : (
              <span className="export-progress">
                <Tag color="processing">
                  {t(job.status === "queued" ? "analytics.export.queued" : "analytics.export.running")}
                </Tag>
                <Progress percent={Math.round(job.progress)} size="small" status="active" />
              </span>
            )}
          </span>
        </div>
      ))}
    </section>
  );
}
