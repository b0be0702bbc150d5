import type { AppContext } from "../../platform/context.ts";
import { enqueueRecurring } from "../../platform/jobs/recurring.ts";
import { sweepAuthorizations } from "./authorization.ts";

/**
 * The recurring job that keeps sellers' grants alive. One sweep job exists at a
 * time for the whole deployment: started once (whichever node starts first), it
 * enqueues its successor when it finishes, so it survives restarts and runs on
 * any worker node. The ordering key keeps two sweeps from overlapping.
 */
export const AUTHORIZATION_SWEEP_QUEUE = "store-authorization-sweep";
const SWEEP_EVERY_MS = 60_000;
/** Jobs belong to an org; the sweep serves them all and carries the nil id. */

export function registerAuthorizationSweep(ctx: AppContext): void {
  ctx.jobs.register(AUTHORIZATION_SWEEP_QUEUE, async () => {
    // A failed sweep must not end the chain: log it and let the next one try.
    try {
      const outcome = await sweepAuthorizations(ctx);
      if (Object.keys(outcome).length > 0) ctx.log.info({ outcome }, "authorization sweep");
    } catch (err) {
      ctx.log.error({ err }, "authorization sweep failed");
    }
    await scheduleSweep(ctx, new Date(Date.now() + SWEEP_EVERY_MS));
  });
}

/** Enqueue the next sweep unless one is already waiting (another node started, or this one restarted). */
export async function scheduleSweep(ctx: AppContext, runAt = new Date()): Promise<void> {
  await enqueueRecurring(ctx.db, AUTHORIZATION_SWEEP_QUEUE, runAt);
}
