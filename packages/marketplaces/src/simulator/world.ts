import { createHash } from "node:crypto";
import type { PlatformId } from "@yunxi/contracts";
import { type CatalogueEntry, type Category, catalogue } from "./catalogue.ts";
import type { SimStore } from "./options.ts";
import { mobile, warehouseCities } from "./orders/logistics.ts";
import { applyStep, type PlanOptions, type PlanStep, planOrder, shapeFor, statusWindow } from "./orders/plan.ts";
import { cities, nickFor } from "./phrases.ts";
import type { Rng } from "./prng.ts";

/**
 * The simulated marketplace's memory: stores, buyers, products, orders and the
 * replies buyers received. Platform-neutral; each personality translates it
 * into its platform's field names and statuses.
 */

export interface SimBuyer {
  platform: PlatformId;
  nick: string;
  createdAt: Date;
  /** The person behind the account: the same phone on two platforms is the same buyer. */
  phone: string;
  city: string;
}

export interface SimProduct {
  id: string;
  storeKey: string;
  category: Category;
  title: string;
  priceCents: number;
  specs: readonly string[];
  variants: readonly string[];
}

/** Platform-neutral order states; each personality maps them to its platform's words. */
export type SimOrderStatus =
  | "unpaid"
  | "paid"
  | "shipped"
  | "delivered"
  | "completed"
  | "closed"
  | "refunding"
  | "refunded";

export interface SimOrderItem {
  productId: string;
  title: string;
  sku: string;
  quantity: number;
  priceCents: number;
}

export interface SimLogisticsNode {
  at: Date;
  description: string;
}

export interface SimOrder {
  orderId: string;
  storeKey: string;
  buyerNick: string;
  /** The first item's product and title (most orders have one item). */
  productId: string;
  title: string;
  status: SimOrderStatus;
  amountCents: number;
  createdAt: Date;
  items?: SimOrderItem[];
  /** The receiver's phone: the same person buying on two platforms gives the same phone. */
  receiverPhone?: string;
  paidAt?: Date;
  /** Ship-by time promised at payment (e.g. 48 h). */
  promisedShipAt?: Date;
  shippedAt?: Date;
  deliveredAt?: Date;
  logistics?: { carrier: string; trackingNo: string; nodes: SimLogisticsNode[] };
  refund?: { requestedAt: Date; reason: string; agreedAt?: Date; closedAt?: Date };
  updatedAt?: Date;
}

/**
 * What a buyer received from a store: one entry per message. A repeated send with
 * the same client_msg_id for the same store is not received again (see SendCall).
 */
export interface ReceivedReply {
  platform: PlatformId;
  storeKey: string;
  buyerNick: string;
  /** The text, or for a card or image a short readable stand-in ("[图片] …"). */
  text: string;
  /** What was sent, kind by kind, exactly as the platform received it (absent: plain text). */
  content?: SentContent;
  clientMsgId: string | null;
  platformMsgId: string;
  receivedAt: string;
}

/** A message a store sent, as the simulated platform recorded it. */
export type SentContent =
  | { type: "text"; text: string }
  | { type: "image"; url: string }
  | { type: "product_card"; productId: string }
  | { type: "order_card"; orderId: string };

/**
 * One send call the gateway accepted, duplicates included: a retry after a crash
 * or a timeout shows up here as `duplicate`, answered with the original msg id.
 */
export interface SendCall extends ReceivedReply {
  duplicate: boolean;
}

/** A future step of an order's plan, at its wall-clock time. */
export interface TimedStep {
  at: number;
  step: PlanStep;
}

export interface World {
  stores: SimStore[];
  /** Simulated days per real day: order plans are divided by it. */
  readonly timeScale: number;
  store(storeKey: string): SimStore | undefined;
  buyers(platform: PlatformId): SimBuyer[];
  /** The live list (no copy), for the traffic's per-arrival picks. */
  buyerList(platform: PlatformId): readonly SimBuyer[];
  buyer(platform: PlatformId, nick: string): SimBuyer | undefined;
  ensureBuyer(platform: PlatformId, nick: string): SimBuyer;
  /** A new account; sometimes for a person who already buys on another platform (same phone). */
  newBuyer(platform: PlatformId, rng: Rng): SimBuyer;
  /** Accounts on any platform with this phone. */
  buyersByPhone(phone: string): SimBuyer[];
  products(storeKey: string): SimProduct[];
  orders(storeKey: string, buyerNick?: string): SimOrder[];
  order(orderId: string): SimOrder | undefined;
  orderCount(): number;
  /**
   * An order that already exists, back-dated so its timestamps agree with its
   * status (drawn when absent): what a buyer bought before the run started.
   */
  addOrder(store: SimStore, buyerNick: string, product: SimProduct, rng: Rng, status?: SimOrderStatus): SimOrder;
  /** A buyer places an order now (unpaid); its plan unfolds from here. */
  placeOrder(store: SimStore, buyerNick: string, product: SimProduct, rng: Rng, at: Date): SimOrder;
  /**
   * Receive every order's future steps: those planned so far at once, later ones
   * as orders are added. The lifecycle schedules them.
   */
  onOrderPlanned(handler: (order: SimOrder, future: TimedStep[]) => void): void;
  /** Called for each reply a buyer receives (not for duplicates). */
  onReply(handler: (reply: ReceivedReply) => void): void;
  /** What buyers received, one entry per distinct message. */
  replies: ReceivedReply[];
  /** Every accepted send call, in order, duplicates included. */
  sendCalls: SendCall[];
  /**
   * Record a send call. Like real IM send APIs, the platform deduplicates on the
   * client's message id per store: a repeat returns the reply first delivered
   * under that id (with its msg id) and the buyer does not receive it again.
   */
  recordSend(reply: ReceivedReply): { reply: ReceivedReply; duplicate: boolean };
  /** Unique, increasing ids for messages and requests. */
  nextId(): string;
}

/** How often each status appears among the orders buyers had before the run. */
const seededStatuses: ReadonlyArray<[SimOrderStatus, number]> = [
  ["unpaid", 5],
  ["paid", 20],
  ["shipped", 20],
  ["delivered", 10],
  ["completed", 27],
  ["closed", 6],
  ["refunding", 6],
  ["refunded", 6],
];

function weighted<T>(items: ReadonlyArray<[T, number]>, rng: Rng): T {
  const total = items.reduce((n, [, w]) => n + w, 0);
  let r = rng.next() * total;
  for (const [item, weight] of items) {
    r -= weight;
    if (r < 0) return item;
  }
  return (items[items.length - 1] as [T, number])[0];
}

function priceCents(entry: CatalogueEntry, rng: Rng): number {
  // Shops price at x9 or x9.9 yuan.
  const yuan = rng.int(entry.price[0], entry.price[1]);
  return rng.chance(0.5) ? (yuan - (yuan % 10) + 9) * 100 : yuan * 100 - 10;
}

function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** A phone and city for a buyer named without a seed (`say` with a nick): stable per nick. */
function personOf(platform: PlatformId, nick: string): { phone: string; city: string } {
  const h = createHash("sha256").update(`${platform}:${nick}`).digest();
  const phone = `1${"35789"[(h[0] ?? 0) % 5]}${Array.from(h.subarray(1, 10), (b) => b % 10).join("")}`;
  return { phone, city: cities[(h[10] ?? 0) % cities.length] as string };
}

function orderItems(product: SimProduct, extra: SimProduct | undefined, rng: Rng): SimOrderItem[] {
  const item = (p: SimProduct, quantity: number): SimOrderItem => ({
    productId: p.id,
    title: p.title,
    sku: `${rng.pick(p.variants)};${rng.pick(p.specs)}`,
    quantity,
    priceCents: p.priceCents,
  });
  const items = [item(product, rng.chance(0.8) ? 1 : 2)];
  if (extra && extra.id !== product.id) items.push(item(extra, 1));
  return items;
}

export function createWorld(
  stores: SimStore[],
  options: { rng: Rng; now: () => Date; buyersPerStore: number; timeScale?: number },
): World {
  const { rng, now } = options;
  const timeScale = options.timeScale ?? 1;
  const buyersByPlatform = new Map<PlatformId, Map<string, SimBuyer>>();
  const buyerLists = new Map<PlatformId, SimBuyer[]>();
  const buyersByPhoneIndex = new Map<string, SimBuyer[]>();
  const productsByStore = new Map<string, SimProduct[]>();
  const ordersByStore = new Map<string, SimOrder[]>();
  const ordersByBuyer = new Map<string, SimOrder[]>();
  const ordersById = new Map<string, SimOrder>();
  const storesByKey = new Map(stores.map((s) => [s.storeKey, s]));
  const warehouse = new Map<string, string>();
  const runStart = now().getTime();
  const repliesByClientMsgId = new Map<string, ReceivedReply>();
  const planned: Array<[SimOrder, TimedStep[]]> = [];
  const planHandlers: Array<(order: SimOrder, future: TimedStep[]) => void> = [];
  const replyHandlers: Array<(reply: ReceivedReply) => void> = [];
  let seq = 0;

  const platformBuyers = (platform: PlatformId) => {
    let map = buyersByPlatform.get(platform);
    if (!map) {
      map = new Map();
      buyersByPlatform.set(platform, map);
      buyerLists.set(platform, []);
    }
    return map;
  };
  const buyerKey = (storeKey: string, nick: string) => `${storeKey}\u0000${nick}`;

  function register(buyer: SimBuyer): SimBuyer {
    platformBuyers(buyer.platform).set(buyer.nick, buyer);
    buyerLists.get(buyer.platform)?.push(buyer);
    const same = buyersByPhoneIndex.get(buyer.phone);
    if (same) same.push(buyer);
    else buyersByPhoneIndex.set(buyer.phone, [buyer]);
    return buyer;
  }

  function storeOrder(order: SimOrder, plan: PlanStep[], elapsed: number): SimOrder {
    // Steps up to `elapsed` (simulated ms since creation) already happened.
    const future: TimedStep[] = [];
    for (const step of plan) {
      const at = order.createdAt.getTime() + step.offset / timeScale;
      if (step.offset <= elapsed) applyStep(order, step, new Date(at), timeScale);
      else future.push({ at, step });
    }
    ordersById.set(order.orderId, order);
    const byStore = ordersByStore.get(order.storeKey);
    if (byStore) byStore.push(order);
    else ordersByStore.set(order.storeKey, [order]);
    const key = buyerKey(order.storeKey, order.buyerNick);
    const byBuyer = ordersByBuyer.get(key);
    if (byBuyer) byBuyer.push(order);
    else ordersByBuyer.set(key, [order]);
    if (planHandlers.length === 0) planned.push([order, future]);
    for (const handler of planHandlers) handler(order, future);
    return order;
  }

  function newOrder(store: SimStore, buyerNick: string, product: SimProduct, r: Rng, createdAt: Date): SimOrder {
    const buyer = world.buyer(store.platform, buyerNick) ?? world.ensureBuyer(store.platform, buyerNick);
    const others = world.products(store.storeKey);
    const items = orderItems(product, r.chance(0.1) && others.length > 0 ? r.pick(others) : undefined, r);
    let orderId: string;
    do {
      // Taobao order numbers are 19 digits; other platforms get the same look here.
      orderId = `${r.int(1, 4)}${Array.from({ length: 18 }, () => r.int(0, 9)).join("")}`;
    } while (ordersById.has(orderId));
    return {
      orderId,
      storeKey: store.storeKey,
      buyerNick,
      productId: product.id,
      title: product.title,
      status: "unpaid",
      amountCents: items.reduce((n, i) => n + i.priceCents * i.quantity, 0),
      createdAt,
      items,
      receiverPhone: buyer.phone,
      updatedAt: createdAt,
    };
  }

  const planFor = (store: SimStore, buyerNick: string, r: Rng, shape: Omit<PlanOptions, "from" | "to"> = {}) =>
    planOrder(r, {
      from: warehouse.get(store.storeKey) ?? "杭州",
      to: world.buyer(store.platform, buyerNick)?.city ?? "上海",
      ...shape,
    });

  const world: World = {
    stores,
    timeScale,
    store: (storeKey) => storesByKey.get(storeKey),
    buyers: (platform) => [...(platformBuyers(platform).values() ?? [])],
    buyerList: (platform) => {
      platformBuyers(platform);
      return buyerLists.get(platform) ?? [];
    },
    buyer: (platform, nick) => platformBuyers(platform).get(nick),
    ensureBuyer(platform, nick) {
      return (
        platformBuyers(platform).get(nick) ??
        register({ platform, nick, createdAt: now(), ...personOf(platform, nick) })
      );
    },
    newBuyer(platform, r) {
      const map = platformBuyers(platform);
      // About one in seven is someone who already buys elsewhere: same phone, own nick.
      let sibling: SimBuyer | undefined;
      if (r.chance(0.15)) {
        const elsewhere = [...buyerLists.entries()].filter(([p, list]) => p !== platform && list.length > 0);
        if (elsewhere.length > 0) sibling = r.pick(r.pick(elsewhere)[1]);
      }
      const person =
        sibling && !(buyersByPhoneIndex.get(sibling.phone) ?? []).some((b) => b.platform === platform)
          ? { phone: sibling.phone, city: sibling.city }
          : { phone: mobile(r), city: r.pick(cities) };
      for (let attempt = 0; ; attempt++) {
        // Short nicks run out in a long run: after a few clashes, add digits as people do.
        const nick = attempt < 3 ? nickFor(platform, r) : `${nickFor(platform, r)}${r.int(10, 99999)}`;
        if (!map.has(nick)) return register({ platform, nick, createdAt: now(), ...person });
      }
    },
    buyersByPhone: (phone) => [...(buyersByPhoneIndex.get(phone) ?? [])],
    products: (storeKey) => productsByStore.get(storeKey) ?? [],
    orders: (storeKey, buyerNick) => [
      ...((buyerNick === undefined ? ordersByStore.get(storeKey) : ordersByBuyer.get(buyerKey(storeKey, buyerNick))) ??
        []),
    ],
    order: (orderId) => ordersById.get(orderId),
    orderCount: () => ordersById.size,
    addOrder(store, buyerNick, product, r, status) {
      const wanted = status ?? weighted(seededStatuses, r);
      // Draw a plan that passes through the wanted status, then start it far
      // enough in the past that it is in that status now.
      const plan = planFor(store, buyerNick, r, shapeFor(wanted));
      const [from, to] = statusWindow(plan, wanted) ?? [0, 0];
      const elapsed = from + r.next() * (to - from);
      const createdAt = new Date(now().getTime() - elapsed / timeScale);
      return storeOrder(newOrder(store, buyerNick, product, r, createdAt), plan, elapsed);
    },
    placeOrder(store, buyerNick, product, r, at) {
      return storeOrder(newOrder(store, buyerNick, product, r, at), planFor(store, buyerNick, r), 0);
    },
    onOrderPlanned(handler) {
      planHandlers.push(handler);
      for (const [order, future] of planned.splice(0)) handler(order, future);
    },
    onReply(handler) {
      replyHandlers.push(handler);
    },
    replies: [],
    sendCalls: [],
    recordSend(reply) {
      const key = reply.clientMsgId === null ? undefined : `${reply.storeKey}\u0000${reply.clientMsgId}`;
      const original = key === undefined ? undefined : repliesByClientMsgId.get(key);
      world.sendCalls.push({
        ...reply,
        platformMsgId: original?.platformMsgId ?? reply.platformMsgId,
        duplicate: original !== undefined,
      });
      if (original) return { reply: original, duplicate: true };
      world.replies.push(reply);
      if (key !== undefined) repliesByClientMsgId.set(key, reply);
      for (const handler of replyHandlers) handler(reply);
      return { reply, duplicate: false };
    },
    nextId: () => `${runStart}${String(++seq).padStart(6, "0")}`,
  };

  // Seed: each store sells 8 catalogue items and ships from one warehouse town;
  // buyers are shared per platform (a Taobao nick is global), and some of them
  // already bought from the store.
  for (const store of stores) {
    warehouse.set(store.storeKey, rng.pick(warehouseCities));
    const products = shuffled(catalogue, rng)
      .slice(0, 8)
      .map(
        (entry, i): SimProduct => ({
          id: `${rng.int(600000, 799999)}${String(i).padStart(6, "0")}`,
          storeKey: store.storeKey,
          category: entry.category,
          title: entry.title,
          priceCents: priceCents(entry, rng),
          specs: entry.specs,
          variants: entry.variants,
        }),
      );
    productsByStore.set(store.storeKey, products);
    for (let i = 0; i < options.buyersPerStore; i++) {
      const buyer = world.newBuyer(store.platform, rng);
      const orderCount = rng.pick([0, 0, 1, 1, 2, 3]);
      for (let j = 0; j < orderCount; j++) world.addOrder(store, buyer.nick, rng.pick(products), rng);
    }
  }
  return world;
}
