import { describe, expect, it } from "vitest";
import { formatBeijingTime, parseBeijingTime, popSign } from "./signing.ts";

describe("POP signing", () => {
  it("reproduces Pinduoduo's published example", () => {
    // open.pinduoduo.com, "签名算法": secret testSecret → E4DE3ED21002510DED352819E7AE6775.
    const params = {
      access_token: "asd78172s8ds9a921j9qqwda12312w1w21211",
      client_id: "1",
      data_type: "XML",
      order_status: "1",
      page: "1",
      page_size: "10",
      timestamp: "1480411125",
      type: "pdd.order.number.list.get",
    };
    expect(popSign(params, "testSecret")).toBe("E4DE3ED21002510DED352819E7AE6775");
  });

  it("ignores sign itself and the order parameters were given in", () => {
    const a = popSign({ type: "x", client_id: "1", timestamp: "2" }, "s");
    const b = popSign({ timestamp: "2", sign: "whatever", client_id: "1", type: "x" }, "s");
    expect(a).toBe(b);
  });

  it("formats and parses Beijing times whatever the host zone", () => {
    const date = new Date("2024-11-11T00:00:01Z");
    expect(formatBeijingTime(date)).toBe("2024-11-11 08:00:01");
    expect(parseBeijingTime("2024-11-11 08:00:01")?.toISOString()).toBe(date.toISOString());
    expect(parseBeijingTime("2024-02-30 08:00:01")).toBeUndefined();
    expect(parseBeijingTime("")).toBeUndefined();
  });
});
