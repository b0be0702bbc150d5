import { CarOutlined, DisconnectOutlined, LinkOutlined } from "@ant-design/icons";
import type { Conversation, CustomerConversation, CustomerIdentity, CustomerStore, Order } from "@yunxi/contracts";
import { platformLabels } from "@yunxi/contracts";
import { Alert, App, Button, Empty, Popconfirm, Spin, Tag, Typography } from "antd";
import type { ReactNode } from "react";
import { useState } from "react";
import { servesAssignedStoresOnly } from "../admin/permissions.ts";
import { useMe } from "../auth/auth-provider.tsx";
import { formatDateTime, formatMoney, formatRelative } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { useStoresById } from "../inbox/selectors.ts";
import { LogisticsTrace } from "../orders/logistics-trace.tsx";
import { hasTracking } from "../orders/order-status.ts";
import { OrderStatusTag } from "../orders/order-status-tag.tsx";
import { errorText } from "../shared/error-text.ts";
import { SourceTag } from "../shared/source-label.tsx";
import { useNow } from "../shared/use-now.ts";
import { customersApi } from "./customers-api.ts";
import { LinkIdentityModal } from "./link-identity-modal.tsx";
import { linkReasonKey } from "./profile-view.ts";
import { useCustomerProfile } from "./use-customer-profile.ts";
import "./customer-panel.css";

type Props = {
  conversation: Conversation;
  /** Opens another conversation of this buyer in the thread (when the workspace offers it). */
  onOpenConversation?: ((conversationId: string) => void) | undefined;
};

/**
 * The buyer across platforms, beside the thread: every linked account with its platform and store
 * and why it is linked, the conversations on every platform the agent may see, and their orders with
 * status and logistics. Supervisors link and unlink accounts here.
 */
export function CustomerPanel({ conversation, onOpenConversation }: Props) {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const { profile, orders, conversations, loading, error, reload, replace } = useCustomerProfile(conversation);
  const [linking, setLinking] = useState(false);
  const canLink = !servesAssignedStoresOnly(me.user.role);

  if (!profile) {
    return (
      <section className="customer-panel" data-testid="customer-panel" aria-busy={loading}>
        {loading && <Spin className="customer-loading" />}
        {error && <LoadError error={error} onRetry={reload} />}
      </section>
    );
  }

  const unlink = (identity: CustomerIdentity) =>
    customersApi.unlink(profile.customer.id, identity.id).then(
      (next) => {
        replace(next);
        void message.success(t("customer.unlinked", { buyer: identity.displayName }));
      },
      (cause: unknown) => void message.error(t("customer.unlinkFailed", { reason: errorText(cause, t) })),
    );

  return (
    <section className="customer-panel" data-testid="customer-panel" data-customer-id={profile.customer.id}>
      {error && <LoadError error={error} onRetry={reload} />}
      <header className="customer-head">
        <Typography.Text strong className="customer-name">
          {profile.customer.displayName}
        </Typography.Text>
        <span className="customer-count">{t("customer.identityCount", { count: profile.identities.length })}</span>
        {profile.tags.length > 0 && (
          <div className="customer-tags" title={t("customer.tags")}>
            {profile.tags.map((tag) => (
              <Tag key={tag}>{tag}</Tag>
            ))}
          </div>
        )}
      </header>

      <PanelSection title={t("customer.identities")}>
        <ul className="customer-list">
          {profile.identities.map((identity) => (
            <IdentityEntry
              key={identity.id}
              identity={identity}
              identityCount={profile.identities.length}
              onUnlink={canLink && profile.identities.length > 1 ? unlink : undefined}
            />
          ))}
        </ul>
        {canLink && (
          <Button
            size="small"
            icon={<LinkOutlined />}
            onClick={() => setLinking(true)}
            className="customer-link-button"
            data-testid="customer-link"
          >
            {t("customer.link")}
          </Button>
        )}
      </PanelSection>

      <PanelSection title={t("customer.conversations")}>
        {conversations.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("customer.conversationsEmpty")} />
        ) : (
          <ul className="customer-list">
            {conversations.map((c) => (
              <ConversationEntry
                key={c.id}
                conversation={c}
                current={c.id === conversation.id}
                onOpen={onOpenConversation}
              />
            ))}
          </ul>
        )}
      </PanelSection>

      <PanelSection title={t("customer.orders")}>
        {orders.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("customer.ordersEmpty")} />
        ) : (
          <ul className="customer-list">
            {orders.map((order) => (
              <OrderLine key={order.id} order={order} />
            ))}
          </ul>
        )}
      </PanelSection>

      {linking && (
        <LinkIdentityModal
          profile={profile}
          onLinked={(next) => {
            replace(next);
            setLinking(false);
          }}
          onClose={() => setLinking(false)}
        />
      )}
    </section>
  );
}

function LoadError({ error, onRetry }: { error: string; onRetry: () => void }) {
  const t = useT();
  return (
    <Alert
      type="error"
      showIcon
      title={t("customer.loadFailed")}
      description={error}
      action={
        <Button size="small" onClick={onRetry}>
          {t("customer.retry")}
        </Button>
      }
    />
  );
}

function PanelSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="customer-section">
      <h4 className="customer-section-title">{title}</h4>
      {children}
    </section>
  );
}

/** The store's tag when known (per-shop ids), else the platform's name in its colour. */
function PlatformStoreTag({
  platform,
  store,
}: {
  platform: CustomerIdentity["platform"];
  store: CustomerStore | null;
}) {
  const { locale } = useLocale();
  const storesById = useStoresById();
  if (store) return <SourceTag platform={platform} storeName={storesById.get(store.id)?.name} fallback={store.label} />;
  const label = platformLabels[platform][locale];
  return (
    <Tag className="source-tag" color={platformLabels[platform].color} data-platform={platform} title={label}>
      {label}
    </Tag>
  );
}

function IdentityEntry({
  identity,
  identityCount,
  onUnlink,
}: {
  identity: CustomerIdentity;
  identityCount: number;
  onUnlink: ((identity: CustomerIdentity) => Promise<void>) | undefined;
}) {
  const t = useT();
  const { locale } = useLocale();
  const { link } = identity;
  const detail =
    link.detail === null
      ? null
      : link.reason === "phone_match"
        ? t("customer.reasonOrders", { orders: link.detail })
        : link.reason === "widget_identified"
          ? t("customer.reasonMember", { member: link.detail })
          : link.detail;
  const talkedTo = identity.store === null && identity.stores.length > 0 ? identity.stores : [];

  return (
    <li
      className="customer-identity"
      data-testid="customer-identity"
      data-identity-id={identity.id}
      data-link-reason={link.reason}
    >
      <div className="customer-identity-head">
        <PlatformStoreTag platform={identity.platform} store={identity.store} />
        <span className="customer-identity-name" title={identity.platformBuyerId}>
          {identity.displayName}
        </span>
        {onUnlink && (
          <Popconfirm
            title={t("customer.unlinkConfirm", { buyer: identity.displayName })}
            onConfirm={() => onUnlink(identity)}
          >
            <Button
              size="small"
              type="text"
              icon={<DisconnectOutlined />}
              aria-label={t("customer.unlink")}
              title={t("customer.unlink")}
              data-testid="customer-unlink"
            />
          </Popconfirm>
        )}
      </div>
      {identity.displayName !== identity.platformBuyerId && (
        <Typography.Text className="customer-identity-id" type="secondary" copyable>
          {identity.platformBuyerId}
        </Typography.Text>
      )}
      {talkedTo.length > 0 && (
        <div className="customer-identity-meta">
          {t("customer.talkedTo", { stores: talkedTo.map((s) => s.label).join("、") })}
        </div>
      )}
      <div className="customer-identity-meta customer-link-reason">
        <span>{t(linkReasonKey(identity, identityCount))}</span>
        {detail && <span className="customer-link-detail">{detail}</span>}
        {link.by && <span>{t("customer.linkedBy", { name: link.by.name })}</span>}
        <time dateTime={link.at}>{formatDateTime(link.at, locale)}</time>
      </div>
    </li>
  );
}

function ConversationEntry({
  conversation,
  current,
  onOpen,
}: {
  conversation: CustomerConversation;
  current: boolean;
  onOpen: ((conversationId: string) => void) | undefined;
}) {
  const t = useT();
  const { locale } = useLocale();
  const now = useNow(60_000);
  const storesById = useStoresById();
  const body = (
    <>
      <div className="customer-conversation-head">
        <SourceTag
          platform={conversation.platform}
          storeName={storesById.get(conversation.storeId)?.name}
          fallback={conversation.storeLabel}
        />
        <Tag className="customer-conversation-status" data-status={conversation.status}>
          {t(`status.${conversation.status}`)}
        </Tag>
        {current && <Tag color="blue">{t("customer.current")}</Tag>}
        <time className="customer-conversation-time" dateTime={conversation.lastMessageAt}>
          {formatRelative(conversation.lastMessageAt, now, locale, t)}
        </time>
      </div>
      <div className="customer-conversation-preview">{conversation.lastMessagePreview}</div>
    </>
  );
  const openable = onOpen && !current;
  return (
    <li className="customer-conversation" data-testid="customer-conversation" data-conversation-id={conversation.id}>
      {openable ? (
        <button
          type="button"
          className="customer-conversation-open"
          onClick={() => onOpen(conversation.id)}
          title={t("customer.openConversation")}
        >
          {body}
        </button>
      ) : (
        <div className={current ? "customer-conversation-body is-current" : "customer-conversation-body"}>{body}</div>
      )}
    </li>
  );
}

function OrderLine({ order }: { order: Order }) {
  const t = useT();
  const { locale } = useLocale();
  const storesById = useStoresById();
  const [traceOpen, setTraceOpen] = useState(false);
  const items = order.items.map((i) => (i.quantity > 1 ? `${i.title} ×${i.quantity}` : i.title)).join("、");
  return (
    <li className="customer-order" data-testid="customer-order" data-order-id={order.id} data-status={order.status}>
      <div className="customer-order-head">
        <SourceTag
          platform={order.platform}
          storeName={storesById.get(order.storeId)?.name}
          fallback={order.storeLabel}
        />
        <OrderStatusTag status={order.status} />
        <span className="customer-order-amount">{formatMoney(order.totalCents, locale)}</span>
      </div>
      <div className="customer-order-items" title={items}>
        {items}
      </div>
      <div className="customer-identity-meta">
        <Typography.Text className="customer-order-number" copyable={{ text: order.orderId }}>
          {order.orderId}
        </Typography.Text>
        <time dateTime={order.createdAt}>{formatDateTime(order.createdAt, locale)}</time>
      </div>
      {(order.carrier || order.trackingNo) && (
        <div className="customer-identity-meta">
          <CarOutlined /> {order.carrier} {order.trackingNo}
          {hasTracking(order) && (
            <Button
              size="small"
              type="link"
              className="customer-trace-toggle"
              onClick={() => setTraceOpen((open) => !open)}
              aria-expanded={traceOpen}
            >
              {traceOpen ? t("customer.hideTrace") : t("customer.showTrace")}
            </Button>
          )}
        </div>
      )}
      {traceOpen && <LogisticsTrace orderId={order.id} version={order.updatedAt} />}
    </li>
  );
}
