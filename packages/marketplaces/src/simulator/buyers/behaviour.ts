import type { SimStore } from "../options.ts";
import type { BuyerMessage } from "../personality.ts";
import {
  angryLeaveLines,
  browseLines,
  cities,
  leaveLines,
  nagLines,
  orderLines,
  type Topic,
  thanksLines,
} from "../phrases.ts";
import type { Rng } from "../prng.ts";
import type { ScheduledTask, Scheduler } from "../scheduler.ts";
import type { ReceivedReply, SimBuyer, SimOrder, SimProduct, World } from "../world.ts";
import type { BuyerRecord, BuyerSession, SessionOutcome } from "./record.ts";

/**
 * Buyers who behave: a generated buyer asks, waits, nags when nobody answers
 * ("在吗？？", "怎么没人回"), and leaves (sometimes angry) after a while. An
 * answered buyer reads the reply, then asks the next thing, buys, or says
 * thanks. Whether a presale buyer buys depends on how long they waited: the
 * chance falls with the longest wait of the visit, and nobody buys from a
 * store that never answered.
 *
 * Buyers injected with `say` are only recorded: tests and people drive them.
 */

export interface SessionStart {
  store: SimStore;
  buyer: SimBuyer;
  topic: Topic;
  product: SimProduct;
  order: SimOrder | undefined;
}

export interface BuyersOptions {
  world: World;
  scheduler: Scheduler;
  rng: Rng;
  record: BuyerRecord;
  /** Buyer patience and typing delays are real seconds divided by this. */
  patienceScale: number;
  /** Push a buyer message now. */
  say(store: SimStore, buyerNick: string, text: string): BuyerMessage;
  /** Push that the buyer read the store's messages. */
  readReceipt(store: SimStore, buyerNick: string): void;
  /** The buyer places an order now. */
  placeOrder(store: SimStore, buyerNick: string, product: SimProduct): SimOrder;
}

export interface Buyers {
  start(input: SessionStart): BuyerSession;
  /** Record a message someone injected for a buyer (`say`). */
  injected(store: SimStore, buyerNick: string, message: BuyerMessage): BuyerSession;
  /** Whether the buyer is in the middle of a visit to the store. */
  isBusy(storeKey: string, buyerNick: string): boolean;
  openCount(): number;
  /** How the buyer's visits to a store went: what sours an evaluation. */
  experience(storeKey: string, buyerNick: string): { longestWaitMs: number; complained: boolean; ignored: boolean };
}

interface Live {
  session: BuyerSession;
  store: SimStore;
  topic: Topic;
  product: SimProduct;
  order: SimOrder | undefined;
  spec: string;
  variant: string;
  /** Follow-up questions asked so far. */
  step: number;
  patience: ScheduledTask | undefined;
  reaction: ScheduledTask | undefined;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
/** How long a buyer waits before the first nag, the second, and before leaving. */
const patienceWindows: ReadonlyArray<[number, number]> = [
  [45 * SECOND, 2 * MINUTE],
  [60 * SECOND, 150 * SECOND],
  [90 * SECOND, 4 * MINUTE],
];
/** Reading the answer and typing the next line. */
const reactionWindow: [number, number] = [5 * SECOND, 40 * SECOND];
const readWindow: [number, number] = [2 * SECOND, 20 * SECOND];

/** The chance a presale buyer buys after an answer, falling with the longest wait of the visit. */
export function orderChance(longestWaitMs: number, nags: number): number {
  return Math.max(0.03, 0.1 + 0.55 * Math.exp(-longestWaitMs / (90 * SECOND)) - 0.1 * nags);
}

export function fill(template: string, live: Pick<Live, "product" | "order" | "spec" | "variant">, rng: Rng): string {
  const values: Record<string, string> = {
    product: live.product.title,
    spec: live.spec,
    variant: live.variant,
    orderId: live.order?.orderId ?? "",
    city: rng.pick(cities),
    height: String(rng.int(150, 185)),
    weight: String(rng.int(85, 170)),
    price: String(Math.max(1, Math.floor(live.product.priceCents / 100) - rng.int(5, 30))),
  };
  return template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "");
}

const key = (storeKey: string, buyerNick: string) => `${storeKey}\u0000${buyerNick}`;

export function createBuyers(options: BuyersOptions): Buyers {
  const { world, scheduler, rng, record } = options;
  const open = new Map<string, Live>();
  const pendingReads = new Set<string>();
  let sessionSeq = 0;

  const later = ([min, max]: readonly [number, number]) =>
    scheduler.now().getTime() + (min + rng.next() * (max - min)) / options.patienceScale;

  function newSession(
    store: SimStore,
    buyerNick: string,
    fields: Pick<BuyerSession, "source" | "kind" | "intent" | "productId" | "orderId">,
  ): BuyerSession {
    const session: BuyerSession = {
      id: `v${String(++sessionSeq).padStart(7, "0")}`,
      ...fields,
      platform: store.platform,
      storeKey: store.storeKey,
      buyerNick,
      phone: world.buyer(store.platform, buyerNick)?.phone ?? "",
      startedAt: scheduler.now(),
      questions: [],
      replies: [],
      firstReplyAt: null,
      longestWaitMs: 0,
      awaitingSince: null,
      nags: 0,
      placedOrderId: null,
      complained: fields.kind === "complaint",
      left: false,
      endedAt: null,
      outcome: "waiting",
    };
    record.add(session);
    return session;
  }

  /** A line from the buyer; `expectsAnswer` starts (or keeps) the wait. */
  function send(live: Live, text: string, nag: boolean, expectsAnswer: boolean): void {
    const at = scheduler.now();
    const message = options.say(live.store, live.session.buyerNick, text);
    live.session.questions.push({ at, text, msgId: message.msgId, nag, expectsAnswer });
    if (nag) live.session.nags++;
    if (expectsAnswer) {
      live.session.awaitingSince ??= at;
      scheduler.cancel(live.patience);
      const window = patienceWindows[Math.min(live.session.nags, patienceWindows.length - 1)] as [number, number];
      live.patience = scheduler.at(later(window), () => losePatience(live));
    }
  }

  function end(live: Live, outcome: SessionOutcome): void {
    scheduler.cancel(live.patience);
    scheduler.cancel(live.reaction);
    live.patience = undefined;
    live.reaction = undefined;
    live.session.endedAt = scheduler.now();
    live.session.outcome = outcome;
    open.delete(key(live.store.storeKey, live.session.buyerNick));
  }

  function losePatience(live: Live): void {
    live.patience = undefined;
    const s = live.session;
    const nags = nagLines[s.nags];
    if (nags) {
      send(live, rng.pick(nags), true, true);
      return;
    }
    const angry = rng.chance(live.topic.kind === "complaint" ? 0.7 : 0.25);
    if (angry) send(live, rng.pick(angryLeaveLines), false, false);
    else if (rng.chance(0.4)) send(live, rng.pick(leaveLines), false, false);
    s.complained ||= angry;
    s.left = true;
    end(live, "left");
  }

  function askNext(live: Live): boolean {
    const line = live.topic.followUps[live.step];
    if (line === undefined) return false;
    live.step++;
    send(live, fill(line, live, rng), false, true);
    return true;
  }

  function react(live: Live): void {
    live.reaction = undefined;
    const s = live.session;
    if (live.topic.kind === "presale") {
      if (rng.chance(orderChance(s.longestWaitMs, s.nags))) {
        send(live, rng.pick(orderLines), false, false);
        s.placedOrderId = options.placeOrder(live.store, s.buyerNick, live.product).orderId;
        end(live, "ordered");
        return;
      }
      if (rng.chance(0.55) && askNext(live)) return;
      send(live, rng.pick(browseLines), false, false);
      end(live, "browsed");
      return;
    }
    // Made to wait long for an answer about their own order, some say so.
    if (s.longestWaitMs > 10 * MINUTE && !s.complained && rng.chance(0.5)) {
      s.complained = true;
      send(live, rng.pick(["等了这么久才回，什么效率", "回复也太慢了吧", "下次再这么慢我就投诉了"]), false, true);
      return;
    }
    if (rng.chance(live.topic.kind === "complaint" ? 0.8 : 0.6) && askNext(live)) return;
    send(live, rng.pick(thanksLines), false, false);
    end(live, "satisfied");
  }

  function scheduleRead(reply: ReceivedReply): void {
    const k = key(reply.storeKey, reply.buyerNick);
    const store = world.store(reply.storeKey);
    if (!store || pendingReads.has(k)) return;
    pendingReads.add(k);
    scheduler.at(later(readWindow), () => {
      pendingReads.delete(k);
      options.readReceipt(store, reply.buyerNick);
    });
  }

  world.onReply((reply) => {
    scheduleRead(reply);
    const s = record.latest(reply.storeKey, reply.buyerNick);
    if (!s) return;
    const at = new Date(Date.parse(reply.receivedAt));
    s.replies.push({ at, text: reply.text, platformMsgId: reply.platformMsgId, afterLeaving: s.left });
    if (s.left) return;
    s.firstReplyAt ??= at;
    if (s.awaitingSince) {
      s.longestWaitMs = Math.max(s.longestWaitMs, at.getTime() - s.awaitingSince.getTime());
      s.awaitingSince = null;
    }
    const live = open.get(key(reply.storeKey, reply.buyerNick));
    if (!live || live.session !== s) return;
    scheduler.cancel(live.patience);
    live.patience = undefined;
    // Several answers in a row get one reaction.
    live.reaction ??= scheduler.at(later(reactionWindow), () => react(live));
  });

  return {
    start({ store, buyer, topic, product, order }) {
      const session = newSession(store, buyer.nick, {
        source: "generated",
        kind: topic.kind,
        intent: topic.intent,
        productId: product.id,
        orderId: order?.orderId ?? null,
      });
      const live: Live = {
        session,
        store,
        topic,
        product,
        order,
        spec: rng.pick(product.specs),
        variant: rng.pick(product.variants),
        step: 0,
        patience: undefined,
        reaction: undefined,
      };
      open.set(key(store.storeKey, buyer.nick), live);
      let opener = rng.pick(topic.openers);
      // Some buyers paste the order number even when the question does not need it.
      if (order && !opener.includes("{orderId}") && rng.chance(0.25)) opener += " 订单号：{orderId}";
      send(live, fill(opener, live, rng), false, true);
      return session;
    },
    injected(store, buyerNick, message) {
      const live = open.get(key(store.storeKey, buyerNick));
      const latest = record.latest(store.storeKey, buyerNick);
      const session =
        live?.session ??
        (latest?.source === "injected"
          ? latest
          : newSession(store, buyerNick, {
              source: "injected",
              kind: "manual",
              intent: "手动",
              productId: null,
              orderId: null,
            }));
      session.questions.push({
        at: message.createdAt,
        text: message.text,
        msgId: message.msgId,
        nag: false,
        expectsAnswer: true,
      });
      session.awaitingSince ??= message.createdAt;
      return session;
    },
    isBusy: (storeKey, buyerNick) => open.has(key(storeKey, buyerNick)),
    openCount: () => open.size,
    experience(storeKey, buyerNick) {
      const visits = record.of(storeKey, buyerNick);
      return {
        longestWaitMs: visits.reduce((n, s) => Math.max(n, s.longestWaitMs), 0),
        complained: visits.some((s) => s.complained),
        ignored: visits.some((s) => s.left && s.firstReplyAt === null),
      };
    },
  };
}
