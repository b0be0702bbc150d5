import { Tag } from "antd";
import { useT } from "../i18n/i18n-provider.tsx";
import { isOrderStatus, orderStatusColors } from "./order-status.ts";

/** 待发货 / 已发货 …; a platform status Yunxi does not map is shown as the platform wrote it. */
export function OrderStatusTag({ status }: { status: string }) {
  const t = useT();
  if (!isOrderStatus(status)) return <Tag className="order-status">{status}</Tag>;
  return (
    <Tag className="order-status" color={orderStatusColors[status]} data-status={status}>
      {t(`orderStatus.${status}`)}
    </Tag>
  );
}
