import type { SimStore } from "./options.ts";
import { cities, type Topic, type TopicKind, topics } from "./phrases.ts";
import type { Rng } from "./prng.ts";
import type { SimOrder, SimProduct, World } from "./world.ts";

/**
 * Generates buyer messages at a rate (Poisson arrivals across all stores):
 * either a new buyer question on a topic, or the next follow-up in a
 * conversation already open. Each message goes to `emit`, which records and
 * pushes it.
 */

export interface Conversation {
  store: SimStore;
  buyerNick: string;
  topic: Topic;
  product: SimProduct;
  order: SimOrder | undefined;
  spec: string;
  variant: string;
  /** Follow-ups said so far. */
  step: number;
}

export interface Traffic {
  rate(): number;
  setRate(ratePerMinute: number): void;
  /** One generated message, now (also what the timer calls). */
  generateOne(): void;
  stop(): void;
}

const kindWeights: ReadonlyArray<[TopicKind, number]> = [
  ["presale", 0.45],
  ["logistics", 0.25],
  ["aftersale", 0.2],
  ["complaint", 0.1],
];

function pickKind(rng: Rng): TopicKind {
  let r = rng.next();
  for (const [kind, weight] of kindWeights) {
    r -= weight;
    if (r < 0) return kind;
  }
  return "presale";
}

function fill(template: string, c: Conversation, rng: Rng): string {
  const values: Record<string, string> = {
    product: c.product.title,
    spec: c.spec,
    variant: c.variant,
    orderId: c.order?.orderId ?? "",
    city: rng.pick(cities),
    height: String(rng.int(150, 185)),
    weight: String(rng.int(85, 170)),
    price: String(Math.max(1, Math.floor(c.product.priceCents / 100) - rng.int(5, 30))),
  };
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "");
}

export function createTraffic(options: {
  world: World;
  rng: Rng;
  ratePerMinute: number;
  emit(store: SimStore, buyerNick: string, text: string): void;
}): Traffic {
  const { world, rng, emit } = options;
  const open: Conversation[] = [];
  let ratePerMinute = options.ratePerMinute;
  let timer: NodeJS.Timeout | undefined;
  let nextAt = 0;

  function startConversation(): Conversation | undefined {
    const store = rng.pick(world.stores);
    const products = world.products(store.storeKey);
    if (products.length === 0) return undefined;
    const kind = pickKind(rng);
    const buyers = world.buyers(store.platform);
    const busy = new Set(open.filter((c) => c.store === store).map((c) => c.buyerNick));
    const idle = buyers.filter((b) => !busy.has(b.nick));
    const buyer = idle.length > 0 && rng.chance(0.7) ? rng.pick(idle) : world.newBuyer(store.platform, rng);
    // Buyers mostly ask about what they bought; otherwise about any product.
    const bought = world.orders(store.storeKey, buyer.nick);
    const pastOrder = bought.length > 0 && rng.chance(0.5) ? rng.pick(bought) : undefined;
    const product = products.find((p) => p.id === pastOrder?.productId) ?? rng.pick(products);
    const candidates = topics.filter(
      (t) => t.kind === kind && (!t.categories || t.categories.includes(product.category)),
    );
    const topic =
      candidates.length > 0 ? rng.pick(candidates) : rng.pick(topics.filter((t) => !t.needsOrder && !t.categories));
    let order: SimOrder | undefined;
    if (topic.needsOrder) {
      // "Where is my parcel" needs a shipped order: use one in the right state or place it.
      const fits = (o: SimOrder) =>
        o.productId === product.id && (topic.orderStatuses ?? [o.status]).includes(o.status);
      order =
        bought.find(fits) ?? world.addOrder(store, buyer.nick, product, rng, rng.pick(topic.orderStatuses ?? ["paid"]));
    }
    return {
      store,
      buyerNick: buyer.nick,
      topic,
      product,
      order,
      spec: rng.pick(product.specs),
      variant: rng.pick(product.variants),
      step: 0,
    };
  }

  function generateOne(): void {
    const continuing = open.length > 0 && rng.chance(Math.min(0.6, open.length / 10));
    if (continuing) {
      const index = rng.int(0, open.length - 1);
      const c = open[index] as Conversation;
      const line = c.topic.followUps[c.step];
      c.step++;
      if (c.step >= c.topic.followUps.length) open.splice(index, 1);
      if (line) {
        emit(c.store, c.buyerNick, fill(line, c, rng));
        return;
      }
    }
    const c = startConversation();
    if (!c) return;
    emit(c.store, c.buyerNick, fill(rng.pick(c.topic.openers), c, rng));
    if (c.topic.followUps.length > 0) open.push(c);
    // Buyers drift away: keep the open set bounded.
    if (open.length > 200) open.shift();
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (ratePerMinute <= 0) return;
    const mean = 60_000 / ratePerMinute;
    const tick = () => {
      // At high rates several arrivals fall due between two timer ticks.
      const now = Date.now();
      while (nextAt <= now) {
        generateOne();
        nextAt += rng.exponential(mean);
      }
      timer = setTimeout(tick, Math.max(1, nextAt - now));
      timer.unref();
    };
    nextAt = Date.now() + rng.exponential(mean);
    timer = setTimeout(tick, Math.max(1, nextAt - Date.now()));
    timer.unref();
  }

  schedule();
  return {
    rate: () => ratePerMinute,
    setRate(value) {
      ratePerMinute = Math.max(0, value);
      schedule();
    },
    generateOne,
    stop() {
      ratePerMinute = 0;
      schedule();
    },
  };
}
