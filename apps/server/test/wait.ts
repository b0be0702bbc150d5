import type { AppContext } from "../src/platform/context.ts";
import { queryRows, sql } from "../src/platform/db/client.ts";

/** Poll until `check` returns a truthy value (returned) or time runs out (throws with `what`). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ""}`);
}

/**
 * Until the workspace queue has settled: no triage job waiting or running. Tests that
 * count the events a push causes take their starting point after this, so a previous
 * message's triage (priority, SLA, assignment) is not counted as theirs.
 */
export async function queueSettled(ctx: AppContext): Promise<void> {
  await waitFor("the triage queue to settle", async () => {
    const rows = await queryRows(ctx.db, sql`SELECT 1 FROM jobs WHERE queue = 'inbox-triage' LIMIT 1`);
    return rows.length === 0;
  });
}
