import { type Evaluation, type Order, type OrderStatus, type PlatformId, storeLabel } from "@yunxi/contracts";
import type { evaluations, orders } from "./tables.ts";

export type OrderRow = typeof orders.$inferSelect;
export type EvaluationRow = typeof evaluations.$inferSelect;

/** What an order needs from its store to be shown. */
export interface OrderStoreRef {
  id: string;
  platform: string;
  name: string;
}

type StoredItem = Order["items"][number];

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** The receiver's phone hash stays inside: the API never shows it. */
export function presentOrder(row: OrderRow, store: OrderStoreRef): Order {
  const platform = store.platform as PlatformId;
  return {
    id: row.id,
    storeId: row.storeId,
    platform,
    storeLabel: storeLabel(platform, store.name),
    customerId: row.customerId,
    orderId: row.platformOrderId,
    status: row.status as OrderStatus,
    platformStatus: row.platformStatus,
    items: row.items as StoredItem[],
    totalCents: row.totalCents,
    createdAt: row.createdAt.toISOString(),
    paidAt: iso(row.paidAt),
    promisedShipAt: iso(row.promisedShipAt),
    shippedAt: iso(row.shippedAt),
    carrier: row.carrier,
    trackingNo: row.trackingNo,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentEvaluation(row: EvaluationRow): Evaluation {
  return {
    id: row.id,
    storeId: row.storeId,
    customerId: row.customerId,
    orderId: row.platformOrderId,
    score: row.score,
    comment: row.comment,
    createdAt: row.createdAt.toISOString(),
  };
}
