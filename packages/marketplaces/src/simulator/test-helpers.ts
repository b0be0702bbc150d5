import type { PlatformId } from "@yunxi/contracts";
import type { EncodedPush, PlatformPersonality, SimEvent } from "./personality.ts";
import type { Simulator } from "./simulator.ts";

/**
 * Test support for the simulator's world and buyers: a clock the test moves,
 * a stand-in personality that pushes any event as JSON (so these tests do not
 * depend on a platform's encoder), and an "agent" that answers buyers after a
 * fixed delay, the way the gateway records a reply.
 */

export interface FakeClock {
  now: () => Date;
  ms(): number;
  set(ms: number): void;
}

export function fakeClock(start = Date.parse("2026-11-10T12:00:00.000Z")): FakeClock {
  let t = start;
  return {
    now: () => new Date(t),
    ms: () => t,
    set(ms) {
      t = ms;
    },
  };
}

export function plainPersonality(platform: PlatformId): PlatformPersonality {
  const encode = (storeKey: string, body: unknown): EncodedPush => ({
    path: `/connect/${platform}/${storeKey}`,
    query: {},
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    platform,
    gatewayRoutes: () => [],
    encodePush: (store, message) => encode(store.storeKey, message),
    encodeEvent: (store, event: SimEvent) => encode(store.storeKey, event),
  };
}

export const plainPersonalities = {
  taobao: plainPersonality("taobao"),
  douyin: plainPersonality("douyin"),
  pdd: plainPersonality("pdd"),
};

export function testStore(platform: PlatformId, storeKey: string) {
  return {
    platform,
    storeKey,
    name: `${storeKey}店`,
    sellerId: `seller-${storeKey}`,
    appKey: `app-${platform}`,
    appSecret: "secret",
    accessToken: "token",
  };
}

let agentReplies = 0;

/**
 * Move the clock forward in steps, running what falls due; when `replyAfterMs`
 * is set, answer every waiting buyer that long after they started waiting.
 */
export function runFor(
  sim: Simulator,
  clock: FakeClock,
  durationMs: number,
  options: { stepMs?: number; replyAfterMs?: number | null } = {},
): void {
  const stepMs = options.stepMs ?? 1000;
  const end = clock.ms() + durationMs;
  while (clock.ms() < end) {
    clock.set(Math.min(end, clock.ms() + stepMs));
    sim.runDue();
    if (options.replyAfterMs === undefined || options.replyAfterMs === null) continue;
    for (const session of sim.buyerRecord.sessions()) {
      if (!session.awaitingSince || session.left) continue;
      if (session.awaitingSince.getTime() + options.replyAfterMs > clock.ms()) continue;
      const id = `agent-${++agentReplies}`;
      sim.world.recordSend({
        platform: session.platform,
        storeKey: session.storeKey,
        buyerNick: session.buyerNick,
        text: "亲，在的，马上为您处理",
        clientMsgId: id,
        platformMsgId: id,
        receivedAt: clock.now().toISOString(),
      });
    }
  }
}
