import {
  type AuthorizeStart,
  isOwnChannel,
  type PlatformId,
  type StoreAuthorization,
  type StoreCredentials,
} from "@yunxi/contracts";
import { type AuthorizationTokens, adapterFor, PlatformError } from "@yunxi/marketplaces";
import { and, eq, sql } from "drizzle-orm";
import type { AppContext } from "../../platform/context.ts";
import { randomToken, safeEqual, sha256Hex } from "../../platform/crypto.ts";
import { type Executor, queryRows } from "../../platform/db/client.ts";
import { badRequest, forbidden } from "../../platform/http/errors.ts";
import { recordAudit } from "../audit/index.ts";
import { type Actor, canManageStores } from "../identity/index.ts";
import { getStore, openCredentials, platformContext, type StoreRow, sealCredentials, storeById } from "./service.ts";
import { stores } from "./tables.ts";

/** Tokens are refreshed once less than this share of their lifetime is left. */
const REFRESH_AT_REMAINING = 0.2;
/** A grant flow must come back within this time. */
const STATE_TTL_MS = 10 * 60 * 1000;

export const callbackPath = "/connect/oauth/callback";
export const redirectUriOf = (ctx: AppContext): string => `${ctx.config.publicUrl.replace(/\/$/, "")}${callbackPath}`;

/** Where the grant stands, as the admin console shows it. */
export function authorizationOf(row: StoreRow, now: Date): StoreAuthorization {
  const expiresAt = row.tokenExpiresAt;
  const base = {
    expiresAt: expiresAt?.toISOString() ?? null,
    lastError: row.authError,
    refreshedAt: row.authRefreshedAt?.toISOString() ?? null,
  };
  if (isOwnChannel(row.platform as PlatformId)) return { state: "not_required", ...base };
  if (row.authState === "lapsed") return { state: "lapsed", ...base };
  if (row.authState !== "authorized") return { state: "not_authorized", ...base };
  if (!expiresAt) return { state: "authorized", ...base };
  if (expiresAt.getTime() <= now.getTime()) {
    return { state: "lapsed", ...base, lastError: row.authError ?? `token expired at ${expiresAt.toISOString()}` };
  }
  return { state: refreshDue(row, now) ? "expiring" : "authorized", ...base };
}

/** Why nothing may be sent for this store right now, or null when its grant holds. */
export function lapsedReason(row: StoreRow, now: Date): string | null {
  const auth = authorizationOf(row, now);
  if (auth.state !== "lapsed") return null;
  return `authorization_lapsed: ${auth.lastError ?? "the seller's authorization has lapsed"}; re-authorize the store`;
}

function refreshDue(row: StoreRow, now: Date): boolean {
  if (!row.tokenExpiresAt) return false;
  const expires = row.tokenExpiresAt.getTime();
  // Without the issue time assume a one-hour margin.
  const lifetime = row.authRefreshedAt ? expires - row.authRefreshedAt.getTime() : 3600_000 / REFRESH_AT_REMAINING;
  return expires - now.getTime() < lifetime * REFRESH_AT_REMAINING;
}

// ── The grant flow ────────────────────────────────────────────────────────────

interface StatePayload {
  /** store, org, user who started, expiry (ms), nonce */
  s: string;
  o: string;
  u: string;
  e: number;
  n: string;
}

const signState = (ctx: AppContext, payload: string): string => ctx.vault.keyedHash(`oauth-state:${payload}`);

function encodeState(ctx: AppContext, payload: StatePayload): string {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${signState(ctx, body)}`;
}

function decodeState(ctx: AppContext, state: string): StatePayload | null {
  const [body, signature, extra] = state.split(".");
  if (!body || !signature || extra !== undefined || !safeEqual(signature, signState(ctx, body))) return null;
  try {
    const p = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as StatePayload;
    return typeof p.s === "string" && typeof p.o === "string" && typeof p.n === "string" && typeof p.e === "number"
      ? p
      : null;
  } catch {
    return null;
  }
}

/**
 * Start the platform's grant flow for a store: a signed state bound to the store
 * and the admin, valid ten minutes, and usable once (only the latest flow's nonce
 * is kept, and the callback consumes it).
 */
export async function startAuthorization(ctx: AppContext, actor: Actor, storeId: string): Promise<AuthorizeStart> {
  if (!canManageStores(actor)) throw forbidden();
  const store = await getStore(ctx.db, actor, storeId);
  const adapter = adapterFor(store.platform as PlatformId);
  if (!adapter?.authorization) throw badRequest("This channel has no platform authorization");
  const nonce = randomToken(16);
  const state = encodeState(ctx, {
    s: store.id,
    o: actor.orgId,
    u: actor.userId,
    e: ctx.now().getTime() + STATE_TTL_MS,
    n: nonce,
  });
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(stores)
      .set({ authNonceHash: sha256Hex(nonce) })
      .where(and(eq(stores.orgId, actor.orgId), eq(stores.id, store.id)));
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "store.authorization_started",
      targetType: "store",
      targetId: store.id,
    });
  });
  const { appKey } = openCredentials(ctx, store);
  const authorizeUrl = adapter.authorization.authorizeUrl({
    gatewayUrl: store.gatewayUrl,
    appKey,
    redirectUri: redirectUriOf(ctx),
    state,
  });
  return { authorizeUrl, state };
}

export type AuthorizationOutcome = { storeId: string; ok: true } | { storeId: string; ok: false; error: string };

/**
 * The platform's redirect back: check and consume the state, trade the code for
 * tokens and keep them encrypted. A refusal by the seller or the platform is
 * recorded on the store for the admin to see.
 */
export async function completeAuthorization(
  ctx: AppContext,
  input: { code?: string | undefined; state?: string | undefined; error?: string | undefined },
): Promise<AuthorizationOutcome> {
  const payload = input.state ? decodeState(ctx, input.state) : null;
  if (!payload) throw badRequest("Invalid authorization state");
  if (payload.e < ctx.now().getTime()) throw badRequest("The authorization flow expired; start it again");
  const [consumed] = await ctx.db
    .update(stores)
    .set({ authNonceHash: null })
    .where(and(eq(stores.orgId, payload.o), eq(stores.id, payload.s), eq(stores.authNonceHash, sha256Hex(payload.n))))
    .returning();
  if (!consumed) throw badRequest("This authorization link was already used or replaced by a newer one");
  const actorId = payload.u;
  if (input.error || !input.code) {
    const error = `authorization refused: ${input.error ?? "no code returned"}`;
    await recordAuthError(ctx, consumed, error, { actorId, action: "store.authorization_refused" });
    return { storeId: consumed.id, ok: false, error };
  }
  const adapter = adapterFor(consumed.platform as PlatformId)!;
  const target = { store: consumed, credentials: openCredentials(ctx, consumed) };
  try {
    const tokens = await adapter.authorization.exchangeCode(platformContext(ctx, target), {
      code: input.code,
      redirectUri: redirectUriOf(ctx),
    });
    await saveTokens(ctx, consumed, tokens, { actorId, action: "store.authorized" });
    return { storeId: consumed.id, ok: true };
  } catch (err) {
    const error = describePlatformError(err);
    await recordAuthError(ctx, consumed, error, { actorId, action: "store.authorization_failed" });
    return { storeId: consumed.id, ok: false, error };
  }
}

const describePlatformError = (err: unknown): string =>
  err instanceof PlatformError
    ? `${err.platformCode}: ${err.message}`
    : err instanceof Error
      ? err.message
      : String(err);

interface AuditAs {
  actorId: string | null;
  action: string;
}

/**
 * Keep new tokens (encrypted with the app credentials) and mark the grant good.
 * `expectRefreshedAt` makes a background refresh lose quietly to a newer grant.
 */
async function saveTokens(
  ctx: AppContext,
  store: StoreRow,
  tokens: AuthorizationTokens,
  audit: AuditAs,
  expectRefreshedAt?: Date | null,
): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [fresh] = await tx
      .select()
      .from(stores)
      .where(and(eq(stores.orgId, store.orgId), eq(stores.id, store.id)))
      .for("update");
    if (!fresh) return false;
    if (expectRefreshedAt !== undefined && fresh.authRefreshedAt?.getTime() !== expectRefreshedAt?.getTime()) {
      return false;
    }
    const previous = openCredentials(ctx, fresh);
    const credentials: StoreCredentials = {
      ...previous,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken ?? previous.refreshToken,
    };
    await tx
      .update(stores)
      .set({
        credentialsEnc: sealCredentials(ctx, store.id, credentials),
        authState: "authorized",
        tokenExpiresAt: tokens.expiresAt,
        authRefreshedAt: ctx.now(),
        authError: null,
        updatedAt: new Date(),
      })
      .where(and(eq(stores.orgId, store.orgId), eq(stores.id, store.id)));
    await recordAudit(tx, {
      orgId: store.orgId,
      actorId: audit.actorId,
      action: audit.action,
      targetType: "store",
      targetId: store.id,
      // Never the tokens: only what an auditor needs.
      details: { expiresAt: tokens.expiresAt.toISOString(), sellerId: tokens.sellerId ?? null },
    });
    return true;
  });
}

/** Record the platform's refusal; `lapse` also stops sending until the store is re-authorized. */
async function recordAuthError(
  ctx: AppContext,
  store: StoreRow,
  error: string,
  audit: AuditAs,
  lapse = false,
): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(stores)
      .set({ authError: error.slice(0, 1000), ...(lapse && { authState: "lapsed" }), updatedAt: new Date() })
      .where(and(eq(stores.orgId, store.orgId), eq(stores.id, store.id)));
    await recordAudit(tx, {
      orgId: store.orgId,
      actorId: audit.actorId,
      action: audit.action,
      targetType: "store",
      targetId: store.id,
      details: { error: error.slice(0, 300) },
    });
  });
}

// ── Keeping grants alive ──────────────────────────────────────────────────────

/**
 * Renew one store's tokens. A refusal the platform calls final (revoked grant,
 * refresh token expired) lapses the store at once; a passing failure (timeout,
 * 5xx) is kept as the last error and tried again on the next sweep, until the
 * token itself expires.
 */
export async function refreshAuthorization(
  ctx: AppContext,
  orgId: string,
  storeId: string,
): Promise<"refreshed" | "lapsed" | "retry" | "skipped"> {
  const target = await storeById(ctx, orgId, storeId);
  const { store, credentials } = target;
  if (store.authState !== "authorized") return "skipped";
  const adapter = adapterFor(store.platform as PlatformId);
  const expired = store.tokenExpiresAt !== null && store.tokenExpiresAt.getTime() <= ctx.now().getTime();
  if (!adapter?.authorization || !credentials.refreshToken) {
    if (!expired) return "skipped";
    await recordAuthError(ctx, store, "token expired and cannot be refreshed", lapseAudit, true);
    return "lapsed";
  }
  try {
    const tokens = await adapter.authorization.refresh(platformContext(ctx, target), credentials.refreshToken);
    await saveTokens(
      ctx,
      store,
      tokens,
      { actorId: null, action: "store.authorization_refreshed" },
      store.authRefreshedAt,
    );
    return "refreshed";
  } catch (err) {
    const error = `refresh failed: ${describePlatformError(err)}`;
    const final = err instanceof PlatformError && !err.retryable;
    if (final || expired) {
      await recordAuthError(ctx, store, error, lapseAudit, true);
      return "lapsed";
    }
    ctx.log.warn({ storeId, err }, "token refresh failed, will retry");
    await ctx.db
      .update(stores)
      .set({ authError: error.slice(0, 1000) })
      .where(and(eq(stores.orgId, orgId), eq(stores.id, storeId)));
    return "retry";
  }
}

const lapseAudit: AuditAs = { actorId: null, action: "store.authorization_lapsed" };

/**
 * Stores whose tokens are due for renewal (less than 20% of their lifetime left,
 * or expired), across every org: the sweep is the platform's, not a tenant's, and
 * each refresh then works within its store's org.
 */
export async function storesDueForRefresh(db: Executor, now: Date): Promise<{ orgId: string; id: string }[]> {
  const rows = await queryRows<{ org_id: string; id: string }>(
    db,
    sql`SELECT org_id, id FROM stores
        WHERE auth_state = 'authorized' AND token_expires_at IS NOT NULL
          AND token_expires_at - coalesce(token_expires_at - auth_refreshed_at, interval '5 hours')
              * ${REFRESH_AT_REMAINING} <= ${now.toISOString()}::timestamptz
        ORDER BY token_expires_at LIMIT 500`,
  );
  return rows.map((r) => ({ orgId: r.org_id, id: r.id }));
}

/** Renew every due grant, one store at a time (a slow platform delays only this sweep). */
export async function sweepAuthorizations(ctx: AppContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const due of await storesDueForRefresh(ctx.db, ctx.now())) {
    const outcome = await refreshAuthorization(ctx, due.orgId, due.id).catch((err: unknown) => {
      ctx.log.error({ err, storeId: due.id }, "authorization refresh crashed");
      return "retry" as const;
    });
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}
