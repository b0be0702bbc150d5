import { signTaobaoPush } from "../simulator/taobao/push-encoder.ts";
import { taobaoAdapter } from "../taobao/adapter.ts";
import { runConformance } from "./suite.ts";

runConformance("taobao", {
  adapter: taobaoAdapter,
  store: {
    platform: "taobao",
    storeKey: "tb-conformance",
    name: "旗舰店",
    sellerId: "云席旗舰店",
    appKey: "tb-conf-app",
    appSecret: "tb-conf-secret",
    accessToken: "tb-conf-session",
  },
  // Taobao nicks are global: the nick is the identity.
  buyerIdentity: (_store, nick) => ({ platformBuyerId: nick, displayName: nick }),
  signRawPush: signTaobaoPush,
  // TOP rates trades good / neutral / bad; a service rating keeps its 1–5.
  scoreAsSeen: (score, orderId) => (orderId === null ? score : score >= 4 ? 5 : score === 3 ? 3 : 1),
});
