import {
  BoldOutlined,
  DeleteOutlined,
  FontSizeOutlined,
  HistoryOutlined,
  LinkOutlined,
  OrderedListOutlined,
  PaperClipOutlined,
  UnorderedListOutlined,
} from "@ant-design/icons";
import type { KbArticle, KbVersion, KbVersionDetail, LibraryCategory, Store } from "@yunxi/contracts";
import {
  Alert,
  App,
  Button,
  Drawer,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Select,
  Space,
  Spin,
  Tabs,
  Tag,
  TreeSelect,
} from "antd";
import type { TextAreaRef } from "antd/es/input/TextArea";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiRequestError } from "../api/client.ts";
import { libraryApi } from "../assist/library-api.ts";
import { MarkdownView } from "../assist/markdown-view.tsx";
import { useMe } from "../auth/auth-provider.tsx";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { toTreeSelectData } from "./category-tree.tsx";

type Values = { title: string; body: string; categoryId?: string | null; storeId?: string | null; tags: string[] };

type Props = {
  /** null: a new article. */
  articleId: string | null;
  categories: readonly LibraryCategory[];
  stores: readonly Store[];
  defaultCategoryId: string | null;
  /** Supervisors and above edit; agents read. */
  editable: boolean;
  onClose: () => void;
  onSaved: (article: KbArticle) => void;
};

/**
 * A knowledge-base article: Markdown with a preview, category, store, tags, attachments,
 * and its versions (who changed what, when; restoring one saves it as a new version).
 * A save over a version someone else saved meanwhile is refused, not lost.
 */
export function ArticleEditor({ articleId, categories, stores, defaultCategoryId, editable, onClose, onSaved }: Props) {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const body = Form.useWatch("body", form) ?? "";
  const [article, setArticle] = useState<KbArticle | null>(null);
  const [loading, setLoading] = useState(articleId !== null);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [uploading, setUploading] = useState(false);
  const textRef = useRef<TextAreaRef>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const load = useCallback(
    (id: string, signal?: AbortSignal) =>
      libraryApi.article(id, signal).then(
        (loaded) => {
          setArticle(loaded);
          form.setFieldsValue({
            title: loaded.title,
            body: loaded.body,
            categoryId: loaded.categoryId,
            storeId: loaded.storeId,
            tags: loaded.tags,
          });
          setLoading(false);
        },
        (cause: unknown) => {
          if (signal?.aborted || isAbort(cause)) return;
          setFailure(errorText(cause, t));
          setLoading(false);
        },
      ),
    [form, t],
  );

  useEffect(() => {
    if (!articleId) return;
    const controller = new AbortController();
    void load(articleId, controller.signal);
    return () => controller.abort();
  }, [articleId, load]);

  const wrap = (before: string, after = before, placeholder = "") => {
    const area = textRef.current?.resizableTextArea?.textArea;
    const current: string = form.getFieldValue("body") ?? "";
    const start = area?.selectionStart ?? current.length;
    const end = area?.selectionEnd ?? current.length;
    const chosen = current.slice(start, end) || placeholder;
    form.setFieldValue("body", current.slice(0, start) + before + chosen + after + current.slice(end));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + before.length, start + before.length + chosen.length);
    });
  };

  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    setFailure(null);
    try {
      const request = {
        title: v.title.trim(),
        body: v.body ?? "",
        categoryId: v.categoryId ?? null,
        storeId: v.storeId ?? null,
        tags: v.tags ?? [],
      };
      const saved = article
        ? await libraryApi.updateArticle(article.id, { ...request, baseVersion: article.version })
        : await libraryApi.createArticle(request);
      setArticle(saved);
      form.setFieldsValue({ body: saved.body });
      message.success(t("library.saved"));
      onSaved(saved);
    } catch (cause) {
      setFailure(
        cause instanceof ApiRequestError && cause.status === 409 ? t("library.kb.conflict") : errorText(cause, t),
      );
    } finally {
      setSaving(false);
    }
  };

  const attach = async (file: File) => {
    if (!article) return;
    setUploading(true);
    try {
      const attachment = await libraryApi.attach(article.id, file, me.csrfToken);
      if (attachment.mime.startsWith("image/")) wrap(`![${attachment.fileName}](${attachment.url})`, "", "");
      await load(article.id);
    } catch (cause) {
      message.error(errorText(cause, t));
    } finally {
      setUploading(false);
    }
  };

  const detach = async (id: string) => {
    if (!article) return;
    try {
      await libraryApi.removeAttachment(id);
      await load(article.id);
    } catch (cause) {
      message.error(errorText(cause, t));
    }
  };

  const storeOptions = [
    { value: "", label: t("library.kb.allStores") },
    ...stores.map((s) => ({ value: s.id, label: s.label })),
  ];

  return (
    <Drawer
      open
      size="large"
      title={article ? t("library.kb.editTitle", { version: article.version }) : t("library.kb.createTitle")}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          {article && (
            <Button icon={<HistoryOutlined />} onClick={() => setVersionsOpen(true)} data-testid="article-versions">
              {t("library.kb.versions")}
            </Button>
          )}
          {editable && (
            <Button
              type="primary"
              loading={saving}
              onClick={() => void save().catch(() => undefined)}
              data-testid="article-save"
            >
              {t("common.save")}
            </Button>
          )}
        </Space>
      }
    >
      {loading ? (
        <Spin />
      ) : (
        <div data-testid="article-editor">
          {failure && <Alert className="form-failure" type="error" showIcon title={failure} />}
          <Form
            form={form}
            layout="vertical"
            disabled={!editable}
            requiredMark={false}
            initialValues={{ title: "", body: "", categoryId: defaultCategoryId, storeId: null, tags: [] }}
          >
            <Form.Item
              name="title"
              label={t("library.kb.title")}
              rules={[{ required: true, whitespace: true, message: t("form.required") }]}
            >
              <Input maxLength={200} data-testid="article-title" />
            </Form.Item>
            <div className="library-article-meta">
              <Form.Item name="categoryId" label={t("library.reply.category")}>
                <TreeSelect allowClear treeDefaultExpandAll treeData={toTreeSelectData(categories)} />
              </Form.Item>
              <Form.Item
                name="storeId"
                label={t("library.kb.store")}
                getValueProps={(value?: string | null) => ({ value: value ?? "" })}
                normalize={(value: string) => (value === "" ? null : value)}
              >
                <Select options={storeOptions} />
              </Form.Item>
              <Form.Item name="tags" label={t("library.kb.tags")}>
                <Select mode="tags" open={false} tokenSeparators={[",", "，", "、", " "]} />
              </Form.Item>
            </div>
            <Tabs
              size="small"
              items={[
                {
                  key: "edit",
                  label: t("library.kb.edit"),
                  children: (
                    <>
                      {editable && (
                        <Space size={2} className="library-md-toolbar">
                          <Button
                            size="small"
                            icon={<FontSizeOutlined />}
                            aria-label={t("library.kb.md.heading")}
                            onClick={() => wrap("## ", "", t("library.kb.md.heading"))}
                          />
                          <Button
                            size="small"
                            icon={<BoldOutlined />}
                            aria-label={t("library.kb.md.bold")}
                            onClick={() => wrap("**", "**", t("library.kb.md.bold"))}
                          />
                          <Button
                            size="small"
                            icon={<UnorderedListOutlined />}
                            aria-label={t("library.kb.md.list")}
                            onClick={() => wrap("\n- ", "", "")}
                          />
                          <Button
                            size="small"
                            icon={<OrderedListOutlined />}
                            aria-label={t("library.kb.md.ordered")}
                            onClick={() => wrap("\n1. ", "", "")}
                          />
                          <Button
                            size="small"
                            icon={<LinkOutlined />}
                            aria-label={t("library.kb.md.link")}
                            onClick={() => wrap("[", "](https://)", t("library.kb.md.link"))}
                          />
                          <Button
                            size="small"
                            icon={<PaperClipOutlined />}
                            disabled={!article}
                            title={article ? undefined : t("library.kb.attachAfterSave")}
                            loading={uploading}
                            onClick={() => fileInput.current?.click()}
                            data-testid="article-attach"
                          >
                            {t("library.kb.attach")}
                          </Button>
                        </Space>
                      )}
                      <Form.Item name="body" noStyle>
                        <Input.TextArea
                          ref={textRef}
                          autoSize={{ minRows: 12, maxRows: 30 }}
                          data-testid="article-body"
                        />
                      </Form.Item>
                    </>
                  ),
                },
                {
                  key: "preview",
                  label: t("library.kb.preview"),
                  children: <MarkdownView markdown={body} className="library-preview" />,
                },
              ]}
            />
          </Form>
          <input
            ref={fileInput}
            type="file"
            hidden
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = "";
              if (file) void attach(file);
            }}
          />
          {article && article.attachments.length > 0 && (
            <List
              size="small"
              className="library-attachments"
              header={t("library.kb.attachments")}
              dataSource={article.attachments}
              renderItem={(a) => (
                <List.Item
                  actions={
                    editable
                      ? [
                          <Popconfirm
                            key="remove"
                            title={t("library.kb.detachConfirm")}
                            onConfirm={() => void detach(a.id)}
                          >
                            <Button
                              size="small"
                              type="text"
                              danger
                              icon={<DeleteOutlined />}
                              aria-label={t("library.delete")}
                            />
                          </Popconfirm>,
                        ]
                      : []
                  }
                >
                  <a href={a.url} target="_blank" rel="noopener noreferrer">
                    <PaperClipOutlined /> {a.fileName}
                  </a>
                  <span className="muted"> {Math.ceil(a.size / 1024)} KB</span>
                </List.Item>
              )}
            />
          )}
        </div>
      )}
      {versionsOpen && article && (
        <VersionsDrawer
          articleId={article.id}
          current={article.version}
          editable={editable}
          onClose={() => setVersionsOpen(false)}
          onRestored={(restored) => {
            setVersionsOpen(false);
            void load(restored.id);
            onSaved(restored);
          }}
        />
      )}
    </Drawer>
  );
}

function VersionsDrawer({
  articleId,
  current,
  editable,
  onClose,
  onRestored,
}: {
  articleId: string;
  current: number;
  editable: boolean;
  onClose: () => void;
  onRestored: (article: KbArticle) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const [versions, setVersions] = useState<KbVersion[] | null>(null);
  const [viewing, setViewing] = useState<KbVersionDetail | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    libraryApi.versions(articleId, controller.signal).then(
      (list) => setVersions(list.items),
      (cause: unknown) => {
        if (!controller.signal.aborted && !isAbort(cause)) message.error(errorText(cause, t));
      },
    );
    return () => controller.abort();
  }, [articleId, message, t]);

  const restore = (version: number) =>
    libraryApi
      .restoreVersion(articleId, version)
      .then((restored) => {
        message.success(t("library.kb.restored", { version }));
        onRestored(restored);
      })
      .catch((cause: unknown) => void message.error(errorText(cause, t)));

  const view = (version: number) =>
    libraryApi
      .version(articleId, version)
      .then(setViewing, (cause: unknown) => void message.error(errorText(cause, t)));

  return (
    <Drawer open title={t("library.kb.versions")} onClose={onClose} size="default">
      {!versions ? (
        <Spin />
      ) : (
        <List
          data-testid="article-version-list"
          dataSource={versions}
          rowKey={(v) => String(v.version)}
          renderItem={(v) => (
            <List.Item
              actions={[
                <Button key="view" size="small" type="link" onClick={() => void view(v.version)}>
                  {t("library.kb.view")}
                </Button>,
                ...(editable && v.version !== current
                  ? [
                      <Popconfirm
                        key="restore"
                        title={t("library.kb.restoreConfirm", { version: v.version })}
                        onConfirm={() => void restore(v.version)}
                      >
                        <Button size="small" type="link" data-testid="article-restore">
                          {t("library.kb.restore")}
                        </Button>
                      </Popconfirm>,
                    ]
                  : []),
              ]}
            >
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <strong>v{v.version}</strong>
                    {v.version === current && <Tag color="blue">{t("library.kb.current")}</Tag>}
                    {v.changes.map((c) => (
                      <Tag key={c}>{t(changeKey(c))}</Tag>
                    ))}
                  </Space>
                }
                description={
                  <>
                    <div>
                      {v.editedBy?.name ?? "—"} · {formatDateTime(v.editedAt, locale)}
                    </div>
                    {v.note && <div className="muted">{v.note}</div>}
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      {viewing && (
        <Modal
          open
          width={720}
          title={`v${viewing.version} · ${viewing.title}`}
          footer={null}
          onCancel={() => setViewing(null)}
        >
          <MarkdownView markdown={viewing.body} />
        </Modal>
      )}
    </Drawer>
  );
}

const changeKeys = {
  created: "library.kb.change.created",
  title: "library.kb.change.title",
  body: "library.kb.change.body",
  category: "library.kb.change.category",
  store: "library.kb.change.store",
  tags: "library.kb.change.tags",
  attachments: "library.kb.change.attachments",
  restored: "library.kb.change.restored",
} as const;

const changeKey = (change: string) => changeKeys[(change in changeKeys ? change : "body") as keyof typeof changeKeys];
