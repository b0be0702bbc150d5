import { describe, expect, it } from "vitest";
import type { Translate } from "../i18n/locales.ts";
import { at, baseTime, makeConversation } from "../inbox/test-fixtures.ts";
import { dueSoonMs, formatCountdown, isAwaitingReply, nextSlaTarget, slaCountdown, slaState } from "./sla.ts";

const minute = 60_000;
const t: Translate = (key, vars) => `${key}${vars ? JSON.stringify(vars) : ""}`;
const sla = (patch: Partial<ReturnType<typeof makeConversation>["sla"]>) => ({
  firstResponseDueAt: null,
  nextResponseDueAt: null,
  resolutionDueAt: null,
  breaches: [],
  ...patch,
});

describe("SLA countdown", () => {
  it("counts down to the first response while nobody answered", () => {
    const c = makeConversation("c1", 0, { lastInboundAt: at(0), sla: sla({ firstResponseDueAt: at(3) }) });
    expect(slaCountdown(c, baseTime + minute)).toEqual({
      state: "ok",
      kind: "first_response",
      dueAt: baseTime + 3 * minute,
      remainingMs: 2 * minute,
    });
    expect(slaCountdown(c, baseTime + 3 * minute - dueSoonMs).state).toBe("due_soon");
    expect(slaCountdown(c, baseTime + 3 * minute).state).toBe("breached");
    expect(slaCountdown(c, baseTime + 4 * minute).remainingMs).toBe(-minute);
  });

  it("counts to the next response only while the buyer waits for one, and takes the earliest target", () => {
    const answered = makeConversation("c1", 0, {
      firstResponseAt: at(1),
      lastInboundAt: at(0),
      lastOutboundAt: at(1),
      sla: sla({ firstResponseDueAt: at(3), nextResponseDueAt: at(5), resolutionDueAt: at(60) }),
    });
    // First response done, no reply owed: only resolution counts.
    expect(nextSlaTarget(answered)).toEqual({ kind: "resolution", dueAt: baseTime + 60 * minute });
    const asksAgain = { ...answered, lastInboundAt: at(2) };
    expect(isAwaitingReply(asksAgain)).toBe(true);
    expect(nextSlaTarget(asksAgain)).toEqual({ kind: "next_response", dueAt: baseTime + 5 * minute });
  });

  it("has nothing due once resolved, merged, or without targets", () => {
    const due = sla({ firstResponseDueAt: at(3) });
    expect(slaCountdown(makeConversation("c1", 0, { status: "resolved", sla: due }), baseTime).state).toBe("none");
    expect(slaCountdown(makeConversation("c1", 0, { mergedIntoId: "c2", sla: due }), baseTime).state).toBe("none");
    expect(slaCountdown(makeConversation("c1", 0), baseTime).state).toBe("none");
  });

  it("calls a conversation breached once a target was missed, as the server's filter does", () => {
    const c = makeConversation("c1", 0, { lastInboundAt: at(0), sla: sla({ firstResponseDueAt: at(3) }) });
    expect(slaState(c, baseTime)).toBe("ok");
    expect(slaState(c, baseTime + 3 * minute - dueSoonMs)).toBe("due_soon");
    expect(slaState(c, baseTime + 3 * minute + 1)).toBe("breached"); // overdue before the sweep records it
    // Recorded, and answered since: still breached, while the countdown goes on to the next target.
    const answered = {
      ...c,
      firstResponseAt: at(4),
      lastOutboundAt: at(4),
      sla: sla({ firstResponseDueAt: at(3), resolutionDueAt: at(60), breaches: ["first_response"] }),
    };
    expect(slaState(answered, baseTime + 5 * minute)).toBe("breached");
    expect(slaCountdown(answered, baseTime + 5 * minute)).toMatchObject({ state: "ok", kind: "resolution" });
  });

  it("formats m:ss, h:mm:ss and days, rounding toward the deadline", () => {
    expect(formatCountdown(2 * minute + 35_000, t)).toBe("2:35");
    expect(formatCountdown(500, t)).toBe("0:01");
    expect(formatCountdown(0, t)).toBe("0:00");
    expect(formatCountdown(-(80 * 1000), t)).toBe("1:20");
    expect(formatCountdown(3_723_000, t)).toBe("1:02:03");
    expect(formatCountdown(2 * 86_400_000 + 3 * 3_600_000, t)).toBe('sla.days{"days":2,"hours":3}');
  });
});
