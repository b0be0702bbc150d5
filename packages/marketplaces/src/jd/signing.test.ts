import { describe, expect, it } from "vitest";
import { formatJdTime, formatJdTimestamp, jdSign, parseJdTimestamp } from "./signing.ts";

// JD's published example (developer guide): the business parameters travel as
// 360buy_param_json and are signed as one value among the common parameters.
const example = {
  "360buy_param_json":
    '{"end_date":null,"optional_fields":null,"order_state":"WAIT_SELLER_STOCK_OUT","page":"1","page_size":"200","start_date":null}',
  access_token: "yourtoken",
  app_key: "yourappkey",
  method: "jingdong.pop.order.search",
  timestamp: "2021-05-07 09:20:39.683+0800",
  v: "2.0",
};

describe("JOS signing", () => {
  it("reproduces JD's published example", () => {
    expect(jdSign(example, "yourappSecret")).toBe("D70825340F4084360B9362B60DFD7930");
  });

  it("signs only the parameters actually sent, never sign itself", () => {
    expect(jdSign({ ...example, sign: "X" }, "yourappSecret")).toBe("D70825340F4084360B9362B60DFD7930");
    expect(jdSign({ ...example, access_token: undefined }, "yourappSecret")).not.toBe(
      "D70825340F4084360B9362B60DFD7930",
    );
  });

  // Computed independently:
  //   printf '%s' 'sEcReT360buy_param_json{"pin":"jd_小明","content":"你好"}app_keyk1methodjingdong.im.pop.message.sendtimestamp2024-11-11 00:00:05.000+0800v2.0sEcReT' | openssl dgst -md5
  it("signs UTF-8 business parameters", () => {
    const params = {
      "360buy_param_json": '{"pin":"jd_小明","content":"你好"}',
      app_key: "k1",
      method: "jingdong.im.pop.message.send",
      timestamp: "2024-11-11 00:00:05.000+0800",
      v: "2.0",
    };
    expect(jdSign(params, "sEcReT")).toBe("2B260F6BDAEA3D06B294009BF0964483");
  });
});

describe("JOS timestamps", () => {
  it("formats in UTC+8 with milliseconds and the offset", () => {
    expect(formatJdTimestamp(new Date("2021-05-07T01:20:39.683Z"))).toBe("2021-05-07 09:20:39.683+0800");
    expect(formatJdTime(new Date("2024-12-31T20:30:00Z"))).toBe("2025-01-01 04:30:00");
  });

  it("parses both forms back and refuses non-times", () => {
    expect(parseJdTimestamp("2021-05-07 09:20:39.683+0800")?.toISOString()).toBe("2021-05-07T01:20:39.683Z");
    expect(parseJdTimestamp("2021-05-07 09:20:39")?.toISOString()).toBe("2021-05-07T01:20:39.000Z");
    expect(parseJdTimestamp("2021-02-30 09:20:39")).toBeUndefined();
    expect(parseJdTimestamp("2021-05-07T09:20:39")).toBeUndefined();
  });
});
