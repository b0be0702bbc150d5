import type { Executor } from "../../platform/db/client.ts";
import { enqueue } from "../../platform/jobs/queue.ts";

/** The queue the connect module's delivery worker serves. */
export const DELIVERY_QUEUE = "deliver-message";
export const DELIVERY_MAX_ATTEMPTS = 10;

/** The delivery job of an outbound message, in the caller's transaction. */
export async function enqueueDelivery(
  tx: Executor,
  message: { id: string; orgId: string; conversationId: string },
): Promise<void> {
  await enqueue(tx, {
    orgId: message.orgId,
    queue: DELIVERY_QUEUE,
    payload: { messageId: message.id },
    // Replies of one conversation reach the buyer in the order they were written.
    orderingKey: `conversation:${message.conversationId}`,
    maxAttempts: DELIVERY_MAX_ATTEMPTS,
  });
}
