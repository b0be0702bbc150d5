import { FileTextOutlined, ShoppingOutlined } from "@ant-design/icons";
import type { MessageAttachment } from "@yunxi/contracts";
import { Image } from "antd";
import { formatMoney } from "../i18n/format.ts";
import { useLocale, useT } from "../i18n/i18n-provider.tsx";
import { OrderStatusTag } from "../orders/order-status-tag.tsx";

/** A thumbnail; a click opens antd's preview (zoom, rotate). No referrer leaks to the image's host. */
export function ImageAttachment({ url }: { url: string }) {
  const t = useT();
  return (
    <div className="message-image" data-testid="message-image">
      <Image
        src={url}
        alt={t("message.image")}
        width={180}
        referrerPolicy="no-referrer"
        classNames={{ image: "message-image-img" }}
      />
    </div>
  );
}

type ProductCardData = Extract<MessageAttachment, { type: "product_card" }>;

export function ProductCard({ card }: { card: ProductCardData }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <div className="message-card product-card" data-testid="product-card" data-product-id={card.productId}>
      {card.imageUrl ? (
        <img className="product-card-image" src={card.imageUrl} alt="" referrerPolicy="no-referrer" loading="lazy" />
      ) : (
        <span className="product-card-image product-card-placeholder">
          <ShoppingOutlined />
        </span>
      )}
      <span className="message-card-main">
        <span className="message-card-title">{card.title}</span>
        {card.priceCents !== null && <span className="message-card-price">{formatMoney(card.priceCents, locale)}</span>}
        <span className="message-card-sub">{t("message.productId", { productId: card.productId })}</span>
      </span>
    </div>
  );
}

type OrderCardData = Extract<MessageAttachment, { type: "order_card" }>;

export function OrderCard({ card }: { card: OrderCardData }) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <div className="message-card order-card" data-testid="order-card" data-order-id={card.orderId}>
      <span className="order-card-head">
        <FileTextOutlined />
        <span className="message-card-sub">{t("message.orderNumber", { orderId: card.orderId })}</span>
        {card.status && <OrderStatusTag status={card.status} />}
      </span>
      {card.title && <span className="message-card-title">{card.title}</span>}
      {card.totalCents !== null && <span className="message-card-price">{formatMoney(card.totalCents, locale)}</span>}
    </div>
  );
}
