import { describe, expect, it } from "vitest";
import { kuaishouMethodPath, kuaishouSign, kuaishouSignString } from "./signing.ts";

// Kuaishou publishes no reproducible example. These vectors come from a second,
// independent implementation (openssl), run as:
//   S='ks-sign-secret'
//   printf '%s' 'access_token=ks-token&appkey=ks650488674676453513&method=open.order.detail&param={"oid":2419000000000001}&signMethod=MD5&timestamp=1731290400000&version=1&signSecret=ks-sign-secret' \
//     | openssl dgst -md5                                     → f8e342df…0ca0a61b
//   printf '%s' 'access_token=ks-token&appkey=ks650488674676453513&method=open.order.detail&param={"oid":2419000000000001}&signMethod=HMAC_SHA256&timestamp=1731290400000&version=1&signSecret=ks-sign-secret' \
//     | openssl dgst -sha256 -hmac "$S" -binary | base64      → /m6Xr7rh…E7I3k=
//   printf '%s' 'access_token=t&appkey=ks1&method=open.cs.message.send&param={"content":"亲，在的","msgType":"text"}&signMethod=HMAC_SHA256&timestamp=1731290400123&version=1&signSecret=ks-sign-secret' \
//     | openssl dgst -sha256 -hmac "$S" -binary | base64      → bzv78rHx…mC/QQ=

const secret = "ks-sign-secret";
const common = {
  access_token: "ks-token",
  appkey: "ks650488674676453513",
  method: "open.order.detail",
  param: '{"oid":2419000000000001}',
  timestamp: "1731290400000",
  version: "1",
};

describe("Kuaishou signing", () => {
  it("joins sorted k=v pairs and appends &signSecret=", () => {
    expect(kuaishouSignString({ ...common, signMethod: "MD5", sign: "ignored" }, secret)).toBe(
      'access_token=ks-token&appkey=ks650488674676453513&method=open.order.detail&param={"oid":2419000000000001}&signMethod=MD5&timestamp=1731290400000&version=1&signSecret=ks-sign-secret',
    );
  });

  it("MD5 → lowercase hex", () => {
    expect(kuaishouSign({ ...common, signMethod: "MD5" }, secret, "MD5")).toBe("f8e342dfd606305e362d15bf0ca0a61b");
  });

  it("HMAC_SHA256 keyed by the signSecret → Base64", () => {
    expect(kuaishouSign({ ...common, signMethod: "HMAC_SHA256" }, secret, "HMAC_SHA256")).toBe(
      "/m6Xr7rhHl5/5Qy0DXkfDgyYgraUBVbss18lX8E7I3k=",
    );
    const chinese = {
      access_token: "t",
      appkey: "ks1",
      method: "open.cs.message.send",
      param: '{"content":"亲，在的","msgType":"text"}',
      signMethod: "HMAC_SHA256",
      timestamp: "1731290400123",
      version: "1",
    };
    expect(kuaishouSign(chinese, secret, "HMAC_SHA256")).toBe("bzv78rHx1FTatNuJFNKK/ckkzpAvrFQTtlrn32mC/QQ=");
  });

  it("maps methods to paths", () => {
    expect(kuaishouMethodPath("open.order.detail")).toBe("/open/order/detail");
  });
});
