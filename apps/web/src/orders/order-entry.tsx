import { CarOutlined, DownOutlined, SendOutlined, UpOutlined } from "@ant-design/icons";
import type { Order } from "@yunxi/contracts";
import { Button, Tag, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { formatDateTime, formatMoney } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { LogisticsTrace } from "./logistics-trace.tsx";
import { hasTracking, isShipOverdue } from "./order-status.ts";
import { OrderStatusTag } from "./order-status-tag.tsx";

type Props = {
  order: Order;
  now: number;
  sending: boolean;
  onSendCard: (order: Order) => void;
  /** Brought into view, highlighted, its parcel trace open (a recommended action points at it). */
  focused?: boolean;
};

/** One of the buyer's orders: status, items, amount, shipping promise, parcel and its trace. */
export function OrderEntry({ order, now, sending, onSendCard, focused = false }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const [traceOpen, setTraceOpen] = useState(focused && hasTracking(order));
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: "nearest" });
  }, [focused]);
  const overdue = isShipOverdue(order, now);

  return (
    <article
      ref={ref}
      className={`order-entry${focused ? " is-focused" : ""}`}
      data-testid="order-entry"
      data-order-id={order.id}
      data-status={order.status}
    >
      <header className="order-entry-head">
        <OrderStatusTag status={order.status} />
        <Typography.Text className="order-entry-number" copyable={{ text: order.orderId }} title={t("orders.number")}>
          {order.orderId}
        </Typography.Text>
      </header>
      <ul className="order-items">
        {order.items.map((item) => (
          <li key={`${item.productId}:${item.sku ?? ""}`} className="order-item">
            <span className="order-item-title" title={item.title}>
              {item.title}
              {item.sku && <span className="order-item-sku">{item.sku}</span>}
            </span>
            <span className="order-item-qty">{t("orders.quantity", { count: item.quantity })}</span>
          </li>
        ))}
      </ul>
      <dl className="order-facts">
        <dt>{t("orders.amount")}</dt>
        <dd className="order-amount">{formatMoney(order.totalCents, locale)}</dd>
        <dt>{t("orders.createdAt")}</dt>
        <dd>{formatDateTime(order.createdAt, locale)}</dd>
        {order.promisedShipAt && !order.shippedAt && (
          <>
            <dt>{t("orders.promisedShipAt")}</dt>
            <dd>
              {formatDateTime(order.promisedShipAt, locale)}
              {overdue && (
                <Tag color="red" className="order-overdue">
                  {t("orders.shipOverdue")}
                </Tag>
              )}
            </dd>
          </>
        )}
        {(order.carrier || order.trackingNo) && (
          <>
            <dt>{t("orders.logistics")}</dt>
            <dd className="order-parcel">
              <CarOutlined /> {order.carrier}{" "}
              {order.trackingNo && <Typography.Text copyable>{order.trackingNo}</Typography.Text>}
            </dd>
          </>
        )}
      </dl>
      {traceOpen && <LogisticsTrace orderId={order.id} version={order.updatedAt} />}
      <footer className="order-entry-actions">
        {hasTracking(order) && (
          <Button
            size="small"
            type="link"
            icon={traceOpen ? <UpOutlined /> : <DownOutlined />}
            onClick={() => setTraceOpen((open) => !open)}
            aria-expanded={traceOpen}
            data-testid="logistics-toggle"
          >
            {traceOpen ? t("orders.hideTrace") : t("orders.showTrace")}
          </Button>
        )}
        <Button
          size="small"
          icon={<SendOutlined />}
          loading={sending}
          onClick={() => onSendCard(order)}
          data-testid="send-order-card"
        >
          {t("orders.sendCard")}
        </Button>
      </footer>
    </article>
  );
}
