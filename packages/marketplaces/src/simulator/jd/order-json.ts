import { createHash } from "node:crypto";
import { formatJdTime } from "../../jd/signing.ts";
import { centsToYuan } from "../../money.ts";
import type { SimStore } from "../options.ts";
import type { SimOrder, SimOrderStatus } from "../world.ts";

/**
 * A world order as JOS writes an `orderInfo` (`jingdong.pop.order.get`), by hand
 * rather than with the adapter's schemas so the simulator checks the adapter.
 * JD has no "signed" state: a delivered parcel stays WAIT_GOODS_RECEIVE_CONFIRM.
 */

const byStatus: Record<SimOrderStatus, string> = {
  unpaid: "WAIT_BUYER_PAY",
  paid: "WAIT_SELLER_STOCK_OUT",
  shipped: "WAIT_GOODS_RECEIVE_CONFIRM",
  delivered: "WAIT_GOODS_RECEIVE_CONFIRM",
  completed: "FINISHED_L",
  closed: "TRADE_CANCELED",
  refunding: "LOCKED",
  refunded: "TRADE_CANCELED",
};

const remarks: Record<string, string> = {
  WAIT_BUYER_PAY: "等待付款",
  WAIT_SELLER_STOCK_OUT: "等待出库",
  WAIT_GOODS_RECEIVE_CONFIRM: "等待确认收货",
  FINISHED_L: "完成",
  TRADE_CANCELED: "取消",
  LOCKED: "已锁定",
};

function simItems(order: SimOrder) {
  return order.items && order.items.length > 0
    ? order.items
    : [{ productId: order.productId, title: order.title, sku: "", quantity: 1, priceCents: order.amountCents }];
}

export function jdOrderState(order: SimOrder): string {
  return byStatus[order.status];
}

/** JD names carriers by numeric id; a stable made-up one per carrier name. */
function logisticsId(carrier: string): string {
  return String(1000 + (createHash("md5").update(carrier).digest().readUInt16BE(0) % 9000));
}

const time = (date: Date | undefined) => (date ? formatJdTime(date) : undefined);

export function orderInfoJson(store: SimStore, order: SimOrder): Record<string, unknown> {
  const state = jdOrderState(order);
  // A refunded JD order is a paid one cancelled: it always has its payment time.
  const paidAt = order.paidAt ?? (order.status === "refunded" ? order.createdAt : undefined);
  const info: Record<string, unknown> = {
    orderId: order.orderId,
    venderId: store.sellerId,
    pin: order.buyerNick,
    orderState: state,
    orderStateRemark: remarks[state] ?? state,
    orderTotalPrice: centsToYuan(order.amountCents),
    orderPayment: centsToYuan(order.amountCents),
    freightPrice: "0.00",
    orderStartTime: formatJdTime(order.createdAt),
    paymentConfirmTime: time(paidAt),
    modified: formatJdTime(order.updatedAt ?? order.createdAt),
    consigneeInfo: order.receiverPhone ? { fullname: "*", mobile: order.receiverPhone } : undefined,
    itemInfoList: simItems(order).map((item) => ({
      skuId: `${item.productId}01`,
      wareId: item.productId,
      skuName: item.sku ? `${item.title} ${item.sku}` : item.title,
      jdPrice: centsToYuan(item.priceCents),
      itemTotal: String(item.quantity),
    })),
    waybill: order.logistics?.trackingNo,
    logisticsId: order.logistics ? logisticsId(order.logistics.carrier) : undefined,
    logisticsName: order.logistics?.carrier,
    promiseShipTime: time(order.promisedShipAt),
    shipTime: time(order.shippedAt),
  };
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined));
}
