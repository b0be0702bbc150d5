import { setTimeout as sleep } from "node:timers/promises";
import { MessageAttachment, type PlatformId } from "@yunxi/contracts";
import { adapterFor, type OutboundContent, PlatformError, type PlatformLimits } from "@yunxi/marketplaces";
import type { AppContext } from "../../platform/context.ts";
import { type ClaimedJob, RetryLater, RunLater } from "../../platform/jobs/queue.ts";
import { identitiesByIds } from "../customers/index.ts";
import { DELIVERY_QUEUE, type MessageRow, pendingDelivery, recordDelivery } from "../inbox/index.ts";
import {
  isActive,
  lapsedReason,
  platformContext,
  refreshAuthorization,
  reserveSendSlot,
  type StoreRow,
  type StoreWithCredentials,
  storeById,
} from "../stores/index.ts";
import { type ChannelSender, channelSenderFor } from "./outbound-channels.ts";

const describe = (err: unknown): string =>
  err instanceof PlatformError
    ? `${err.platformCode}: ${err.message}`
    : err instanceof Error
      ? err.message
      : String(err);

/** A worker waits at most this long for its store's next send slot; longer, the job goes back to the queue. */
const MAX_SLOT_WAIT_MS = 1000;
/**
 * Slots are 10% wider than the platform's rate: the time from reserving a slot to
 * the request reaching the platform varies by a few tens of milliseconds, and the
 * platform counts what arrives, not what we reserved.
 */
const SLOT_MARGIN = 1.1;

/**
 * The delivery worker: hand a pending reply to its platform's adapter. Retryable
 * platform errors (timeouts, 5xx, rate limits) go back to the queue with back-off
 * and the message stays pending, showing the last error; a refusal (bad
 * credentials, forbidden content), a lapsed authorization or the last attempt
 * fails it for the agent to see.
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

/** What goes to the platform: the text, or the image or card the message carries. */
export function outboundContentOf(message: MessageRow): OutboundContent {
  const attachment = message.attachment ? MessageAttachment.safeParse(message.attachment) : undefined;
  if (attachment?.success) {
    const a = attachment.data;
    if (a.type === "image") return { type: "image", url: a.url };
    if (a.type === "product_card") return { type: "product_card", productId: a.productId };
    if (a.type === "order_card") return { type: "order_card", orderId: a.orderId };
  }
  return { type: "text", text: message.body };
}

/**
 * Keep this store's sends `1 / sendsPerSecond` apart across every worker and node:
 * the slot is reserved in the store's row on the database clock. A slot within a
 * second is waited for here; a later one hands the job back to the queue for then,
 * without spending one of its attempts, so a busy store does not tie up workers.
 */
async function waitForSendSlot(ctx: AppContext, store: StoreRow, limits: PlatformLimits | undefined): Promise<void> {
  const perSecond = limits?.sendsPerSecond ?? 0;
  if (!(perSecond > 0)) return;
  const interval = (1000 / perSecond) * SLOT_MARGIN;
  const slot = await reserveSendSlot(ctx.db, store.orgId, store.id, interval, MAX_SLOT_WAIT_MS);
  if ("retryInMs" in slot) throw new RunLater(slot.retryInMs, "waiting for the store's send slot");
  if (slot.waitMs > 0) await sleep(slot.waitMs);
}

/**
 * Do not ask the platform about one grant more than once a minute, however many
 * replies it refuses. Per process: a throttle, not state another node needs.
 */
const GRANT_CHECK_EVERY_MS = 60_000;
const lastGrantCheck = new Map<string, number>();

/**
 * A refusal may mean the seller revoked the grant, which the platform says in its
 * own words on a send. Renewing the tokens tells for sure on every platform: a
 * revoked grant fails the refresh for good and the store lapses, so later replies
 * fail at once with the reason and the admin console shows it.
 */
async function checkGrantAfterRefusal(ctx: AppContext, store: StoreRow): Promise<void> {
  if (store.authState !== "authorized" || !store.tokenExpiresAt) return;
  const now = Date.now();
  if (now - (lastGrantCheck.get(store.id) ?? 0) < GRANT_CHECK_EVERY_MS) return;
  lastGrantCheck.set(store.id, now);
  await refreshAuthorization(ctx, store.orgId, store.id).catch((err: unknown) => {
    ctx.log.warn({ err, storeId: store.id }, "grant check after a refusal failed");
  });
}

async function deliver(ctx: AppContext, job: ClaimedJob): Promise<void> {
  const messageId = String(job.payload.messageId);
  const pending = await pendingDelivery(ctx.db, job.orgId, messageId);
  if (!pending) return; // already sent or failed: a re-claimed job must not send twice
  const target = await storeById(ctx, job.orgId, pending.message.storeId);
  const { store } = target;
  const platform = store.platform as PlatformId;
  const metric = { platform };
  const fail = async (error: string) => {
    await recordDelivery(ctx, job.orgId, messageId, { status: "failed", error });
    ctx.metrics.outboundMessages.inc({ ...metric, status: "failed" });
  };
  // Yunxi's own channels (web chat, e-mail, API) register a sender; marketplaces have an adapter.
  const channel = channelSenderFor(ctx, platform);
  if (channel) return deliverThroughChannel(ctx, job, channel, target, pending, fail);
  const adapter = adapterFor(platform);
  if (!adapter) return fail(`No adapter for platform ${platform}`);
  if (!isActive(store)) return fail("store_disabled: the store is disabled");
  // A lapsed grant fails at once with the reason: calling the platform would only be refused.
  const lapsed = lapsedReason(store, ctx.now());
  if (lapsed) return fail(lapsed);
  const identity = (await identitiesByIds(ctx.db, job.orgId, [pending.identityId])).get(pending.identityId);
  if (!identity) return fail("The buyer's identity is missing");
  await waitForSendSlot(ctx, store, adapter.limits);
  try {
    const sent = await adapter.send(platformContext(ctx, target), {
      buyer: { platformBuyerId: identity.platformBuyerId, displayName: identity.displayName },
      content: outboundContentOf(pending.message),
      clientMessageId: pending.message.id,
    });
    await recordDelivery(ctx, job.orgId, messageId, { status: "sent", platformMessageId: sent.platformMessageId });
    ctx.metrics.outboundMessages.inc({ ...metric, status: "sent" });
  } catch (err) {
    const retryable = !(err instanceof PlatformError) || err.retryable;
    if (!retryable) await checkGrantAfterRefusal(ctx, store);
    if (!retryable || job.attempts >= job.maxAttempts) return fail(describe(err));
    await recordDelivery(ctx, job.orgId, messageId, { status: "retrying", error: describe(err) });
    ctx.metrics.outboundMessages.inc({ ...metric, status: "retried" });
    throw new RetryLater(describe(err));
  }
}

/** An own channel's reply: same checks, outcomes and retry semantics as a marketplace send. */
async function deliverThroughChannel(
  ctx: AppContext,
  job: ClaimedJob,
  send: ChannelSender,
  target: StoreWithCredentials,
  pending: { message: MessageRow; identityId: string },
  fail: (error: string) => Promise<void>,
): Promise<void> {
  const metric = { platform: target.store.platform };
  if (!isActive(target.store)) return fail("store_disabled: the store is disabled");
  const buyer = (await identitiesByIds(ctx.db, job.orgId, [pending.identityId])).get(pending.identityId);
  if (!buyer) return fail("The buyer's identity is missing");
  try {
    const sent = await send({ target, message: pending.message, buyer });
    await recordDelivery(ctx, job.orgId, pending.message.id, {
      status: "sent",
      platformMessageId: sent.platformMessageId,
    });
    ctx.metrics.outboundMessages.inc({ ...metric, status: "sent" });
  } catch (err) {
    const retryable = !(err instanceof PlatformError) || err.retryable;
    if (!retryable || job.attempts >= job.maxAttempts) return fail(describe(err));
    await recordDelivery(ctx, job.orgId, pending.message.id, { status: "retrying", error: describe(err) });
    ctx.metrics.outboundMessages.inc({ ...metric, status: "retried" });
    throw new RetryLater(describe(err));
  }
}
