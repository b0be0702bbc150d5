import { afterAll, beforeAll, expect } from "vitest";
import { PlatformError, type StoreContext } from "../adapter.ts";
import type { SimStoreConfig } from "./options.ts";
import { createSimulator, type Simulator } from "./simulator.ts";

/**
 * Test support for running an adapter against the simulator's gateway over
 * HTTP: one simulator per test file, started before its tests and stopped
 * after, and the store context the adapter calls it with.
 */

export interface GatewayHarness {
  /** The running simulator (valid inside tests). */
  readonly sim: Simulator;
  /** The store as the adapter sees it: the simulator's URL and the store's credentials. */
  readonly context: StoreContext;
}

export function gatewayHarness(store: SimStoreConfig, seed: number): GatewayHarness {
  let sim: Simulator | undefined;
  let context: StoreContext | undefined;
  beforeAll(async () => {
    sim = createSimulator({ port: 0, seed, stores: [store] });
    await sim.start();
    const { appKey, appSecret, signSecret, accessToken } = store;
    context = {
      gatewayUrl: sim.url,
      sellerId: store.sellerId,
      credentials: signSecret ? { appKey, appSecret, signSecret, accessToken } : { appKey, appSecret, accessToken },
    };
  });
  afterAll(async () => {
    await sim?.stop();
  });
  return {
    get sim() {
      if (!sim) throw new Error("the simulator runs only inside the tests");
      return sim;
    },
    get context() {
      if (!context) throw new Error("the simulator runs only inside the tests");
      return context;
    },
  };
}

/** The PlatformError a call rejects with (the test fails if it resolves or throws anything else). */
export async function platformError(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PlatformError);
  return error as PlatformError;
}

/** Follow the authorize page's 302 back to the redirect URI, as the seller's browser would. */
export async function consentTo(url: string): Promise<{ code: string; state: string }> {
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location") ?? "");
  return { code: location.searchParams.get("code") ?? "", state: location.searchParams.get("state") ?? "" };
}
