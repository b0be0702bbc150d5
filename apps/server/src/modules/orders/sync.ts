import type { PlatformId } from "@yunxi/contracts";
import { adapterFor, type BuyerIdentity, type LogisticsTrace, PlatformError } from "@yunxi/marketplaces";
import type { AppContext } from "../../platform/context.ts";
import { type Executor, sql } from "../../platform/db/client.ts";
import { appendEvents, type NewEvent } from "../../platform/events/log.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Actor } from "../identity/index.ts";
import { isActive, lapsedReason, platformContext, storeById } from "../stores/index.ts";
import { type OrderRow, presentOrder } from "./presenter.ts";
import {
  buyerOrders,
  getOrderRow,
  type OrderOwner,
  orderDiffers,
  storeOrdersByNumber,
  upsertOrder,
} from "./service.ts";

export interface BuyerOrders {
  rows: OrderRow[];
  store: { id: string; platform: string; name: string };
  /** "platform" when just synced, "stored" when the platform could not be asked or failed. */
  source: "platform" | "stored";
}

const describe = (err: unknown): string =>
  err instanceof PlatformError
    ? `${err.platformCode}: ${err.message}`
    : err instanceof Error
      ? err.message
      : String(err);

/**
 * Syncs of one buyer's orders in a store take turns (the orders panel and the
 * recommendation card ask at the same moment): the second sees what the first wrote,
 * so an order new to Yunxi is announced once.
 */
const lockBuyerOrders = (tx: Executor, owner: OrderOwner) =>
  tx.execute(sql`SELECT pg_advisory_xact_lock(7130, hashtext(${`${owner.storeId}:${owner.identityId}`}))`);

export interface SyncOptions {
  /**
   * Answer what is stored, without asking the platform, when this process synced the
   * buyer's orders in this store less than this long ago. For screens that ask on every
   * buyer message (the recommendation card): on a peak day the platforms' order APIs are
   * rate-limited per store, and pushes keep the stored orders current in between.
   */
  reuseWithinMs?: number;
}

/** When each buyer's orders (store:identity) were last synced here; bounded, oldest dropped first. */
const lastSynced = new Map<string, number>();
const LAST_SYNCED_MAX = 10_000;

function rememberSync(key: string, at: number): void {
  lastSynced.delete(key);
  lastSynced.set(key, at);
  if (lastSynced.size > LAST_SYNCED_MAX) lastSynced.delete(lastSynced.keys().next().value as string);
}

const syncedRecently = (key: string, now: number, within: number | undefined): boolean =>
  within !== undefined && now - (lastSynced.get(key) ?? Number.NEGATIVE_INFINITY) < within;

/**
 * A buyer's orders in one store, synced on demand: asked from the platform and
 * upserted, so the agent sees the latest; when the platform fails (or the store
 * cannot call it), what we stored from pushes and earlier syncs is answered instead.
 * Each order the sync finds new or changed is announced as `order.changed` (change
 * "synced"), so the screens showing the buyer's orders follow.
 */
export async function syncBuyerOrders(
  ctx: AppContext,
  owner: OrderOwner,
  buyer: BuyerIdentity,
  options: SyncOptions = {},
): Promise<BuyerOrders> {
  const target = await storeById(ctx, owner.orgId, owner.storeId);
  const { store } = target;
  const adapter = adapterFor(store.platform as PlatformId);
  const key = `${owner.storeId}:${owner.identityId}`;
  if (syncedRecently(key, ctx.now().getTime(), options.reuseWithinMs)) {
    return { rows: await buyerOrders(ctx.db, owner), store, source: "platform" };
  }
  let source: BuyerOrders["source"] = "stored";
  if (adapter && isActive(store) && !lapsedReason(store, ctx.now())) {
    try {
      const fetched = await adapter.fetchBuyerOrders(platformContext(ctx, target), buyer);
      const at = ctx.now();
      const hashPhone = (phone: string) => ctx.vault.keyedHash(`phone:${phone}`);
      const events = await ctx.db.transaction(async (tx) => {
        await lockBuyerOrders(tx, owner);
        const before = await storeOrdersByNumber(
          tx,
          owner,
          fetched.map((order) => order.orderId),
        );
        const changed: NewEvent[] = [];
        for (const order of fetched) {
          const row = await upsertOrder(tx, owner, order, at, hashPhone);
          const previous = before.get(row.platformOrderId);
          if (previous && !orderDiffers(previous, row)) continue;
          changed.push({
            type: "order.changed",
            storeId: store.id,
            payload: { change: "synced", order: presentOrder(row, store) },
          });
        }
        return appendEvents(tx, owner.orgId, changed);
      });
      ctx.bus.publish(events);
      rememberSync(key, at.getTime());
      source = "platform";
    } catch (err) {
      ctx.log.warn({ storeId: store.id, err: describe(err) }, "order sync failed, answering stored orders");
    }
  }
  return { rows: await buyerOrders(ctx.db, owner), store, source };
}

/** Where an order's parcel is, asked from the platform. */
export async function orderLogistics(ctx: AppContext, actor: Actor, orderId: string): Promise<LogisticsTrace> {
  const order = await getOrderRow(ctx.db, actor, orderId);
  const target = await storeById(ctx, actor.orgId, order.storeId);
  const adapter = adapterFor(target.store.platform as PlatformId);
  if (!adapter) throw new AppError(404, "not_found", "This channel has no logistics");
  const lapsed = lapsedReason(target.store, ctx.now());
  if (lapsed) throw new AppError(409, "authorization_lapsed", lapsed);
  try {
    return await adapter.fetchLogistics(platformContext(ctx, target), order.platformOrderId);
  } catch (err) {
    throw new AppError(502, "platform_error", describe(err));
  }
}

/**
 * Where an order's parcel is, for a caller acting for the org rather than a user (the
 * auto-reply bot): the order is named by its store and platform number. Throws when the
 * platform cannot be asked or fails; the caller decides what that means.
 */
export async function orderLogisticsInStore(
  ctx: AppContext,
  orgId: string,
  storeId: string,
  platformOrderId: string,
): Promise<LogisticsTrace> {
  const target = await storeById(ctx, orgId, storeId);
  const adapter = adapterFor(target.store.platform as PlatformId);
  if (!adapter) throw new AppError(404, "not_found", "This channel has no logistics");
  const lapsed = lapsedReason(target.store, ctx.now());
  if (lapsed) throw new AppError(409, "authorization_lapsed", lapsed);
  try {
    return await adapter.fetchLogistics(platformContext(ctx, target), platformOrderId);
  } catch (err) {
    throw new AppError(502, "platform_error", describe(err));
  }
}
