import type { PlatformId } from "@yunxi/contracts";
import type { SessionStart } from "./buyers/behaviour.ts";
import type { SimStore } from "./options.ts";
import { type Topic, type TopicKind, topics } from "./phrases.ts";
import type { Rng } from "./prng.ts";
import type { ProfileControl } from "./profiles.ts";
import type { ScheduledTask, Scheduler } from "./scheduler.ts";
import type { SimBuyer, SimOrder, World } from "./world.ts";

/**
 * Buyer arrivals: Poisson at the base rate times the profile's multiplier,
 * spread over platforms and kinds of question by the profile's mix. Each
 * arrival picks a buyer (mostly one who already exists), a question that fits
 * what they bought (“什么时候发货” for a paid order, “到哪了” for a shipped
 * one), and hands the visit to the buyers' behaviour.
 */

export interface Traffic {
  /** Base rate, messages (new visits) per minute before the profile's multiplier. */
  rate(): number;
  setRate(ratePerMinute: number): void;
  /** The rate in effect now (base × profile). */
  effectiveRate(): number;
  /** Re-read the profile (after it or the mix changed). */
  reschedule(): void;
  /** One arrival, now. */
  generateOne(): void;
  stop(): void;
}

const topicsByKind = new Map<TopicKind, Topic[]>();
for (const topic of topics) topicsByKind.set(topic.kind, [...(topicsByKind.get(topic.kind) ?? []), topic]);

function weightedPick<T>(entries: ReadonlyArray<readonly [T, number]>, rng: Rng): T | undefined {
  let total = 0;
  for (const [, w] of entries) if (w > 0) total += w;
  if (total <= 0) return undefined;
  let r = rng.next() * total;
  let last: T | undefined;
  for (const [item, weight] of entries) {
    if (weight <= 0) continue;
    last = item;
    r -= weight;
    if (r < 0) return item;
  }
  return last;
}

export function createTraffic(options: {
  world: World;
  scheduler: Scheduler;
  rng: Rng;
  profile: ProfileControl;
  ratePerMinute: number;
  isBusy(storeKey: string, buyerNick: string): boolean;
  start(visit: SessionStart): void;
}): Traffic {
  const { world, scheduler, rng, profile } = options;
  const storesByPlatform = new Map<PlatformId, SimStore[]>();
  for (const store of world.stores) {
    storesByPlatform.set(store.platform, [...(storesByPlatform.get(store.platform) ?? []), store]);
  }
  let ratePerMinute = Math.max(0, options.ratePerMinute);
  let next: ScheduledTask | undefined;

  function pickBuyer(store: SimStore): SimBuyer {
    const known = world.buyerList(store.platform);
    // Mostly someone who has been here before; a few tries to find one not mid-visit.
    if (known.length > 0 && rng.chance(0.7)) {
      for (let i = 0; i < 4; i++) {
        const buyer = rng.pick(known);
        if (!options.isBusy(store.storeKey, buyer.nick)) return buyer;
      }
    }
    return world.newBuyer(store.platform, rng);
  }

  function visit(store: SimStore, kind: TopicKind): SessionStart | undefined {
    const products = world.products(store.storeKey);
    if (products.length === 0) return undefined;
    const buyer = pickBuyer(store);
    const ofKind = topicsByKind.get(kind) ?? [];
    if (kind === "presale") {
      const product = rng.pick(products);
      const fitting = ofKind.filter((t) => !t.categories || t.categories.includes(product.category));
      return { store, buyer, topic: rng.pick(fitting), product, order: undefined };
    }
    // Ask about an order the buyer really has in the right state, or one they had before the run.
    const bought = world.orders(store.storeKey, buyer.nick);
    const fits: Array<[Topic, SimOrder]> = [];
    for (const topic of ofKind) {
      for (const order of bought) if (topic.orderStatuses?.includes(order.status)) fits.push([topic, order]);
    }
    let topic: Topic;
    let order: SimOrder;
    if (fits.length > 0 && rng.chance(0.85)) {
      [topic, order] = rng.pick(fits);
    } else {
      topic = rng.pick(ofKind);
      order = world.addOrder(store, buyer.nick, rng.pick(products), rng, rng.pick(topic.orderStatuses ?? ["paid"]));
    }
    const product = products.find((p) => p.id === order.productId) ?? rng.pick(products);
    return { store, buyer, topic, product, order };
  }

  function generateOne(): void {
    const weights = profile.weights(scheduler.now());
    const platform = weightedPick(weights.platforms, rng);
    const stores = platform ? storesByPlatform.get(platform) : undefined;
    const kind = weightedPick(weights.kinds, rng);
    if (!stores || stores.length === 0 || !kind) return;
    const started = visit(rng.pick(stores), kind);
    if (started) options.start(started);
  }

  const effectiveRate = () => ratePerMinute * profile.weights(scheduler.now()).rateMultiplier;

  function schedule(): void {
    scheduler.cancel(next);
    next = undefined;
    const rate = effectiveRate();
    const now = scheduler.now().getTime();
    const phaseEnd = profile.weights(scheduler.now()).endsAt;
    if (rate <= 0) {
      // Nothing now; look again when the phase changes.
      if (Number.isFinite(phaseEnd) && ratePerMinute > 0) next = scheduler.at(phaseEnd, schedule);
      return;
    }
    const at = now + rng.exponential(60_000 / rate);
    // An arrival past the phase's end is re-drawn at the new rate from there (memoryless).
    next = at >= phaseEnd ? scheduler.at(phaseEnd, schedule) : scheduler.at(at, arrive);
  }

  function arrive(): void {
    generateOne();
    schedule();
  }

  schedule();
  return {
    rate: () => ratePerMinute,
    setRate(value) {
      ratePerMinute = Math.max(0, value);
      schedule();
    },
    effectiveRate,
    reschedule: schedule,
    generateOne,
    stop() {
      ratePerMinute = 0;
      schedule();
    },
  };
}
