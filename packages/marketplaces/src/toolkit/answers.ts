import { z } from "zod";
import type { PlatformOrder, StoreContext } from "../adapter.ts";
import { PlatformError } from "../adapter.ts";

/** Reading platform answers the way every adapter does: what a bad shape, an id or "no such order" become. */

/** The store's clock (the simulator's accelerated one in the demo). */
export function nowOf(store: StoreContext): Date {
  return store.now?.() ?? new Date();
}

/** Platforms write ids as strings or numbers, sometimes both in one API. */
export const idString = z.union([z.string(), z.number()]).transform(String);

/** An answer of the wrong shape is the platform's hiccup, not our request's fault: retryable. */
export function parseOrThrow<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new PlatformError("bad_response", `${what} answered an unexpected shape`, true);
  return parsed.data;
}

/** The interface promises a buyer's orders newest first, whatever order the platform answers in. */
export function newestFirst(orders: PlatformOrder[]): PlatformOrder[] {
  return orders.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

/** Trace nodes oldest first. */
export function oldestFirst<T extends { at: Date }>(nodes: T[]): T[] {
  return nodes.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * A platform's refusal of an unknown order, recognized by `pattern` in its
 * message, as the interface's "not_found"; anything else is rethrown. For `.catch`.
 */
export function notFoundWhen(pattern: RegExp): (error: unknown) => never {
  return (error) => {
    if (error instanceof PlatformError && pattern.test(error.message)) {
      throw new PlatformError("not_found", error.message, false);
    }
    throw error;
  };
}
