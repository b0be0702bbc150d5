import type { PlatformId } from "@yunxi/contracts";
import type { AppContext } from "../../platform/context.ts";
import type { IdentityRef } from "../customers/index.ts";
import type { MessageRow } from "../inbox/index.ts";
import type { StoreWithCredentials } from "../stores/index.ts";

/** One pending reply of an own channel (web chat, e-mail, API), with everything needed to send it. */
export interface ChannelDelivery {
  target: StoreWithCredentials;
  message: MessageRow;
  buyer: IdentityRef;
}

/**
 * Sends a reply through one of Yunxi's own channels. Same contract as a marketplace
 * adapter's `send`: resolve with the channel's message id, or throw a PlatformError
 * whose `retryable` decides between back-off and failing the message.
 */
export type ChannelSender = (delivery: ChannelDelivery) => Promise<{ platformMessageId: string }>;

// Per context, not per process: tests run several servers in one process, each with its own sockets.
const senders = new WeakMap<AppContext, Map<PlatformId, ChannelSender>>();

export function registerChannelSender(ctx: AppContext, platform: PlatformId, sender: ChannelSender): void {
  const map = senders.get(ctx) ?? new Map<PlatformId, ChannelSender>();
  map.set(platform, sender);
  senders.set(ctx, map);
}

/** The own-channel sender for this platform, if a module registered one; else a marketplace adapter applies. */
export function channelSenderFor(ctx: AppContext, platform: PlatformId): ChannelSender | undefined {
  return senders.get(ctx)?.get(platform);
}
