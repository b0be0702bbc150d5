import type { SimStore } from "../options.ts";
import { evaluationComments, lateShippingComment } from "../phrases.ts";
import type { Rng } from "../prng.ts";
import type { Scheduler } from "../scheduler.ts";
import type { SimOrder, SimProduct, World } from "../world.ts";
import { applyStep, DAY, HOUR, type OrderChange } from "./plan.ts";

/**
 * Orders moving on their own: every planned step runs at its time, changes the
 * order and is pushed as an order event; a completed order may get the buyer's
 * evaluation (评价), worse when shipping was late or the buyer was kept
 * waiting, complained or was ignored in chat.
 */

export interface BuyerExperience {
  longestWaitMs: number;
  complained: boolean;
  ignored: boolean;
}

export interface Lifecycle {
  /** A buyer places an order now: pushed as `created`, then its plan unfolds. */
  place(store: SimStore, buyerNick: string, product: SimProduct): SimOrder;
}

export interface Evaluation {
  score: number;
  comment: string;
}

/** The buyer's score (1 … 5) and comment for a completed order. */
export function evaluate(order: SimOrder, experience: BuyerExperience, rng: Rng): Evaluation {
  const late =
    order.shippedAt !== undefined &&
    order.promisedShipAt !== undefined &&
    order.shippedAt.getTime() > order.promisedShipAt.getTime();
  let score = 5;
  if (late) score -= 1;
  if (order.refund) score -= 1;
  if (experience.longestWaitMs > 10 * 60_000) score -= 1;
  if (experience.complained) score -= 2;
  if (experience.ignored) score -= 2;
  if (rng.chance(0.12)) score -= 1;
  score = Math.min(5, Math.max(1, score));
  const comment = rng.pick(evaluationComments[score] ?? ["好评"]);
  return { score, comment: late && score < 5 ? `${comment}，${lateShippingComment}` : comment };
}

export function createLifecycle(options: {
  world: World;
  scheduler: Scheduler;
  rng: Rng;
  /** Push an order change (the order as it is at that moment). */
  orderChanged(order: SimOrder, change: OrderChange): void;
  evaluated(order: SimOrder, evaluation: Evaluation): void;
  experience(storeKey: string, buyerNick: string): BuyerExperience;
}): Lifecycle {
  const { world, scheduler, rng } = options;

  function completed(order: SimOrder): void {
    // Most buyers rate; the unhappy ones and the delighted ones a little more often.
    const evaluation = evaluate(order, options.experience(order.storeKey, order.buyerNick), rng);
    if (!rng.chance(evaluation.score === 3 || evaluation.score === 4 ? 0.5 : 0.75)) return;
    const delay = (HOUR + rng.next() * 2 * DAY) / world.timeScale;
    scheduler.at(scheduler.now().getTime() + delay, () => options.evaluated(order, evaluation));
  }

  world.onOrderPlanned((order, future) => {
    for (const { at, step } of future) {
      scheduler.at(at, () => {
        const change = applyStep(order, step, scheduler.now(), world.timeScale);
        if (!change) return;
        options.orderChanged(order, change);
        if (change === "completed") completed(order);
      });
    }
  });

  return {
    place(store, buyerNick, product) {
      const order = world.placeOrder(store, buyerNick, product, rng, scheduler.now());
      options.orderChanged(order, "created");
      return order;
    },
  };
}
