import type { PlatformId } from "@yunxi/contracts";
import { adapterFor, PlatformError } from "@yunxi/marketplaces";
import type { AppContext } from "../../platform/context.ts";
import { type ClaimedJob, RetryLater } from "../../platform/jobs/queue.ts";
import { identitiesByIds } from "../customers/index.ts";
import { DELIVERY_QUEUE, pendingDelivery, recordDelivery } from "../inbox/index.ts";
import { isActive, storeById } from "../stores/index.ts";

const describe = (err: unknown): string =>
  err instanceof PlatformError
    ? `${err.platformCode}: ${err.message}`
    : err instanceof Error
      ? err.message
      : String(err);

/**
 * The delivery worker: hand a pending reply to its platform's adapter. Retryable
 * platform errors (timeouts, 5xx, rate limits) go back to the queue with back-off
 * and the message stays pending, showing the last error; a refusal (bad
 * credentials, forbidden content) or the last attempt fails it for the agent to see.
 */
export function registerDelivery(ctx: AppContext): void {
  ctx.jobs.register(
    DELIVERY_QUEUE,
    async (job) => deliver(ctx, job),
    async (job, error) => {
      await recordDelivery(ctx, job.orgId, String(job.payload.messageId), { status: "failed", error: describe(error) });
      ctx.metrics.outboundMessages.inc({ platform: String(job.payload.platform ?? "unknown"), status: "failed" });
    },
  );
}

async function deliver(ctx: AppContext, job: ClaimedJob): Promise<void> {
  const messageId = String(job.payload.messageId);
  const pending = await pendingDelivery(ctx.db, job.orgId, messageId);
  if (!pending) return; // already sent or failed: a re-claimed job must not send twice
  const { store, credentials } = await storeById(ctx, job.orgId, pending.message.storeId);
  const platform = store.platform as PlatformId;
  const metric = { platform };
  const fail = async (error: string) => {
    await recordDelivery(ctx, job.orgId, messageId, { status: "failed", error });
    ctx.metrics.outboundMessages.inc({ ...metric, status: "failed" });
  };
  const adapter = adapterFor(platform);
  if (!adapter) return fail(`No adapter for platform ${platform}`);
  if (!isActive(store)) return fail("store_disabled: the store is disabled");
  const identity = (await identitiesByIds(ctx.db, job.orgId, [pending.identityId])).get(pending.identityId);
  if (!identity) return fail("The buyer's identity is missing");
  try {
    const sent = await adapter.sendText(
      { gatewayUrl: store.gatewayUrl, sellerId: store.sellerId, credentials, now: ctx.now },
      {
        buyer: { platformBuyerId: identity.platformBuyerId, displayName: identity.displayName },
        text: pending.message.body,
        clientMessageId: pending.message.id,
      },
    );
    await recordDelivery(ctx, job.orgId, messageId, { status: "sent", platformMessageId: sent.platformMessageId });
    ctx.metrics.outboundMessages.inc({ ...metric, status: "sent" });
  } catch (err) {
    const retryable = !(err instanceof PlatformError) || err.retryable;
    if (!retryable || job.attempts >= job.maxAttempts) return fail(describe(err));
    await recordDelivery(ctx, job.orgId, messageId, { status: "retrying", error: describe(err) });
    ctx.metrics.outboundMessages.inc({ ...metric, status: "retried" });
    throw new RetryLater(describe(err));
  }
}
