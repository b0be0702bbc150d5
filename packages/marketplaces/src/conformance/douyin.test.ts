import { douyinAdapter } from "../douyin/adapter.ts";
import { encodeDouyinEvent, signDouyinPush } from "../simulator/douyin/push-encoder.ts";
import { openIdOf } from "../simulator/pdd/shared-facts.ts";
import type { SimOrder } from "../simulator/world.ts";
import { runConformance } from "./suite.ts";

/** 抖店's order_status has no "signed" state: a delivered order is still 已发货. */
function statusAsSeen(order: SimOrder) {
  return order.status === "delivered" ? ("shipped" as const) : order.status;
}

runConformance("douyin", {
  adapter: douyinAdapter,
  store: {
    platform: "douyin",
    storeKey: "dy-conformance",
    name: "抖音旗舰店",
    sellerId: "4463798",
    appKey: "7012345678901234567",
    appSecret: "dy-conf-secret",
    accessToken: "dy-conf-token",
  },
  buyerIdentity: (store, nick) => ({ platformBuyerId: openIdOf(store, nick), displayName: nick }),
  signRawPush: signDouyinPush,
  statusAsSeen,
  imageUrl: "https://p3-aio.ecombdimg.com/obj/ecom-shop-material/size-chart.jpg",
  // 抖店 signs no time: a replay is stale when its event is older than the 24 h redelivery horizon.
  stalePush: (store, nick, now) =>
    encodeDouyinEvent(
      store,
      {
        kind: "read",
        event: {
          eventId: "stale-read",
          envelopeId: 1,
          platform: "douyin",
          storeKey: store.storeKey,
          buyerNick: nick,
          createdAt: new Date(now.getTime() - 25 * 3600_000),
        },
      },
      now,
    ) ?? signDouyinPush(store, "[]"),
});
