import { ArrowLeftOutlined, EnterOutlined, PaperClipOutlined } from "@ant-design/icons";
import type { Conversation, KbArticle, KbSearchHit } from "@yunxi/contracts";
import { Alert, Button, Empty, Input, List, Spin, Tag } from "antd";
import type { ReactNode } from "react";
import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { errorText, isAbort } from "../shared/error-text.ts";
import { libraryApi } from "./library-api.ts";
import { MarkdownView } from "./markdown-view.tsx";
import { useLibraryVersion } from "./use-library-changes.ts";
import "./assist.css";

type Props = {
  /** Searches the articles of this conversation's store (and the org-wide ones); without it, every store the agent serves. */
  conversation?: Pick<Conversation, "id" | "storeId"> | null;
  /** Puts the article's text (or the chosen part) into the reply box. */
  onInsert: (text: string) => void;
};

/**
 * The knowledge base beside a conversation (知识库): ranked Chinese search as the agent
 * types (synonyms and typos forgiven), the article with its attachments, and "insert
 * into reply". Results follow edits made meanwhile (realtime).
 */
export function KnowledgePanel({ conversation, onInsert }: Props) {
  const t = useT();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<KbSearchHit[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const version = useLibraryVersion("kb");
  const storeId = conversation?.storeId;

  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), 200);
    return () => clearTimeout(timer);
  }, [text]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is a trigger
  useEffect(() => {
    if (!q) {
      setHits([]);
      setError(null);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    libraryApi.searchKnowledge({ q, ...(storeId && { storeId }), limit: 20 }, controller.signal).then(
      (result) => {
        setHits(result.items);
        setError(null);
        setLoading(false);
      },
      (cause: unknown) => {
        if (controller.signal.aborted || isAbort(cause)) return;
        setError(errorText(cause, t));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [q, storeId, version, t]);

  if (openId) {
    return (
      <ArticleView id={openId} version={version} onBack={() => setOpenId(null)} onInsert={onInsert} highlight={q} />
    );
  }

  return (
    <div className="kb-panel" data-testid="knowledge-panel">
      <Input.Search
        allowClear
        value={text}
        onChange={(event) => setText(event.target.value)}
        onSearch={(value) => setQ(value.trim())}
        placeholder={t("assist.kb.searchPlaceholder")}
        aria-label={t("assist.kb.searchPlaceholder")}
        data-testid="knowledge-search"
        loading={loading}
      />
      {error && <Alert type="error" showIcon title={error} />}
      {!q ? (
        <p className="kb-panel-hint">{t("assist.kb.hint")}</p>
      ) : hits.length === 0 && !loading ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("assist.kb.empty")} />
      ) : (
        <List
          size="small"
          className="kb-results"
          dataSource={hits}
          rowKey={(hit) => hit.article.id}
          renderItem={(hit) => (
            <List.Item
              className="kb-result"
              data-testid="knowledge-result"
              onClick={() => setOpenId(hit.article.id)}
              actions={[
                <Button
                  key="insert"
                  size="small"
                  type="link"
                  icon={<EnterOutlined />}
                  data-testid="knowledge-insert"
                  onClick={(event) => {
                    event.stopPropagation();
                    libraryApi.article(hit.article.id).then(
                      (article) => onInsert(article.plainText),
                      (cause: unknown) => setError(errorText(cause, t)),
                    );
                  }}
                >
                  {t("assist.kb.insert")}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <span className="kb-result-title">
                    {highlight(hit.article.title, hit.highlights)}
                    {hit.match === "characters" && <Tag className="kb-fuzzy">{t("assist.kb.fuzzy")}</Tag>}
                  </span>
                }
                description={
                  <>
                    <div className="kb-snippet">{highlight(hit.article.snippet, hit.highlights)}</div>
                    <div className="kb-result-meta">
                      {hit.article.categoryPath && <span>{hit.article.categoryPath}</span>}
                      {hit.article.storeLabel && <Tag>{hit.article.storeLabel}</Tag>}
                    </div>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );
}

export function ArticleView({
  id,
  version,
  onBack,
  onInsert,
  highlight: query,
}: {
  id: string;
  version: number;
  onBack: () => void;
  onInsert: (text: string) => void;
  highlight: string;
}) {
  const t = useT();
  const [article, setArticle] = useState<KbArticle | null>(null);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is a trigger (the article was edited)
  useEffect(() => {
    const controller = new AbortController();
    libraryApi.article(id, controller.signal).then(setArticle, (cause: unknown) => {
      if (!controller.signal.aborted && !isAbort(cause)) setError(errorText(cause, t));
    });
    return () => controller.abort();
  }, [id, version, t]);

  const selection = () => {
    const chosen = window.getSelection()?.toString().trim();
    return chosen && chosen.length > 0 ? chosen : null;
  };

  return (
    <div className="kb-panel kb-article" data-testid="knowledge-article" data-query={query}>
      <div className="kb-article-bar">
        <Button size="small" type="text" icon={<ArrowLeftOutlined />} onClick={onBack}>
          {t("assist.kb.back")}
        </Button>
        {article && (
          <Button
            size="small"
            type="primary"
            icon={<EnterOutlined />}
            data-testid="knowledge-article-insert"
            // The selected part if there is one, else the whole text.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onInsert(selection() ?? article.plainText)}
          >
            {t("assist.kb.insert")}
          </Button>
        )}
      </div>
      {error && <Alert type="error" showIcon title={error} />}
      {!article && !error && <Spin />}
      {article && (
        <>
          <h3 className="kb-article-title">{article.title}</h3>
          <div className="kb-result-meta">
            {article.categoryPath && <span>{article.categoryPath}</span>}
            {article.storeLabel && <Tag>{article.storeLabel}</Tag>}
          </div>
          <MarkdownView markdown={article.body} />
          {article.attachments.length > 0 && (
            <ul className="kb-attachments">
              {article.attachments.map((a) => (
                <li key={a.id}>
                  <PaperClipOutlined />{" "}
                  <a href={a.url} target="_blank" rel="noopener noreferrer">
                    {a.fileName}
                  </a>
                </li>
              ))}
            </ul>
          )}
          <p className="kb-panel-hint">{t("assist.kb.insertHint")}</p>
        </>
      )}
    </div>
  );
}

/** The text with the query's words marked. */
export function highlight(text: string, words: readonly string[]): ReactNode {
  const wanted = words.filter((w) => w.length > 0).sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return text;
  const escaped = wanted.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const parts = text.split(new RegExp(`(${escaped.join("|")})`, "gi"));
  return parts.map((part, i) =>
    i % 2 === 1 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one string, in order
      <mark key={i}>{part}</mark>
    ) : (
      part
    ),
  );
}
