import type { Simulator } from "@yunxi/marketplaces/simulator";

/**
 * Test helpers: give a simulated buyer an order in a chosen status, drawn from a seeded
 * generator (the simulator's own PRNG is internal), so the bot has real order state to read.
 */

export type SimOrderStatus =
  | "unpaid"
  | "paid"
  | "shipped"
  | "delivered"
  | "completed"
  | "closed"
  | "refunding"
  | "refunded";

/** mulberry32, the same shape as the simulator's Rng. */
export function seededRng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
    exponential: (mean: number) => -Math.log(1 - next()) * mean,
  };
}

/**
 * The buyer has an order in this status in the simulated store: back-dated along a real
 * plan, so its times, carrier and parcel trace agree with the status. An unpaid order is a
 * fresh one (its payment is at least ten seconds away).
 */
export function giveOrder(
  sim: Simulator,
  rng: ReturnType<typeof seededRng>,
  storeKey: string,
  buyerNick: string,
  status: SimOrderStatus,
) {
  const world = sim.world;
  const store = world.store(storeKey);
  const product = world.products(storeKey)[0];
  if (!store || !product) throw new Error(`the simulator has no store ${storeKey}`);
  if (status === "unpaid") return world.placeOrder(store, buyerNick, product, rng, new Date());
  return world.addOrder(store, buyerNick, product, rng, status);
}

/**
 * A buyer with one paid order whose promised ship time is still ahead (about one plan in
 * eight ships late, and a back-dated order may already be past its promise): buyers
 * `<prefix>1`, `<prefix>2` … are tried in turn; the ones passed over never write.
 */
export function buyerWithPaidOrderOnTime(
  sim: Simulator,
  rng: ReturnType<typeof seededRng>,
  storeKey: string,
  prefix: string,
) {
  for (let i = 1; i <= 20; i++) {
    const buyer = `${prefix}${i}`;
    const order = giveOrder(sim, rng, storeKey, buyer, "paid");
    if (order.promisedShipAt && order.promisedShipAt.getTime() > Date.now() + 60_000) return { buyer, order };
  }
  throw new Error("no paid order on time in 20 draws");
}
