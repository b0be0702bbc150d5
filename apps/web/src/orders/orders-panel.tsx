import type { Conversation, Order } from "@yunxi/contracts";
import { Alert, App, Button, Empty, Spin } from "antd";
import { useState } from "react";
import { useT } from "../i18n/i18n-provider.tsx";
import { useInboxActions } from "../inbox/inbox-provider.tsx";
import { orderCard } from "../inbox/outgoing.ts";
import { errorText } from "../shared/error-text.ts";
import { useNow } from "../shared/use-now.ts";
import { OrderEntry } from "./order-entry.tsx";
import { useBuyerOrders } from "./use-buyer-orders.ts";

/**
 * The buyer's orders in this store, live; each can be sent to the buyer as an order card.
 * `focusOrderId` (a recommended action's order) is brought into view with its parcel trace open.
 */
export function OrdersPanel({
  conversation,
  focusOrderId,
}: {
  conversation: Conversation;
  focusOrderId?: string | null;
}) {
  const t = useT();
  const { message } = App.useApp();
  const { send } = useInboxActions();
  const now = useNow(60_000);
  const { orders, loading, error, reload } = useBuyerOrders(conversation);
  const [sendingId, setSendingId] = useState<string | null>(null);

  const sendCard = (order: Order) => {
    setSendingId(order.id);
    send(conversation.id, { body: "", attachment: orderCard(order) })
      .catch((cause: unknown) => void message.error(t("orders.sendFailed", { reason: errorText(cause, t) })))
      .finally(() => setSendingId(null));
  };

  return (
    <section className="orders-panel" data-testid="orders-panel" aria-busy={loading}>
      {error && (
        <Alert
          type="error"
          showIcon
          title={t("orders.loadFailed")}
          description={error}
          action={
            <Button size="small" onClick={reload}>
              {t("orders.retry")}
            </Button>
          }
        />
      )}
      {orders.length === 0 && loading && <Spin className="orders-loading" />}
      {orders.length === 0 && !loading && !error && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("orders.empty")} />
      )}
      {orders.map((order) => (
        <OrderEntry
          key={order.id}
          order={order}
          now={now}
          sending={sendingId === order.id}
          onSendCard={sendCard}
          focused={order.id === focusOrderId}
        />
      ))}
    </section>
  );
}
