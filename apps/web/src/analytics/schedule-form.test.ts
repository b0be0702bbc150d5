import { ReportScheduleInput } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { translator } from "../i18n/locales.ts";
import { emptyDraft, inputOf, looksLikeEmail, scheduleChoices, timingText } from "./schedule-form.ts";

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

describe("定时报表 form's choices", () => {
  const stores = [
    { id: "tb1", platform: "taobao" as const, name: "旗舰店" },
    { id: "jd1", platform: "jd" as const, name: "京东店" },
    { id: "pdd1", platform: "pdd" as const, name: "拼多多店" },
  ];
  const groups = [
    { id: "g1", name: "售前" },
    { id: "g2", name: "售后" },
  ];
  const supervisor = {
    oversight: "groups" as const,
    agents: [],
    groups: [{ id: "g1", name: "售前" }],
    storeIds: ["tb1", "jd1"],
  };
  const ids = (items: readonly { id: string }[]) => items.map((i) => i.id);

  it("offers a supervisor only the stores, platforms and groups of their scope", () => {
    const choices = scheduleChoices(supervisor, { stores, groups }, {});
    expect(ids(choices.stores)).toEqual(["tb1", "jd1"]);
    expect(choices.platforms).toEqual(["taobao", "jd"]);
    expect(ids(choices.groups)).toEqual(["g1"]);
    expect(ids(scheduleChoices(supervisor, { stores, groups }, { platform: "jd" }).stores)).toEqual(["jd1"]);
  });

  it("offers an admin every store and group", () => {
    const admin = { oversight: "all" as const, agents: [], groups, storeIds: null };
    const choices = scheduleChoices(admin, { stores, groups }, {});
    expect(ids(choices.stores)).toEqual(["tb1", "jd1", "pdd1"]);
    expect(ids(choices.groups)).toEqual(["g1", "g2"]);
  });

  it("keeps the schedule's own store and group listed by name, even outside the scope", () => {
    const choices = scheduleChoices(supervisor, { stores, groups }, { storeId: "pdd1", groupId: "g2" });
    expect(ids(choices.stores)).toEqual(["tb1", "jd1", "pdd1"]);
    expect(choices.groups).toEqual([
      { id: "g1", name: "售前" },
      { id: "g2", name: "售后" },
    ]);
  });

  it("offers no group until the scope is known", () => {
    expect(scheduleChoices(null, { stores, groups }, {}).groups).toEqual([]);
  });
});
