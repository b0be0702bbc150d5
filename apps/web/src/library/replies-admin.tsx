import {
  DeleteOutlined,
  DownloadOutlined,
  EditOutlined,
  PlusOutlined,
  ReloadOutlined,
  UploadOutlined,
} from "@ant-design/icons";
import type {
  CannedReply,
  LibraryCategory,
  PlatformId,
  ReplyImportReport,
  ReplyScope,
  ReplyStatus,
} from "@yunxi/contracts";
import { platformIds, platformLabels } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, App, Badge, Button, Dropdown, Input, Modal, Popconfirm, Select, Space, Table, Tag } from "antd";
import { useCallback, useEffect, useRef, useState } from "react";
import { libraryApi } from "../assist/library-api.ts";
import { useLibraryVersion } from "../assist/use-library-changes.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useInbox } from "../inbox/inbox-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { CategoryTree } from "./category-tree.tsx";
import { managesLibrary } from "./permissions.ts";
import { ReplyFormModal } from "./reply-form-modal.tsx";

type Owner = "all" | "shared" | "mine";
type Filters = {
  q: string;
  owner: Owner;
  scope?: ReplyScope;
  platform?: PlatformId;
  status?: ReplyStatus;
  categoryId: string | null;
};

const PAGE = 50;
const statusBadge: Record<ReplyStatus, "success" | "default" | "processing"> = {
  active: "success",
  scheduled: "processing",
  expired: "default",
};

/**
 * 话术库 management: the category tree, the replies with filters (owner, scope, platform,
 * validity), create and edit, Excel import (with the report of refused rows) and export.
 * Supervisors manage shared replies; every agent manages their personal ones.
 */
export function RepliesAdmin() {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const { message } = App.useApp();
  const { stores } = useInbox();
  const mayShare = managesLibrary(me.user.role);
  const version = useLibraryVersion("replies");
  const [filters, setFilters] = useState<Filters>({ q: "", owner: "all", categoryId: null });
  const [page, setPage] = useState(1);
  const [items, setItems] = useState<CannedReply[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [categories, setCategories] = useState<LibraryCategory[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState<CannedReply | "new" | null>(null);
  const [report, setReport] = useState<ReplyImportReport | null>(null);
  const [importing, setImporting] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const importPersonal = useRef(false);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt and version are triggers
  useEffect(() => {
    const controller = new AbortController();
    libraryApi.categories("replies", controller.signal).then(
      (list) => setCategories(list.items),
      () => undefined,
    );
    return () => controller.abort();
  }, [attempt, version]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt and version are triggers
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    const timer = setTimeout(() => {
      libraryApi
        .listReplies(
          {
            q: filters.q.trim() || undefined,
            owner: filters.owner,
            scope: filters.scope,
            platform: filters.platform,
            status: filters.status,
            categoryId: filters.categoryId ?? undefined,
            limit: PAGE,
            offset: (page - 1) * PAGE,
          },
          controller.signal,
        )
        .then(
          (list) => {
            setItems(list.items);
            setTotal(list.total);
            setError(null);
            setLoading(false);
          },
          (cause: unknown) => {
            if (controller.signal.aborted || isAbort(cause)) return;
            setError(errorText(cause, t));
            setLoading(false);
          },
        );
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [filters, page, attempt, version, t]);

  const filter = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage(1);
  };

  const remove = (reply: CannedReply) =>
    libraryApi
      .deleteReply(reply.id)
      .then(() => {
        message.success(t("library.reply.deleted"));
        reload();
      })
      .catch((cause: unknown) => void message.error(errorText(cause, t)));

  const startImport = (personal: boolean) => {
    importPersonal.current = personal;
    fileInput.current?.click();
  };

  const importFile = async (file: File) => {
    setImporting(true);
    try {
      setReport(await libraryApi.importReplies(file, importPersonal.current, me.csrfToken));
      reload();
    } catch (cause) {
      message.error(errorText(cause, t));
    } finally {
      setImporting(false);
    }
  };

  const exportFile = (personal: boolean) =>
    libraryApi.exportReplies(personal).catch((cause: unknown) => void message.error(errorText(cause, t)));

  const mayEdit = (reply: CannedReply) => (reply.personal ? reply.ownerId === me.user.id : mayShare);

  const columns: TableColumnsType<CannedReply> = [
    {
      key: "title",
      title: t("library.reply.title"),
      width: 200,
      render: (_, r) => (
        <div className="library-reply-title">
          <strong>{r.title}</strong>
          <div>
            {r.keywords.map((k) => (
              <Tag key={k}>{k}</Tag>
            ))}
          </div>
        </div>
      ),
    },
    {
      key: "text",
      title: t("library.reply.text"),
      render: (_, r) => <div className="library-reply-text">{r.text}</div>,
    },
    {
      key: "scope",
      title: t("library.reply.scope"),
      width: 150,
      render: (_, r) => (
        <Space size={2} wrap>
          {r.personal && <Tag color="purple">{t("library.personal")}</Tag>}
          {r.scope === "store" ? (
            <Tag color="blue">{r.storeLabel}</Tag>
          ) : r.scope === "platform" && r.platform ? (
            <Tag color="cyan">{platformLabels[r.platform]["zh-CN"]}</Tag>
          ) : (
            <Tag>{t("library.scope.org")}</Tag>
          )}
        </Space>
      ),
    },
    {
      key: "category",
      title: t("library.reply.category"),
      width: 140,
      render: (_, r) => r.categoryPath || <span className="muted">—</span>,
    },
    {
      key: "status",
      title: t("library.reply.window"),
      width: 170,
      render: (_, r) => (
        <div>
          <Badge status={statusBadge[r.status]} text={t(`library.status.${r.status}`)} />
          {(r.validFrom || r.validUntil) && (
            <div className="library-window-text">
              {r.validFrom ? formatDateTime(r.validFrom, locale) : "…"} –{" "}
              {r.validUntil ? formatDateTime(r.validUntil, locale) : "…"}
            </div>
          )}
        </div>
      ),
    },
    { key: "usage", title: t("library.reply.usage"), dataIndex: "usageCount", width: 80, align: "right" },
    {
      key: "actions",
      title: t("common.actions"),
      width: 110,
      render: (_, r) =>
        mayEdit(r) ? (
          <Space size={0}>
            <Button
              size="small"
              type="text"
              icon={<EditOutlined />}
              aria-label={t("library.edit")}
              data-testid="reply-edit"
              onClick={() => setEditing(r)}
            />
            <Popconfirm title={t("library.reply.deleteConfirm")} onConfirm={() => void remove(r)}>
              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t("library.delete")} />
            </Popconfirm>
          </Space>
        ) : null,
    },
  ];

  const excelItems = (kind: "import" | "export") =>
    [
      ...(mayShare ? [{ key: "shared", label: t("library.excel.shared") }] : []),
      { key: "personal", label: t("library.excel.personal") },
    ].map((item) => ({
      ...item,
      onClick: () =>
        kind === "import" ? startImport(item.key === "personal") : void exportFile(item.key === "personal"),
    }));

  return (
    <div className="library-layout" data-testid="replies-admin">
      <CategoryTree
        kind="replies"
        categories={categories}
        selected={filters.categoryId}
        onSelect={(categoryId) => filter({ categoryId })}
        editable={mayShare}
        onChanged={reload}
      />
      <div className="library-main">
        <div className="admin-toolbar library-toolbar">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")} data-testid="reply-add">
            {t("library.reply.add")}
          </Button>
          <Input.Search
            allowClear
            className="library-search"
            placeholder={t("library.reply.searchPlaceholder")}
            value={filters.q}
            onChange={(event) => filter({ q: event.target.value })}
            data-testid="reply-search"
          />
          <Select<Owner>
            value={filters.owner}
            onChange={(owner) => filter({ owner })}
            options={[
              { value: "all", label: t("library.owner.all") },
              { value: "shared", label: t("library.owner.shared") },
              { value: "mine", label: t("library.owner.mine") },
            ]}
            className="library-filter"
          />
          <Select<ReplyScope>
            allowClear
            placeholder={t("library.reply.scope")}
            value={filters.scope}
            onChange={(scope) => filter({ scope })}
            options={(["org", "platform", "store"] as const).map((s) => ({ value: s, label: t(`library.scope.${s}`) }))}
            className="library-filter"
          />
          <Select<PlatformId>
            allowClear
            placeholder={t("library.reply.platform")}
            value={filters.platform}
            onChange={(platform) => filter({ platform })}
            options={platformIds.map((p) => ({ value: p, label: platformLabels[p]["zh-CN"] }))}
            className="library-filter"
          />
          <Select<ReplyStatus>
            allowClear
            placeholder={t("library.reply.window")}
            value={filters.status}
            onChange={(status) => filter({ status })}
            options={(["active", "scheduled", "expired"] as const).map((s) => ({
              value: s,
              label: t(`library.status.${s}`),
            }))}
            className="library-filter"
          />
          <Dropdown menu={{ items: excelItems("import") }}>
            <Button icon={<UploadOutlined />} loading={importing} data-testid="reply-import">
              {t("library.excel.import")}
            </Button>
          </Dropdown>
          <Dropdown menu={{ items: excelItems("export") }}>
            <Button icon={<DownloadOutlined />} data-testid="reply-export">
              {t("library.excel.export")}
            </Button>
          </Dropdown>
          <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")} />
          <input
            ref={fileInput}
            type="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            hidden
            data-testid="reply-import-file"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = "";
              if (file) void importFile(file);
            }}
          />
        </div>
        <p className="library-hint">{t("library.excel.layout")}</p>
        {error && <Alert type="error" showIcon title={error} />}
        <div data-testid="replies-table">
          <Table<CannedReply>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={items}
            loading={loading}
            scroll={{ x: 960 }}
            pagination={{
              current: page,
              pageSize: PAGE,
              total,
              showSizeChanger: false,
              onChange: setPage,
              showTotal: (n) => t("library.total", { count: n }),
            }}
          />
        </div>
      </div>
      {editing && (
        <ReplyFormModal
          reply={editing === "new" ? null : editing}
          categories={categories}
          stores={stores}
          mayShare={mayShare}
          defaultCategoryId={filters.categoryId}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            message.success(t("library.saved"));
            reload();
          }}
        />
      )}
      {report && <ImportReport report={report} onClose={() => setReport(null)} />}
    </div>
  );
}

/** What an import did: rows imported, left as they were, and each refused row with its reason. */
function ImportReport({ report, onClose }: { report: ReplyImportReport; onClose: () => void }) {
  const t = useT();
  return (
    <Modal
      open
      title={t("library.import.title")}
      onCancel={onClose}
      onOk={onClose}
      cancelButtonProps={{ hidden: true }}
      okText={t("library.import.close")}
      width={640}
    >
      <div data-testid="import-report">
        <Alert
          type={report.refused.length > 0 ? "warning" : "success"}
          showIcon
          title={t("library.import.summary", {
            rows: report.rows,
            imported: report.imported,
            unchanged: report.unchanged,
            refused: report.refused.length,
          })}
          description={
            report.categoriesCreated > 0
              ? t("library.import.categories", { count: report.categoriesCreated })
              : undefined
          }
        />
        {report.refused.length > 0 && (
          <Table
            className="library-import-refused"
            size="small"
            rowKey={(r) => `${r.row}-${r.code}`}
            pagination={false}
            dataSource={report.refused}
            columns={[
              { key: "row", title: t("library.import.row"), dataIndex: "row", width: 70 },
              { key: "column", title: t("library.import.column"), width: 90, render: (_, r) => r.column ?? "—" },
              {
                key: "reason",
                title: t("library.import.reason"),
                render: (_, r) => (
                  <span>
                    {t(`library.refusal.${r.code}`)}
                    {r.value && (
                      <span className="muted">（{r.value.length > 30 ? `${r.value.slice(0, 30)}…` : r.value}）</span>
                    )}
                  </span>
                ),
              },
            ]}
          />
        )}
      </div>
    </Modal>
  );
}
