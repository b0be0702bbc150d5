import type { GatewayResponse } from "./personality.ts";

/**
 * Faults the tests inject into the simulated platform gateways (never into the
 * control API): fail the next N calls with HTTP 500, slow every call down, or
 * be "down" (HTTP 503) until cleared. A slow call is still processed after the
 * delay even if the caller gave up, as a real platform would: that is how a
 * client timeout can turn into a double send.
 */

export interface FaultState {
  failNextSends: number;
  latencyMs: number;
  down: boolean;
}

export interface Faults {
  state(): FaultState;
  set(change: Partial<FaultState>): FaultState;
  clear(): FaultState;
  /** Apply the faults to one gateway call: a response to answer instead, or undefined to proceed. */
  apply(): Promise<GatewayResponse | undefined>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createFaults(): Faults {
  let state: FaultState = { failNextSends: 0, latencyMs: 0, down: false };
  return {
    state: () => ({ ...state }),
    set(change) {
      state = { ...state, ...change };
      return { ...state };
    },
    clear() {
      state = { failNextSends: 0, latencyMs: 0, down: false };
      return { ...state };
    },
    async apply() {
      if (state.down) return { status: 503, body: { error: "service unavailable (simulated outage)" } };
      if (state.latencyMs > 0) await sleep(state.latencyMs);
      if (state.failNextSends > 0) {
        state.failNextSends--;
        return { status: 500, body: { error: "internal server error (simulated)" } };
      }
      return undefined;
    },
  };
}
