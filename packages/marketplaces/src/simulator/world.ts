import type { PlatformId } from "@yunxi/contracts";
import { type CatalogueEntry, type Category, catalogue } from "./catalogue.ts";
import type { SimStore } from "./options.ts";
import { nickNames, nickPrefixes, nickSuffixes } from "./phrases.ts";
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

export type SimOrderStatus = "unpaid" | "paid" | "shipped" | "completed" | "closed";

export interface SimOrder {
  orderId: string;
  storeKey: string;
  buyerNick: string;
  productId: string;
  title: string;
  status: SimOrderStatus;
  amountCents: number;
  createdAt: Date;
}

/** What a buyer received from a store: every gateway call is kept, duplicates included. */
export interface ReceivedReply {
  platform: PlatformId;
  storeKey: string;
  buyerNick: string;
  text: string;
  clientMsgId: string | null;
  platformMsgId: string;
  receivedAt: string;
}

export interface World {
  stores: SimStore[];
  store(storeKey: string): SimStore | undefined;
  buyers(platform: PlatformId): SimBuyer[];
  buyer(platform: PlatformId, nick: string): SimBuyer | undefined;
  ensureBuyer(platform: PlatformId, nick: string): SimBuyer;
  newBuyer(platform: PlatformId, rng: Rng): SimBuyer;
  products(storeKey: string): SimProduct[];
  orders(storeKey: string, buyerNick?: string): SimOrder[];
  addOrder(store: SimStore, buyerNick: string, product: SimProduct, rng: Rng, status?: SimOrderStatus): SimOrder;
  replies: ReceivedReply[];
  /** Unique, increasing ids for messages and requests. */
  nextId(): string;
}

const orderStatuses: readonly SimOrderStatus[] = [
  "paid",
  "paid",
  "shipped",
  "shipped",
  "completed",
  "unpaid",
  "closed",
];

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

export function createWorld(stores: SimStore[], options: { rng: Rng; now: () => Date; buyersPerStore: number }): World {
  const { rng, now } = options;
  const buyersByPlatform = new Map<PlatformId, Map<string, SimBuyer>>();
  const productsByStore = new Map<string, SimProduct[]>();
  const orders: SimOrder[] = [];
  const runStart = now().getTime();
  let seq = 0;

  const platformBuyers = (platform: PlatformId) => {
    let map = buyersByPlatform.get(platform);
    if (!map) {
      map = new Map();
      buyersByPlatform.set(platform, map);
    }
    return map;
  };

  const world: World = {
    stores,
    store: (storeKey) => stores.find((s) => s.storeKey === storeKey),
    buyers: (platform) => [...platformBuyers(platform).values()],
    buyer: (platform, nick) => platformBuyers(platform).get(nick),
    ensureBuyer(platform, nick) {
      const map = platformBuyers(platform);
      let buyer = map.get(nick);
      if (!buyer) {
        buyer = { platform, nick, createdAt: now() };
        map.set(nick, buyer);
      }
      return buyer;
    },
    newBuyer(platform, r) {
      const map = platformBuyers(platform);
      for (;;) {
        const digits = r.chance(0.6) ? String(r.int(1, 9999)) : "";
        const nick = `${r.pick(nickPrefixes)}${r.pick(nickNames)}${r.pick(nickSuffixes)}${digits}`;
        if (!map.has(nick)) return world.ensureBuyer(platform, nick);
      }
    },
    products: (storeKey) => productsByStore.get(storeKey) ?? [],
    orders: (storeKey, buyerNick) =>
      orders.filter((o) => o.storeKey === storeKey && (buyerNick === undefined || o.buyerNick === buyerNick)),
    addOrder(store, buyerNick, product, r, status) {
      const quantity = r.chance(0.8) ? 1 : 2;
      const order: SimOrder = {
        // Taobao order numbers are 19 digits; other platforms get the same look here.
        orderId: `${r.int(1, 4)}${Array.from({ length: 18 }, () => r.int(0, 9)).join("")}`,
        storeKey: store.storeKey,
        buyerNick,
        productId: product.id,
        title: product.title,
        status: status ?? r.pick(orderStatuses),
        amountCents: product.priceCents * quantity,
        createdAt: new Date(now().getTime() - r.int(1, 20 * 24 * 3600) * 1000),
      };
      orders.push(order);
      return order;
    },
    replies: [],
    nextId: () => `${runStart}${String(++seq).padStart(6, "0")}`,
  };

  // Seed: each store sells 8 catalogue items; buyers are shared per platform
  // (a Taobao nick is global), and some of them already bought from the store.
  for (const store of stores) {
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
