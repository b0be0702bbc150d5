import { kuaishouAdapter } from "../kuaishou/adapter.ts";
import { signKuaishouPush } from "../simulator/kuaishou/push-encoder.ts";
import { openIdOf } from "../simulator/pdd/shared-facts.ts";
import { runConformance } from "./suite.ts";

runConformance("kuaishou", {
  adapter: kuaishouAdapter,
  store: {
    platform: "kuaishou",
    storeKey: "ks-conformance",
    name: "快手旗舰店",
    sellerId: "ks_seller_conf",
    appKey: "ks_conf_app",
    appSecret: "ks-conf-app-secret",
    signSecret: "ks-conf-sign-secret",
    accessToken: "ks-conf-token",
  },
  buyerIdentity: (store, nick) => ({ platformBuyerId: openIdOf(store, nick), displayName: nick }),
  signRawPush: signKuaishouPush,
  imageUrl: "https://p1.a.yximgs.com/kos/size-chart.jpg",
  // Kuaishou signs requests with a signSecret of its own, not the appSecret.
  credentials: (store) => ({ signSecret: store.signSecret }),
});
