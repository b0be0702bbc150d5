import { describe, expect, it } from "vitest";
import { concatSorted } from "../signing.ts";
import { formatTopTimestamp, parseTopTimestamp, topSign } from "./signing.ts";

// The parameters of Taobao's published signing example, minus sign_method (set per case).
const example = {
  app_key: "12345678",
  fields: "num_iid,title,nick,price,num",
  format: "json",
  method: "taobao.item.seller.get",
  num_iid: "11223344",
  session: "test",
  timestamp: "2016-01-01 12:00:00",
  v: "2.0",
};

describe("TOP signing", () => {
  it("reproduces Taobao's published md5 example", () => {
    expect(topSign({ ...example, sign_method: "md5" }, "helloworld", "md5")).toBe("66987CB115214E59E6EC978214934FB8");
  });

  it("ignores an existing sign parameter", () => {
    expect(topSign({ ...example, sign_method: "md5", sign: "XYZ" }, "helloworld", "md5")).toBe(
      "66987CB115214E59E6EC978214934FB8",
    );
  });

  // Computed independently:
  //   S='app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.getnum_iid11223344sessiontestsign_methodhmactimestamp2016-01-01 12:00:00v2.0'
  //   printf '%s' "$S" | openssl dgst -md5 -hmac helloworld
  it("signs with hmac (HMAC-MD5)", () => {
    expect(topSign({ ...example, sign_method: "hmac" }, "helloworld", "hmac")).toBe("D56D7858309C31B6251083A874D48273");
  });

  // Computed independently (same S with sign_methodhmac-sha256):
  //   printf '%s' "$S" | openssl dgst -sha256 -hmac helloworld
  it("signs with hmac-sha256", () => {
    expect(topSign({ ...example, sign_method: "hmac-sha256" }, "helloworld", "hmac-sha256")).toBe(
      "04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8",
    );
  });

  // A push signature: the raw body (UTF-8, with Chinese) is one of the signed values.
  //   printf '%s' 'app_keytb-app-1body{"messages":[{"id":1,"topic":"taobao_qianniu_BuyerMessage","content":"{\"text\":\"你好\"}"}]}sign_methodhmac-sha256timestamp2024-11-11 00:00:05' \
  //     | openssl dgst -sha256 -hmac s3cret
  it("signs a UTF-8 body as one parameter", () => {
    const body = '{"messages":[{"id":1,"topic":"taobao_qianniu_BuyerMessage","content":"{\\"text\\":\\"你好\\"}"}]}';
    const params = { app_key: "tb-app-1", timestamp: "2024-11-11 00:00:05", sign_method: "hmac-sha256", body };
    expect(topSign(params, "s3cret", "hmac-sha256")).toBe(
      "571391069D2472EB8AC0DAB478DBFD80E5A5E2CCAADA5A7467FA2F53E9ED4005",
    );
  });

  it("concatenates sorted name+value and skips absent values", () => {
    expect(concatSorted({ b: "2", a: "1", sign: "x", c: undefined })).toBe("a1b2");
  });
});

describe("TOP timestamps", () => {
  it("formats in UTC+8", () => {
    expect(formatTopTimestamp(new Date("2016-01-01T04:00:00Z"))).toBe("2016-01-01 12:00:00");
    expect(formatTopTimestamp(new Date("2024-12-31T20:30:00Z"))).toBe("2025-01-01 04:30:00");
  });

  it("parses back and refuses non-timestamps", () => {
    expect(parseTopTimestamp("2016-01-01 12:00:00")?.toISOString()).toBe("2016-01-01T04:00:00.000Z");
    expect(parseTopTimestamp("2016-02-30 12:00:00")).toBeUndefined();
    expect(parseTopTimestamp("2016-01-01T12:00:00")).toBeUndefined();
    expect(parseTopTimestamp("")).toBeUndefined();
  });
});
