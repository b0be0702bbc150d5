import {
  type CreateStoreRequest,
  type PlatformId,
  StoreCredentials,
  type StoreStatus,
  type UpdateStoreRequest,
} from "@yunxi/contracts";
import type { StoreContext } from "@yunxi/marketplaces";
import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import { randomToken } from "../../platform/crypto.ts";
import { type Executor, queryRows } from "../../platform/db/client.ts";
import { newId } from "../../platform/db/ids.ts";
import { badRequest, forbidden, notFound } from "../../platform/http/errors.ts";
import { recordAudit } from "../audit/index.ts";
import { type Actor, canManageStores, canSeeStore } from "../identity/index.ts";
import { stores } from "./tables.ts";

export type StoreRow = typeof stores.$inferSelect;

/** A store with its decrypted credentials: server-side only, never presented. */
export interface StoreWithCredentials {
  store: StoreRow;
  credentials: StoreCredentials;
}

export const sealCredentials = (ctx: AppContext, storeId: string, credentials: StoreCredentials) =>
  // The store id is the associated data: a blob copied onto another store will not decrypt.
  ctx.vault.encrypt(JSON.stringify(credentials), `store:${storeId}`);

export function openCredentials(ctx: AppContext, store: StoreRow): StoreCredentials {
  return StoreCredentials.parse(JSON.parse(ctx.vault.decrypt(store.credentialsEnc, `store:${store.id}`)));
}

export async function createStore(
  ctx: AppContext,
  actor: Actor | null,
  orgId: string,
  input: CreateStoreRequest & { storeKey?: string },
): Promise<StoreRow> {
  if (actor && !canManageStores(actor)) throw forbidden();
  const id = newId();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(stores)
      .values({
        id,
        orgId,
        platform: input.platform,
        name: input.name,
        storeKey: input.storeKey ?? randomToken(16),
        gatewayUrl: input.gatewayUrl,
        sellerId: input.sellerId,
        credentialsEnc: sealCredentials(ctx, id, input.credentials),
        // Credentials entered with a token count as a grant of unknown expiry.
        authState: input.credentials.accessToken ? "authorized" : "not_authorized",
      })
      .returning();
    await recordAudit(tx, {
      orgId,
      actorId: actor?.userId ?? null,
      action: "store.created",
      targetType: "store",
      targetId: id,
      details: { platform: input.platform, name: input.name },
    });
    return row!;
  });
}

export async function updateStore(
  ctx: AppContext,
  actor: Actor,
  storeId: string,
  input: UpdateStoreRequest,
): Promise<StoreRow> {
  if (!canManageStores(actor)) throw forbidden();
  const updated = await ctx.db.transaction(async (tx) => {
    const current = await getStore(tx, actor, storeId);
    const [row] = await tx
      .update(stores)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.gatewayUrl !== undefined && { gatewayUrl: input.gatewayUrl }),
        ...(input.status !== undefined && { status: input.status }),
        ...(input.credentials !== undefined && credentialChange(ctx, current, input.credentials)),
        updatedAt: new Date(),
      })
      .where(and(eq(stores.orgId, actor.orgId), eq(stores.id, storeId)))
      .returning();
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: input.credentials ? "store.credentials_changed" : "store.updated",
      targetType: "store",
      targetId: storeId,
      // Which fields changed, never the secrets themselves.
      details: { fields: Object.keys(input), status: input.status ?? null },
    });
    return row!;
  });
  // The push route caches stores for a few seconds: a disabled store or a new secret applies at once here.
  ctx.bus.changed("store", storeId);
  return updated;
}

/**
 * New app credentials from an admin. Tokens of the seller's grant survive a change
 * of the app secret (same app key, no token given); a token pasted by hand counts
 * as a grant of unknown expiry; another app key without a token needs a new grant.
 */
function credentialChange(ctx: AppContext, current: StoreRow, next: StoreCredentials) {
  const previous = openCredentials(ctx, current);
  if (next.accessToken) {
    return {
      credentialsEnc: sealCredentials(ctx, current.id, next),
      authState: "authorized",
      tokenExpiresAt: null,
      authRefreshedAt: null,
      authError: null,
    };
  }
  if (next.appKey === previous.appKey && previous.accessToken) {
    const merged = { ...next, accessToken: previous.accessToken, refreshToken: previous.refreshToken };
    return { credentialsEnc: sealCredentials(ctx, current.id, merged) };
  }
  return {
    credentialsEnc: sealCredentials(ctx, current.id, next),
    authState: "not_authorized",
    tokenExpiresAt: null,
    authRefreshedAt: null,
    authError: null,
  };
}

/** A store the actor may see; another org's or another agent's store is "not found". */
export async function getStore(db: Executor, actor: Actor, storeId: string): Promise<StoreRow> {
  const [row] = await db
    .select()
    .from(stores)
    .where(and(eq(stores.orgId, actor.orgId), eq(stores.id, storeId)));
  if (!row || !canSeeStore(actor, row.id)) throw notFound("Store");
  return row;
}

export async function listStores(db: Executor, actor: Actor): Promise<StoreRow[]> {
  const conditions: SQL[] = [eq(stores.orgId, actor.orgId)];
  if (actor.storeIds !== null) {
    if (actor.storeIds.length === 0) return [];
    conditions.push(inArray(stores.id, actor.storeIds));
  }
  return db
    .select()
    .from(stores)
    .where(and(...conditions))
    .orderBy(stores.createdAt);
}

export async function listOrgStores(db: Executor, orgId: string): Promise<StoreRow[]> {
  return db.select().from(stores).where(eq(stores.orgId, orgId)).orderBy(stores.createdAt);
}

/** Memberships may only name stores of the same org. */
export async function assertStoresInOrg(db: Executor, orgId: string, storeIds: string[]): Promise<void> {
  const unique = [...new Set(storeIds)];
  if (unique.length === 0) return;
  const rows = await db
    .select({ id: stores.id })
    .from(stores)
    .where(and(eq(stores.orgId, orgId), inArray(stores.id, unique)));
  if (rows.length !== unique.length) throw badRequest("Unknown store in storeIds");
}

/** The store a push is addressed to, by its public key; null if unknown. Status is checked by the caller. */
export async function storeForPush(
  ctx: AppContext,
  platform: PlatformId,
  storeKey: string,
): Promise<StoreWithCredentials | null> {
  const [row] = await ctx.db
    .select()
    .from(stores)
    .where(and(eq(stores.platform, platform), eq(stores.storeKey, storeKey)));
  return row ? { store: row, credentials: openCredentials(ctx, row) } : null;
}

/** For workers: a store by id within its org, with credentials. */
export async function storeById(ctx: AppContext, orgId: string, storeId: string): Promise<StoreWithCredentials> {
  const [row] = await ctx.db
    .select()
    .from(stores)
    .where(and(eq(stores.orgId, orgId), eq(stores.id, storeId)));
  if (!row) throw notFound("Store");
  return { store: row, credentials: openCredentials(ctx, row) };
}

export const isActive = (store: StoreRow): boolean => (store.status as StoreStatus) === "active";

/** What a reply needs to know of its store before it is queued: may it send, and through which platform. */
export async function storeSendability(
  db: Executor,
  orgId: string,
  storeId: string,
): Promise<{ active: boolean; platform: PlatformId } | null> {
  const [row] = await db
    .select()
    .from(stores)
    .where(and(eq(stores.orgId, orgId), eq(stores.id, storeId)));
  return row ? { active: isActive(row), platform: row.platform as PlatformId } : null;
}

/** How an adapter reaches the platform as this store (decrypted credentials: server side only). */
export function platformContext(ctx: AppContext, target: StoreWithCredentials): StoreContext {
  const { store, credentials } = target;
  return {
    gatewayUrl: store.gatewayUrl,
    sellerId: store.sellerId,
    credentials: {
      appKey: credentials.appKey,
      appSecret: credentials.appSecret,
      accessToken: credentials.accessToken,
      signSecret: credentials.signSecret,
    },
    now: ctx.now,
  };
}

/**
 * Reserve this store's next send slot so that sends, from every worker on every
 * node, keep `intervalMs` apart. The slot lives in the store's row (a row lock
 * orders concurrent reservations) and is measured on the database's clock, so
 * nodes with skewed clocks still agree. Returns how long to wait for the reserved
 * slot, or null when the next free slot is more than `maxWaitMs` away: then nothing
 * is reserved and the caller hands the job back to the queue.
 */
export async function reserveSendSlot(
  db: Executor,
  orgId: string,
  storeId: string,
  intervalMs: number,
  maxWaitMs: number,
): Promise<{ waitMs: number } | { retryInMs: number }> {
  const interval = intervalMs / 1000;
  const rows = await queryRows<{ wait_ms: string | number }>(
    db,
    sql`UPDATE stores
        SET next_send_at = greatest(next_send_at, clock_timestamp()) + make_interval(secs => ${interval})
        WHERE org_id = ${orgId} AND id = ${storeId}
          AND (next_send_at IS NULL OR next_send_at <= clock_timestamp() + make_interval(secs => ${maxWaitMs / 1000}))
        RETURNING greatest(0, extract(epoch FROM next_send_at - clock_timestamp()) * 1000 - ${intervalMs}) AS wait_ms`,
  );
  if (rows[0]) return { waitMs: Math.ceil(Number(rows[0].wait_ms)) };
  const ahead = await queryRows<{ ms: string | number | null }>(
    db,
    sql`SELECT extract(epoch FROM next_send_at - clock_timestamp()) * 1000 AS ms
        FROM stores WHERE org_id = ${orgId} AND id = ${storeId}`,
  );
  return { retryInMs: Math.max(intervalMs, Math.ceil(Number(ahead[0]?.ms ?? intervalMs)) - maxWaitMs) };
}
