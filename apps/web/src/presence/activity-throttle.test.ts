import { describe, expect, it } from "vitest";
import { activityIntervalMs, activityRetryMs, createActivityThrottle } from "./activity-throttle.ts";

describe("activity heartbeat throttle", () => {
  it("sends on the first activity, then at most once a minute however busy the mouse", () => {
    const throttle = createActivityThrottle();
    const t0 = 1_000_000;
    expect(throttle.shouldSend(t0)).toBe(true);
    let sent = 0;
    // A mouse move every 50 ms for three minutes.
    for (let at = t0 + 50; at < t0 + 3 * 60_000; at += 50) if (throttle.shouldSend(at)) sent++;
    expect(sent).toBe(2);
    expect(throttle.shouldSend(t0 + 3 * activityIntervalMs)).toBe(true);
  });

  it("sends nothing without activity, and at once when activity resumes after a pause", () => {
    const throttle = createActivityThrottle(60_000);
    expect(throttle.shouldSend(0)).toBe(true);
    expect(throttle.shouldSend(59_999)).toBe(false);
    // Idle for ten minutes (no calls), then a key press.
    expect(throttle.shouldSend(660_000)).toBe(true);
    expect(throttle.shouldSend(660_001)).toBe(false);
  });

  it("retries a failed heartbeat sooner than a whole interval", () => {
    const throttle = createActivityThrottle(60_000, 10_000);
    expect(throttle.shouldSend(0)).toBe(true);
    throttle.failed(0);
    expect(throttle.shouldSend(activityRetryMs - 1)).toBe(false);
    expect(throttle.shouldSend(10_000)).toBe(true);
    expect(throttle.shouldSend(20_000)).toBe(false);
  });

  it("does not stay silent when the clock is set back", () => {
    const throttle = createActivityThrottle(60_000);
    expect(throttle.shouldSend(500_000)).toBe(true);
    expect(throttle.shouldSend(100_000)).toBe(true);
    expect(throttle.shouldSend(100_500)).toBe(false);
  });
});
