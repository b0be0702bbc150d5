import { describe, expect, it } from "vitest";
import { readEvent } from "./realtime-connection.ts";

describe("readEvent", () => {
  it("skips event types this client does not know, keeping their seq", () => {
    expect(readEvent({ seq: 7, type: "conversation.assigned", storeId: "s1", assigneeId: "u1" })).toEqual({
      kind: "unknown",
      seq: 7,
    });
  });

  it("reports a known type that breaks the contract", () => {
    expect(readEvent({ seq: 8, type: "order.changed", storeId: "s1" }).kind).toBe("invalid");
    expect(readEvent("garbage").kind).toBe("invalid");
  });
});
