import { describe, expect, it } from "vitest";
import { parseJsonExact } from "./json.ts";

describe("parseJsonExact", () => {
  it("keeps 64-bit integers exact and leaves everything else alone", () => {
    expect(parseJsonExact('{"tid":4123456789012345678,"n":12,"f":1.5,"s":"x:4123456789012345678,"}')).toEqual({
      tid: "4123456789012345678",
      n: 12,
      f: 1.5,
      s: "x:4123456789012345678,",
    });
  });
});
