import { describe, expect, it } from "vitest";
import { douyinMethodPath, douyinParamJson, douyinPushSign, douyinSign } from "./signing.ts";

// Douyin publishes no reproducible example. These vectors come from a second,
// independent implementation (openssl), run as:
//   S='dySecret-123'; PJ='{"shop_order_id":"4987654321012345678"}'
//   printf '%s' "${S}app_key7012345678901234567methodorder.orderDetailparam_json${PJ}timestamp1731290400v2${S}" \
//     | openssl dgst -sha256 -hmac "$S"      → 6e3b77f2…f628a
//   printf '%s' "${S}app_key7012345678901234567methodorder.orderDetailparam_json${PJ}timestamp1731290400v2${S}" \
//     | openssl dgst -md5                    → e075fa86…2d63b02
//   PJ2='{"msg":"<在吗>&\"好\"","page":0,"size":20}'
//   printf '%s' "${S}app_key7012345678901234567methodim.sendMessageparam_json${PJ2}timestamp1731290400v2${S}" \
//     | openssl dgst -sha256 -hmac "$S"      → 890d86ce…b2f6f
//   printf '%s' '7012345678901234567[{"tag":"101","msg_id":"m1","data":"{\"p_id\":1}"}]dySecret-123' \
//     | openssl dgst -md5                    → 5fcea3f9…525a9b

const secret = "dySecret-123";
const base = { appKey: "7012345678901234567", timestamp: "1731290400" };

describe("抖店 signing", () => {
  it("signs with HMAC-SHA256 keyed by the secret, lowercase hex", () => {
    const paramJson = douyinParamJson({ shop_order_id: "4987654321012345678" });
    expect(douyinSign({ ...base, method: "order.orderDetail", paramJson }, secret, "hmac-sha256")).toBe(
      "6e3b77f2aa6c83346b89c22ab99291e448603806c3e1e6ac23db4aa4ab0f628a",
    );
  });

  it("hashes the same string with MD5 for sign_method=md5", () => {
    const paramJson = douyinParamJson({ shop_order_id: "4987654321012345678" });
    expect(douyinSign({ ...base, method: "order.orderDetail", paramJson }, secret, "md5")).toBe(
      "e075fa866e71aade1ae839c6a2d63b02",
    );
  });

  it("sorts param_json keys, keeps it compact and does not HTML-escape", () => {
    const paramJson = douyinParamJson({ size: 20, page: 0, msg: '<在吗>&"好"' });
    expect(paramJson).toBe('{"msg":"<在吗>&\\"好\\"","page":0,"size":20}');
    expect(douyinSign({ ...base, method: "im.sendMessage", paramJson }, secret, "hmac-sha256")).toBe(
      "890d86ce35e55f727cf183ecaa2e7de83ba6f7deb22645a83503fb79da5b2f6f",
    );
    expect(douyinParamJson({ b: { z: 1, a: [{ y: 1, x: 2 }] }, a: undefined })).toBe(
      '{"b":{"a":[{"x":2,"y":1}],"z":1}}',
    );
  });

  it("signs a push as md5(app_key + body + app_secret) and maps methods to paths", () => {
    const body = '[{"tag":"101","msg_id":"m1","data":"{\\"p_id\\":1}"}]';
    expect(douyinPushSign(base.appKey, body, secret)).toBe("5fcea3f98008a267e1901fe14c525a9b");
    expect(douyinMethodPath("order.orderDetail")).toBe("/order/orderDetail");
  });
});
