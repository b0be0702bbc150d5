import { PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import type { KbArticleSummary, LibraryCategory } from "@yunxi/contracts";
import type { TableColumnsType } from "antd";
import { Alert, App, Button, Input, Popconfirm, Space, Table, Tag } from "antd";
import { useCallback, useEffect, useState } from "react";
import { libraryApi } from "../assist/library-api.ts";
import { useLibraryVersion } from "../assist/use-library-changes.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useInbox } from "../inbox/inbox-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { ArticleEditor } from "./article-editor.tsx";
import { CategoryTree } from "./category-tree.tsx";
import { managesLibrary } from "./permissions.ts";

const PAGE = 30;

/** 知识库 management: the category tree, the articles (ranked when searching), the editor with versions. */
export function KnowledgeAdmin() {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const { message } = App.useApp();
  const { stores } = useInbox();
  const editable = managesLibrary(me.user.role);
  const version = useLibraryVersion("kb");
  const [q, setQ] = useState("");
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [items, setItems] = useState<KbArticleSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [categories, setCategories] = useState<LibraryCategory[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [open, setOpen] = useState<string | "new" | null>(null);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt and version are triggers
  useEffect(() => {
    const controller = new AbortController();
    libraryApi.categories("kb", controller.signal).then(
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
        .listArticles(
          { q: q.trim() || undefined, categoryId: categoryId ?? undefined, limit: PAGE, offset: (page - 1) * PAGE },
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
  }, [q, categoryId, page, attempt, version, t]);

  const remove = (id: string) =>
    libraryApi
      .deleteArticle(id)
      .then(() => {
        message.success(t("library.kb.deleted"));
        reload();
      })
      .catch((cause: unknown) => void message.error(errorText(cause, t)));

  const columns: TableColumnsType<KbArticleSummary> = [
    {
      key: "title",
      title: t("library.kb.title"),
      render: (_, a) => (
        <div>
          <Button type="link" className="library-article-link" onClick={() => setOpen(a.id)} data-testid="article-open">
            {a.title}
          </Button>
          <div className="library-snippet">{a.snippet}</div>
          {a.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </div>
      ),
    },
    { key: "category", title: t("library.reply.category"), width: 150, render: (_, a) => a.categoryPath || "—" },
    {
      key: "store",
      title: t("library.kb.store"),
      width: 140,
      render: (_, a) => (a.storeLabel ? <Tag color="blue">{a.storeLabel}</Tag> : t("library.kb.allStores")),
    },
    {
      key: "updated",
      title: t("library.kb.updated"),
      width: 190,
      render: (_, a) => (
        <div>
          v{a.version} · {a.updatedBy?.name ?? "—"}
          <div className="muted">{formatDateTime(a.updatedAt, locale)}</div>
        </div>
      ),
    },
    ...(editable
      ? [
          {
            key: "actions",
            title: t("common.actions"),
            width: 80,
            render: (_: unknown, a: KbArticleSummary) => (
              <Popconfirm title={t("library.kb.deleteConfirm")} onConfirm={() => void remove(a.id)}>
                <Button size="small" type="text" danger>
                  {t("library.delete")}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  return (
    <div className="library-layout" data-testid="kb-admin">
      <CategoryTree
        kind="kb"
        categories={categories}
        selected={categoryId}
        onSelect={(id) => {
          setCategoryId(id);
          setPage(1);
        }}
        editable={editable}
        onChanged={reload}
      />
      <div className="library-main">
        <div className="admin-toolbar library-toolbar">
          {editable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen("new")} data-testid="article-add">
              {t("library.kb.add")}
            </Button>
          )}
          <Input.Search
            allowClear
            className="library-search"
            placeholder={t("assist.kb.searchPlaceholder")}
            value={q}
            onChange={(event) => {
              setQ(event.target.value);
              setPage(1);
            }}
            data-testid="article-search"
          />
          <Space>
            <Button icon={<ReloadOutlined />} onClick={reload} aria-label={t("common.reload")} />
          </Space>
        </div>
        {error && <Alert type="error" showIcon title={error} />}
        <div data-testid="articles-table">
          <Table<KbArticleSummary>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={items}
            loading={loading}
            scroll={{ x: 800 }}
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
      {open && (
        <ArticleEditor
          articleId={open === "new" ? null : open}
          categories={categories}
          stores={stores}
          defaultCategoryId={categoryId}
          editable={editable}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            if (open === "new") setOpen(saved.id);
            reload();
          }}
        />
      )}
    </div>
  );
}
