import type { BusinessHours } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { defaultSlaPolicy, type SlaFacts, slaAlerts, slaDueTimes, slaState } from "./sla.ts";

const tz = "Asia/Shanghai";
const always: BusinessHours = { alwaysOpen: true, windows: [] };
const office: BusinessHours = {
  alwaysOpen: false,
  windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "18:00" })),
};
const sh = (iso: string) => new Date(`${iso}+08:00`);
const base = (patch: Partial<SlaFacts> = {}): SlaFacts => ({
  status: "open",
  createdAt: sh("2026-12-01T10:00:00"),
  firstInboundAt: sh("2026-12-01T10:00:00"),
  firstResponseAt: null,
  waitingSince: sh("2026-12-01T10:00:00"),
  firstResponseDueAt: null,
  nextResponseDueAt: null,
  resolutionDueAt: null,
  ...patch,
});

describe("SLA due times", () => {
  it("sets first response and resolution targets from the first buyer message", () => {
    const due = slaDueTimes(base(), defaultSlaPolicy, always, tz);
    expect(due.firstResponseDueAt).toEqual(sh("2026-12-01T10:03:00"));
    expect(due.nextResponseDueAt).toBeNull();
    expect(due.resolutionDueAt).toEqual(sh("2026-12-02T10:00:00"));
  });

  it("counts business hours only", () => {
    const late = base({ createdAt: sh("2026-12-01T17:59:00"), firstInboundAt: sh("2026-12-01T17:59:00") });
    expect(slaDueTimes(late, defaultSlaPolicy, office, tz).firstResponseDueAt).toEqual(sh("2026-12-02T09:02:00"));
  });

  it("starts a next-response target when the buyer writes again after an answer, and keeps it", () => {
    const answered = base({
      firstResponseAt: sh("2026-12-01T10:01:00"),
      firstResponseDueAt: sh("2026-12-01T10:03:00"),
      waitingSince: sh("2026-12-01T10:20:00"),
    });
    const due = slaDueTimes(answered, defaultSlaPolicy, always, tz);
    expect(due.nextResponseDueAt).toEqual(sh("2026-12-01T10:23:00"));
    // A later message does not move a running target.
    const again = slaDueTimes({ ...answered, nextResponseDueAt: due.nextResponseDueAt }, defaultSlaPolicy, always, tz);
    expect(again.nextResponseDueAt).toEqual(sh("2026-12-01T10:23:00"));
    // Nobody waits: no next-response target.
    expect(slaDueTimes({ ...answered, waitingSince: null }, defaultSlaPolicy, always, tz).nextResponseDueAt).toBeNull();
  });

  it("has no targets once resolved, and none for a policy without them", () => {
    const due = slaDueTimes(base({ status: "resolved" }), defaultSlaPolicy, always, tz);
    expect(due.resolutionDueAt).toBeNull();
    const none = { ...defaultSlaPolicy, firstResponseSeconds: null, resolutionSeconds: null };
    expect(slaDueTimes(base(), none, always, tz)).toEqual({
      firstResponseDueAt: null,
      nextResponseDueAt: null,
      resolutionDueAt: null,
    });
  });
});

describe("SLA alerts with a controllable clock", () => {
  const c = base({ firstResponseDueAt: sh("2026-12-01T10:03:00"), resolutionDueAt: sh("2026-12-02T10:00:00") });

  it("warns before, then breaches at the due time, each once", () => {
    expect(slaAlerts(c, sh("2026-12-01T10:01:59"), 60, [], [])).toEqual([]);
    expect(slaAlerts(c, sh("2026-12-01T10:02:00"), 60, [], [])).toEqual([
      { kind: "first_response", level: "warning", dueAt: sh("2026-12-01T10:03:00") },
    ]);
    expect(slaAlerts(c, sh("2026-12-01T10:02:30"), 60, ["first_response"], [])).toEqual([]);
    expect(slaAlerts(c, sh("2026-12-01T10:03:00"), 60, ["first_response"], [])).toEqual([
      { kind: "first_response", level: "breached", dueAt: sh("2026-12-01T10:03:00") },
    ]);
    expect(slaAlerts(c, sh("2026-12-01T10:09:00"), 60, ["first_response"], ["first_response"])).toEqual([]);
  });

  it("stops once the target is met", () => {
    const answered = { ...c, firstResponseAt: sh("2026-12-01T10:02:59") };
    expect(slaAlerts(answered, sh("2026-12-01T10:05:00"), 60, [], [])).toEqual([]);
    expect(slaState(answered, sh("2026-12-01T10:05:00"), 60)).toBe("ok");
  });

  it("reports the state for list filters", () => {
    expect(slaState(c, sh("2026-12-01T10:00:30"), 60)).toBe("ok");
    expect(slaState(c, sh("2026-12-01T10:02:30"), 60)).toBe("due_soon");
    expect(slaState(c, sh("2026-12-01T10:04:00"), 60)).toBe("breached");
  });
});
