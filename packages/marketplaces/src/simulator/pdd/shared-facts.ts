import { createHash } from "node:crypto";
import type { PlatformId } from "@yunxi/contracts";
import type { SimStore } from "../options.ts";
import type { SentContent, SimLogisticsNode, SimOrder, SimOrderItem, World } from "../world.ts";

/**
 * Facts the Pinduoduo, Douyin and Kuaishou personalities derive the same way
 * from the platform-neutral world: per-shop buyer open ids, an order's items
 * and parcel, and what a send looks like in the buyer's record. Nothing is
 * invented: an order the world has not paid or shipped has no such times.
 */

/** A per-shop buyer id: stable for one shop and nick, different in every other shop, opaque. */
export function openIdOf(store: SimStore, nick: string): string {
  const digest = createHash("sha256").update(`${store.platform}:${store.storeKey}:${nick}`).digest("base64url");
  return `${store.platform === "douyin" ? "1@#" : ""}${digest.slice(0, 24)}`;
}

/** The nick behind an open id of this shop, if any buyer of the platform has it. */
export function nickOfOpenId(world: World, store: SimStore, openId: string): string | undefined {
  return world.buyers(store.platform).find((b) => openIdOf(store, b.nick) === openId)?.nick;
}

export function itemsOf(order: SimOrder): SimOrderItem[] {
  if (order.items && order.items.length > 0) return order.items;
  return [{ productId: order.productId, title: order.title, sku: "", quantity: 1, priceCents: order.amountCents }];
}

export interface ParcelFacts {
  carrier: string;
  /** The carrier's code as open platforms name it (zhongtong, yuantong …). */
  carrierCode: string;
  trackingNo: string;
  shippedAt: Date | undefined;
  nodes: SimLogisticsNode[];
}

const carrierCodes: Record<string, string> = {
  中通快递: "zhongtong",
  圆通速递: "yuantong",
  韵达快递: "yunda",
  申通快递: "shentong",
  顺丰速运: "shunfeng",
  极兔速递: "jtexpress",
  京东快递: "jd",
  邮政快递包裹: "youzhengguonei",
};

/** The parcel of a shipped order, as the world has it (nothing is invented). */
export function parcelOf(order: SimOrder): ParcelFacts | undefined {
  if (!order.logistics) return undefined;
  const { carrier, trackingNo, nodes } = order.logistics;
  return { carrier, carrierCode: carrierCodes[carrier] ?? "other", trackingNo, shippedAt: order.shippedAt, nodes };
}

/** The stores of one platform that use an app key (one app serves many shops). */
export function storesOfApp(world: World, platform: PlatformId, appKey: string): SimStore[] {
  return world.stores.filter((s) => s.platform === platform && s.appKey === appKey);
}

/** What a send of a platform's message kind is, as the world records it. */
export function sentContent(kind: "text" | "image" | "goods" | "order", value: string): SentContent {
  switch (kind) {
    case "text":
      return { type: "text", text: value };
    case "image":
      return { type: "image", url: value };
    case "goods":
      return { type: "product_card", productId: value };
    case "order":
      return { type: "order_card", orderId: value };
  }
}

/** What a send shows in the buyer's record: the text, or a readable stand-in for a card or image. */
export function describeSend(content: SentContent): string {
  switch (content.type) {
    case "text":
      return content.text;
    case "image":
      return `[图片] ${content.url}`;
    case "product_card":
      return `[商品] ${content.productId}`;
    case "order_card":
      return `[订单] ${content.orderId}`;
  }
}
