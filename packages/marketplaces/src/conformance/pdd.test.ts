import { pddAdapter } from "../pdd/adapter.ts";
import { signPddPush } from "../simulator/pdd/push-encoder.ts";
import { openIdOf } from "../simulator/pdd/shared-facts.ts";
import type { SimOrder } from "../simulator/world.ts";
import { runConformance } from "./suite.ts";

/** POP knows 已签收 but no separate "completed": a finished order stays delivered. */
function statusAsSeen(order: SimOrder) {
  return order.status === "completed" ? ("delivered" as const) : order.status;
}

runConformance("pdd", {
  adapter: pddAdapter,
  store: {
    platform: "pdd",
    storeKey: "pdd-conformance",
    name: "拼多多旗舰店",
    sellerId: "987654321",
    appKey: "pdd-conf-client",
    appSecret: "pdd-conf-secret",
    accessToken: "pdd-conf-token",
  },
  // A per-shop open id; the nick only displays.
  buyerIdentity: (store, nick) => ({ platformBuyerId: openIdOf(store, nick), displayName: nick }),
  signRawPush: signPddPush,
  statusAsSeen,
  imageUrl: "https://img.pddpic.com/mms-material-img/size-chart.jpg",
});
