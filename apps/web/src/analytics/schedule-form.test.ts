import { ReportScheduleInput } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { translator } from "../i18n/locales.ts";
import { emptyDraft, inputOf, looksLikeEmail, timingText } from "./schedule-form.ts";

const zh = translator("zh-CN");
const en = translator("en-US");

describe("定时报表 form", () => {
  it("sends only the fields the cadence uses, and no empty webhook", () => {
    const draft = { ...emptyDraft(), name: " 周报 ", cadence: "weekly" as const, weekday: 3, dayOfMonth: 15 };
    const input = inputOf({ ...draft, recipients: [" ops@example.com ", ""], storeId: "s1", platform: undefined });
    expect(input).toMatchObject({
      name: "周报",
      weekday: 3,
      dayOfMonth: null,
      webhookUrl: null,
      recipients: ["ops@example.com"],
      filters: { storeId: "s1" },
    });
    expect(ReportScheduleInput.safeParse(input).success).toBe(true);
    const monthly = inputOf({ ...draft, cadence: "monthly", recipients: [], webhookUrl: " https://x.test/h " });
    expect(monthly).toMatchObject({ weekday: null, dayOfMonth: 15, webhookUrl: "https://x.test/h" });
    expect(ReportScheduleInput.safeParse(monthly).success).toBe(true);
    // Nowhere to send: the contract refuses it, as the server would.
    expect(ReportScheduleInput.safeParse(inputOf({ ...emptyDraft(), name: "x" })).success).toBe(false);
  });

  it("reads a schedule's timing in both languages", () => {
    const weekly = { cadence: "weekly" as const, time: "08:30", weekday: 1, dayOfMonth: null };
    expect(timingText(weekly, zh)).toBe("每周一 08:30");
    expect(timingText(weekly, en)).toBe("Every Monday at 08:30");
    expect(timingText({ cadence: "monthly", time: "09:00", weekday: null, dayOfMonth: 31 }, zh)).toBe(
      "每月 31 日 09:00",
    );
    expect(timingText({ cadence: "daily", time: "09:00", weekday: null, dayOfMonth: null }, en)).toBe("Daily at 09:00");
  });

  it("catches an obvious typo in an address", () => {
    expect(looksLikeEmail("ops@example.com")).toBe(true);
    expect(looksLikeEmail("ops@example")).toBe(false);
    expect(looksLikeEmail("ops example.com")).toBe(false);
  });
});
