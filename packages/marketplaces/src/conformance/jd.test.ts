import { jdAdapter } from "../jd/adapter.ts";
import { signJdPush } from "../simulator/jd/push-encoder.ts";
import type { SimOrder } from "../simulator/world.ts";
import { runConformance } from "./suite.ts";

/** JD has no "signed" state, and a paid order cancelled is a refunded one. */
function statusAsSeen(order: SimOrder) {
  if (order.status === "delivered") return "shipped" as const;
  if (order.status === "closed" && order.paidAt) return "refunded" as const;
  return order.status;
}

runConformance("jd", {
  adapter: jdAdapter,
  store: {
    platform: "jd",
    storeKey: "jd-conformance",
    name: "京东自营旗舰店",
    sellerId: "云席京东店",
    appKey: "jd-conf-app",
    appSecret: "jd-conf-secret",
    accessToken: "jd-conf-token",
  },
  // A JD pin is the buyer's account across all JD shops.
  buyerIdentity: (_store, pin) => ({ platformBuyerId: pin, displayName: pin }),
  signRawPush: signJdPush,
  statusAsSeen,
  imageUrl: "https://img14.360buyimg.com/n1/size-chart.jpg",
});
