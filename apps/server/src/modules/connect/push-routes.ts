import { PlatformId } from "@yunxi/contracts";
import { adapterFor } from "@yunxi/marketplaces";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../platform/context.ts";
import { AppError, notFound } from "../../platform/http/errors.ts";
import { ingestInbound } from "../inbox/index.ts";
import { isActive, type StoreWithCredentials, storeForPush } from "../stores/index.ts";

const MAX_PUSH_BYTES = 2 * 1024 * 1024;

/**
 * How long this node keeps a store it looked up for a push. Without it every push
 * pays a query and a decryption before its transaction. A change made on this node
 * applies at once (updateStore announces it on the bus); one made on another node,
 * by the CLI or in SQL applies here within this time: a store just disabled may
 * accept pushes for up to 3 s more, a replaced app secret is honoured 3 s late
 * (the platform retries what is refused meanwhile). Unknown keys are not cached.
 */
export const STORE_CACHE_MS = 3000;

/** Stores by platform and push key, each kept for STORE_CACHE_MS. */
export class PushStoreCache {
  readonly #entries = new Map<string, { target: StoreWithCredentials; until: number }>();
  readonly #ttlMs: number;

  constructor(ttlMs = STORE_CACHE_MS) {
    this.#ttlMs = ttlMs;
  }

  async get(
    key: string,
    now: number,
    load: () => Promise<StoreWithCredentials | null>,
  ): Promise<StoreWithCredentials | null> {
    const hit = this.#entries.get(key);
    if (hit && hit.until > now) return hit.target;
    const target = await load();
    if (target) this.#entries.set(key, { target, until: now + this.#ttlMs });
    else this.#entries.delete(key);
    return target;
  }

  forget(storeId: string): void {
    for (const [key, entry] of this.#entries) if (entry.target.store.id === storeId) this.#entries.delete(key);
  }
}

function headerMap(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  return out;
}

/**
 * `POST /connect/<platform>/<storeKey>`: verify, normalize, store in one
 * transaction, and only then acknowledge. A push that fails anywhere before commit
 * gets an error, so the platform delivers it again; nothing is acknowledged that
 * is not stored.
 */
export async function pushRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // Signatures cover the exact bytes: keep the body as the platform sent it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit: MAX_PUSH_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  const stores = new PushStoreCache();
  const unsubscribe = ctx.bus.onChanged((kind, id) => {
    if (kind === "store") stores.forget(id);
  });
  app.addHook("onClose", async () => unsubscribe());

  app.post<{ Params: { platform: string; storeKey: string }; Body: string | undefined }>(
    "/connect/:platform/:storeKey",
    { config: { public: true } },
    async (request, reply) => {
      const started = performance.now();
      const platform = PlatformId.safeParse(request.params.platform);
      const adapter = platform.success ? adapterFor(platform.data) : undefined;
      if (!platform.success || !adapter) throw notFound("Platform");
      const metric = { platform: platform.data };
      const storeKey = request.params.storeKey.slice(0, 200);
      // Real time, not ctx.now: tests that move the clock must not keep a store cached for ever.
      const target = await stores.get(`${platform.data}/${storeKey}`, performance.now(), () =>
        storeForPush(ctx, platform.data, storeKey),
      );
      if (!target) {
        ctx.metrics.inboundMessages.inc({ ...metric, status: "rejected" });
        throw notFound("Store");
      }
      if (!isActive(target.store)) {
        ctx.metrics.inboundMessages.inc({ ...metric, status: "rejected" });
        throw new AppError(403, "store_disabled", "This store is disabled");
      }
      const verdict = adapter.verifyPush(
        {
          headers: headerMap(request.headers),
          query: request.query as Record<string, string | undefined>,
          rawBody: typeof request.body === "string" ? request.body : "",
        },
        target.credentials,
        ctx.now(),
      );
      if (!verdict.ok) {
        ctx.metrics.inboundMessages.inc({ ...metric, status: "rejected" });
        request.log.warn({ storeId: target.store.id, reason: verdict.reason, detail: verdict.message }, "push refused");
        const status = verdict.reason === "malformed" ? 400 : 401;
        const code = verdict.reason === "malformed" ? "bad_request" : verdict.reason;
        throw new AppError(status, code, verdict.message);
      }
      const result = await ingestInbound(
        ctx,
        { id: target.store.id, orgId: target.store.orgId, platform: target.store.platform, name: target.store.name },
        verdict.events,
      );
      ctx.metrics.pushToStored.observe(metric, (performance.now() - started) / 1000);
      if (result.stored) ctx.metrics.inboundMessages.inc({ ...metric, status: "stored" }, result.stored);
      if (result.duplicates) ctx.metrics.inboundMessages.inc({ ...metric, status: "duplicate" }, result.duplicates);
      const ack = adapter.acknowledgePush();
      return reply.status(ack.status).type(ack.contentType).send(ack.body);
    },
  );
}
