import {
  BulbOutlined,
  CarOutlined,
  DownOutlined,
  EnterOutlined,
  ProfileOutlined,
  ReloadOutlined,
  RiseOutlined,
  RollbackOutlined,
  TeamOutlined,
  UpOutlined,
  WarningOutlined,
} from "@ant-design/icons";
import type { Conversation, Recommendation, RecommendedAction, RecommendedReply } from "@yunxi/contracts";
import { App, Button, Drawer, Popconfirm, Tag, Tooltip } from "antd";
import type { ReactNode } from "react";
import { useState } from "react";
import { useMe } from "../auth/auth-provider.tsx";
import { formatDateTime } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import type { Translate } from "../i18n/locales.ts";
import { useInboxActions } from "../inbox/inbox-provider.tsx";
import { useAgentsById } from "../inbox/selectors.ts";
import { errorText } from "../shared/error-text.ts";
import { insertIntoReply } from "../thread/insert-into-reply.ts";
import { ArticleView } from "./knowledge-panel.tsx";
import { libraryApi } from "./library-api.ts";
import { entityChips, escalationTarget, hasSuggestions } from "./recommendation.ts";
import { useLibraryVersion } from "./use-library-changes.ts";
import { useRecommendation } from "./use-recommendation.ts";
import "./assist.css";

type Props = {
  conversation: Conversation;
  /** Opens the buyer's orders with this one in view (its parcel trace open). */
  onOpenOrder: (orderId: string) => void;
};

const collapsedKey = "yunxi.recommendation.collapsed";
const readCollapsed = () => {
  try {
    return localStorage.getItem(collapsedKey) === "1";
  } catch {
    return false;
  }
};

/**
 * 推荐方案 above the composer: the intent tag AI pre-review gave the buyer's latest
 * messages, why the bot did not answer, the best canned reply (one click into the reply
 * box, filled; a value the conversation lacks stays `{…}` and the send guard stops it),
 * the knowledge-base articles, and the actions the buyer's orders call for. Follows new
 * buyer messages and corrections of the tag live. Folds to one line.
 */
export function RecommendationCard({ conversation, onOpenOrder }: Props) {
  const t = useT();
  const { recommendation: r, loading, error, reload } = useRecommendation(conversation);
  const [collapsed, setCollapsed] = useState(readCollapsed);
  const [articleId, setArticleId] = useState<string | null>(null);
  const kbVersion = useLibraryVersion("kb");

  const toggle = () => {
    const next = !collapsed;
    setCollapsed(next);
    try {
      localStorage.setItem(collapsedKey, next ? "1" : "0");
    } catch {
      // Storage off: folded for this page only.
    }
  };
  if (!r && !error) return null;
  if (r && r.intent === null) return null;
  const best = r?.replies[0];

  return (
    <section
      className={`recommendation${collapsed ? " is-collapsed" : ""}`}
      data-testid="recommendation"
      data-intent={r?.intent ?? undefined}
      aria-busy={loading}
      aria-label={t("recommend.title")}
    >
      <header className="recommendation-head">
        <BulbOutlined className="recommendation-icon" />
        <span className="recommendation-title">{t("recommend.title")}</span>
        {r && <IntentChip recommendation={r} />}
        {r?.bot && <BotNotice bot={r.bot} />}
        {collapsed && best && (
          <span className="recommendation-peek" title={best.filledText}>
            {best.reply.title}
          </span>
        )}
        <span className="recommendation-spacer" />
        {collapsed && best && <InsertReplyButton conversationId={conversation.id} hit={best} compact />}
        <Button
          size="small"
          type="text"
          icon={collapsed ? <DownOutlined /> : <UpOutlined />}
          onClick={toggle}
          aria-expanded={!collapsed}
          data-testid="recommendation-toggle"
        >
          {collapsed ? t("recommend.expand") : t("recommend.collapse")}
        </Button>
      </header>
      {error && (
        <div className="recommendation-error" role="alert">
          {t("recommend.loadFailed", { reason: error })}{" "}
          <Button size="small" type="link" icon={<ReloadOutlined />} onClick={reload}>
            {t("recommend.retry")}
          </Button>
        </div>
      )}
      {r && !collapsed && (
        <div className="recommendation-body">
          <Entities recommendation={r} />
          {!hasSuggestions(r) && <p className="recommendation-empty">{t("recommend.empty")}</p>}
          {r.replies.length > 0 && (
            <Section label={t("recommend.replies")}>
              {r.replies.map((hit, i) => (
                <ReplyRow key={hit.reply.id} conversationId={conversation.id} hit={hit} primary={i === 0} />
              ))}
            </Section>
          )}
          {r.articles.length > 0 && (
            <Section label={t("recommend.articles")}>
              {r.articles.map((hit) => (
                <div key={hit.article.id} className="recommendation-row" data-testid="recommendation-article">
                  <Button
                    type="link"
                    size="small"
                    className="recommendation-link"
                    onClick={() => setArticleId(hit.article.id)}
                    data-testid="recommendation-article-open"
                  >
                    {hit.article.title}
                  </Button>
                  <span className="recommendation-snippet" title={hit.article.snippet}>
                    {hit.article.snippet}
                  </span>
                  <ArticleInsertButton conversationId={conversation.id} articleId={hit.article.id} />
                </div>
              ))}
            </Section>
          )}
          {r.actions.length > 0 && (
            <Section label={t("recommend.actions")}>
              {r.actions.map((action) => (
                <ActionRow
                  key={`${action.kind}:${"order" in action ? action.order.id : ""}`}
                  action={action}
                  conversation={conversation}
                  onOpenOrder={onOpenOrder}
                />
              ))}
            </Section>
          )}
        </div>
      )}
      <Drawer
        open={articleId !== null}
        onClose={() => setArticleId(null)}
        title={t("recommend.articleTitle")}
        size={420}
        destroyOnHidden
      >
        {articleId && (
          <ArticleView
            id={articleId}
            version={kbVersion}
            onBack={() => setArticleId(null)}
            onInsert={(text) => {
              insertIntoReply(conversation.id, text);
              setArticleId(null);
            }}
            highlight=""
          />
        )}
      </Drawer>
    </section>
  );
}

function Section({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="recommendation-section">
      <span className="recommendation-label">{label}</span>
      <div className="recommendation-items">{children}</div>
    </div>
  );
}

function IntentChip({ recommendation: r }: { recommendation: Recommendation }) {
  const t = useT();
  const source = r.intentSource;
  const detail =
    r.confidence !== null
      ? `${Math.round(r.confidence * 100)}%`
      : source === "agent"
        ? t("recommend.source.agent")
        : t("recommend.source.earlier");
  return (
    <Tooltip title={t(`recommend.sourceHint.${source ?? "model"}`)}>
      <Tag
        color={source === "guess" ? "default" : "purple"}
        className="recommendation-tag"
        data-testid="recommendation-tag"
      >
        {r.tag} <span className="recommendation-confidence">{detail}</span>
      </Tag>
    </Tooltip>
  );
}

function BotNotice({ bot }: { bot: NonNullable<Recommendation["bot"]> }) {
  const t = useT();
  const reason = t(`autoreply.reason.${bot.reason}`);
  const text =
    bot.outcome === "handed_over" ? t("recommend.bot.handedOver", { reason }) : t("recommend.bot.skipped", { reason });
  return (
    <Tooltip title={bot.note || undefined}>
      <span className="recommendation-bot" data-testid="recommendation-bot" data-reason={bot.reason}>
        <WarningOutlined /> {text}
      </span>
    </Tooltip>
  );
}

function Entities({ recommendation: r }: { recommendation: Recommendation }) {
  const t = useT();
  const chips = entityChips(r.entities);
  if (chips.length === 0) return null;
  return (
    <Section label={t("recommend.entities")}>
      <div className="recommendation-chips" data-testid="recommendation-entities">
        {chips.map((chip) => (
          <Tag key={chip} className="recommendation-entity">
            {chip}
          </Tag>
        ))}
      </div>
    </Section>
  );
}

function ReplyRow({
  conversationId,
  hit,
  primary,
}: {
  conversationId: string;
  hit: RecommendedReply;
  primary: boolean;
}) {
  const t = useT();
  return (
    <div className={`recommendation-row${primary ? " is-best" : ""}`} data-testid="recommendation-reply">
      <span className="recommendation-reply-title">{hit.reply.title}</span>
      <span className="recommendation-snippet" title={hit.filledText}>
        {hit.filledText}
      </span>
      {hit.missing.length > 0 && (
        <Tooltip title={t("assist.picker.missingHint")}>
          <Tag color="warning" icon={<WarningOutlined />} data-testid="recommendation-missing">
            {t("assist.picker.missing", { names: hit.missing.join("、") })}
          </Tag>
        </Tooltip>
      )}
      <InsertReplyButton conversationId={conversationId} hit={hit} primary={primary} />
    </div>
  );
}

/** Into the reply box, filled; the usage is counted as when picked from the composer's list. */
function InsertReplyButton({
  conversationId,
  hit,
  primary = false,
  compact = false,
}: {
  conversationId: string;
  hit: RecommendedReply;
  primary?: boolean;
  compact?: boolean;
}) {
  const t = useT();
  return (
    <Button
      size="small"
      type={primary || compact ? "primary" : "default"}
      icon={<EnterOutlined />}
      data-testid={compact ? "recommendation-insert-best" : "recommendation-insert"}
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => {
        insertIntoReply(conversationId, hit.filledText);
        void libraryApi.recordUsage(hit.reply.id, conversationId).catch(() => undefined);
      }}
    >
      {t("recommend.insert")}
    </Button>
  );
}

function ArticleInsertButton({ conversationId, articleId }: { conversationId: string; articleId: string }) {
  const t = useT();
  const { message } = App.useApp();
  return (
    <Button
      size="small"
      icon={<EnterOutlined />}
      data-testid="recommendation-article-insert"
      onMouseDown={(event) => event.preventDefault()}
      onClick={() =>
        libraryApi.article(articleId).then(
          (article) => insertIntoReply(conversationId, article.plainText),
          (cause: unknown) => void message.error(errorText(cause, t)),
        )
      }
    >
      {t("recommend.insert")}
    </Button>
  );
}

/** What the action says: its reason, the order's number, and for a parcel its carrier, waybill and latest scan. */
function actionText(action: RecommendedAction, t: Translate, when: (iso: string) => string): string {
  const time = "order" in action && action.order.promisedShipAt ? when(action.order.promisedShipAt) : "";
  const reason = t(`recommend.reason.${action.reason}`, { time });
  if (action.kind === "transfer_group") return t("recommend.why.group", { reason, group: action.groupName });
  if (action.kind === "escalate") return reason;
  const parts = [t("recommend.why.order", { reason, orderNo: action.order.orderNo })];
  if (action.kind === "check_logistics") {
    const parcel = [action.order.carrier, action.order.trackingNo].filter(Boolean).join(" ");
    if (parcel) parts.push(parcel);
    parts.push(
      action.latestNode
        ? t("recommend.why.latest", { node: action.latestNode.description, time: when(action.latestNode.at) })
        : t("recommend.why.noTrace"),
    );
  }
  if (action.kind === "refund_status") parts.push(action.order.platformStatus);
  return parts.join(" · ");
}

const actionIcons: Record<RecommendedAction["kind"], ReactNode> = {
  check_logistics: <CarOutlined />,
  refund_status: <RollbackOutlined />,
  open_order: <ProfileOutlined />,
  transfer_group: <TeamOutlined />,
  escalate: <RiseOutlined />,
};

function ActionRow({
  action,
  conversation,
  onOpenOrder,
}: {
  action: RecommendedAction;
  conversation: Conversation;
  onOpenOrder: (orderId: string) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { message } = App.useApp();
  const { transfer } = useInboxActions();
  const agentsById = useAgentsById();
  const me = useMe();
  const [busy, setBusy] = useState(false);
  const text = actionText(action, t, (iso) => formatDateTime(iso, locale));

  const handOn = (request: { toUserId: string } | { toGroupId: string }, done: string) => {
    setBusy(true);
    transfer(conversation.id, { ...request, note: t("recommend.transferNote", { reason: text }) })
      .then(
        () => void message.success(done),
        (cause: unknown) => void message.error(errorText(cause, t)),
      )
      .finally(() => setBusy(false));
  };

  let button: ReactNode;
  if (action.kind === "transfer_group") {
    button = (
      <Popconfirm
        title={t("recommend.confirmGroup", { group: action.groupName })}
        onConfirm={() => handOn({ toGroupId: action.groupId }, t("recommend.transferred", { to: action.groupName }))}
      >
        <Button size="small" icon={actionIcons[action.kind]} loading={busy} data-testid="recommendation-action">
          {t("recommend.action.transfer_group", { group: action.groupName })}
        </Button>
      </Popconfirm>
    );
  } else if (action.kind === "escalate") {
    const target = escalationTarget(agentsById.values(), conversation, me.user.id);
    button = target ? (
      <Popconfirm
        title={t("recommend.confirmEscalate", { name: target.name })}
        onConfirm={() => handOn({ toUserId: target.userId }, t("recommend.transferred", { to: target.name }))}
      >
        <Button size="small" danger icon={actionIcons[action.kind]} loading={busy} data-testid="recommendation-action">
          {t("recommend.action.escalate")}
        </Button>
      </Popconfirm>
    ) : (
      <Tooltip title={t("recommend.noSupervisor")}>
        <Button size="small" danger disabled icon={actionIcons[action.kind]} data-testid="recommendation-action">
          {t("recommend.action.escalate")}
        </Button>
      </Tooltip>
    );
  } else {
    const orderId = action.order.id;
    button = (
      <Button
        size="small"
        icon={actionIcons[action.kind]}
        onClick={() => onOpenOrder(orderId)}
        data-testid="recommendation-action"
      >
        {t(`recommend.action.${action.kind}`)}
      </Button>
    );
  }
  return (
    <div className="recommendation-row" data-kind={action.kind} data-reason={action.reason}>
      {button}
      <span className="recommendation-snippet recommendation-action-text" title={text}>
        {text}
      </span>
    </div>
  );
}
