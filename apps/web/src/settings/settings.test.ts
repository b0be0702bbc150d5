import type { StoreRouting } from "@yunxi/contracts";
import { describe, expect, it } from "vitest";
import { parseRoute, routePath } from "../routing/routes.ts";
import { isTold, sameSettings, withCell } from "./notification-matrix.ts";
import { checkPriorityRule, matchField, ruleRequest } from "./priority-rule-form.ts";
import { checkRouting, fieldOfIssue, invalidWindows, routingToValues, valuesToRequest } from "./routing-form.ts";
import { visibleAdminTabs } from "./settings-tabs.ts";

const routing: StoreRouting = {
  storeId: "s1",
  autoAssign: true,
  strategy: "least_busy",
  groupId: null,
  overflowGroupId: "g2",
  overflowAfterSeconds: 120,
  sla: {
    firstResponseSeconds: 180,
    nextResponseSeconds: 30,
    resolutionSeconds: 86400,
    warnBeforeSeconds: 60,
    escalation: { notifySupervisors: true, raisePriority: 20, reassign: false },
  },
  businessHours: { alwaysOpen: false, windows: [{ weekday: 1, start: "09:00", end: "18:00" }] },
};

describe("routing form", () => {
  it("shows seconds as minutes and sends them back as seconds", () => {
    const values = routingToValues(routing);
    expect(values).toMatchObject({
      firstResponseMinutes: 3,
      nextResponseMinutes: 0.5,
      resolutionMinutes: 1440,
      warnBeforeMinutes: 1,
    });
    const request = valuesToRequest(values);
    expect(request.sla).toEqual(routing.sla);
    expect(request.businessHours).toEqual(routing.businessHours);
    expect(request.overflowAfterSeconds).toBe(120);
    expect(checkRouting(values).ok).toBe(true);
  });

  it("empty targets mean none; no overflow group, no overflow wait", () => {
    const request = valuesToRequest({
      ...routingToValues(routing),
      firstResponseMinutes: null,
      overflowGroupId: null,
      groupId: null,
    });
    expect(request.sla?.firstResponseSeconds).toBeNull();
    expect(request.overflowAfterSeconds).toBeNull();
  });

  it("marks the fields the contract refuses", () => {
    const check = checkRouting({
      ...routingToValues(routing),
      firstResponseMinutes: 0.1, // 6 s: below the 10 s minimum
      raisePriority: 500,
      windows: [
        { weekday: 2, start: "18:00", end: "09:00" },
        { weekday: 3, start: "9:00", end: "18:00" },
      ],
    });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.fields).toContainEqual("firstResponseMinutes");
    expect(check.fields).toContainEqual("raisePriority");
    expect(check.fields).toContainEqual(["windows", 0, "end"]);
    expect(check.fields).toContainEqual(["windows", 1, "start"]);
    expect(check.messages).toEqual([]);
  });

  it("maps contract paths to form fields", () => {
    expect(fieldOfIssue(["sla", "escalation", "raisePriority"])).toBe("raisePriority");
    expect(fieldOfIssue(["businessHours", "windows", 3, "end"])).toEqual(["windows", 3, "end"]);
    expect(fieldOfIssue(["businessHours", "windows"])).toBeNull();
    expect(
      invalidWindows([
        { start: "10:00", end: "10:00" },
        { start: "10:00", end: "24:00" },
      ]),
    ).toEqual([0]);
  });
});

describe("priority rule form", () => {
  it("takes match from the field its kind uses", () => {
    expect(matchField("platform")).toBe("platform");
    expect(matchField("wait")).toBe("waitSeconds");
    expect(ruleRequest({ storeId: "", kind: "wait", waitSeconds: 300, weight: 5, label: " 等待 " })).toEqual({
      storeId: null,
      kind: "wait",
      match: "300",
      weight: 5,
      label: "等待",
    });
    expect(ruleRequest({ storeId: "s1", kind: "platform", platform: "jd", weight: 1, label: "京东" }).match).toBe("jd");
  });

  it("validates against the contract and marks the field at fault", () => {
    expect(checkPriorityRule({ storeId: "", kind: "keyword", match: "退", weight: 30, label: "售后" }).ok).toBe(true);
    const badWeight = checkPriorityRule({ storeId: "", kind: "keyword", match: "退", weight: 300, label: "售后" });
    expect(badWeight).toEqual({ ok: false, fields: ["weight"] });
    const noMatch = checkPriorityRule({ storeId: "", kind: "buyer_tag", match: "  ", weight: 1, label: "VIP" });
    expect(noMatch).toEqual({ ok: false, fields: ["match"] });
    const badPlatform = checkPriorityRule({ storeId: "", kind: "platform", platform: "ebay", weight: 1, label: "x" });
    expect(badPlatform).toEqual({ ok: false, fields: ["platform"] });
  });
});

describe("notification matrix", () => {
  it("sets one cell, keeps the others and the role order", () => {
    const settings = {
      rules: {
        assigned: [],
        new_message: [],
        sla_warning: ["agent" as const],
        sla_breach: ["owner" as const, "supervisor" as const],
        mention: [],
        unassigned_waiting: ["supervisor" as const],
      },
    };
    const next = withCell(settings, "sla_breach", "admin", true);
    expect(next.rules.sla_breach).toEqual(["owner", "admin", "supervisor"]);
    expect(isTold(next, "sla_warning", "agent")).toBe(true);
    expect(withCell(next, "sla_warning", "agent", false).rules.sla_warning).toEqual([]);
    expect(sameSettings(settings, next)).toBe(false);
    expect(sameSettings(settings, withCell(settings, "mention", "agent", false))).toBe(true);
  });
});

describe("admin tabs and routes", () => {
  it("shows the library to everyone, the routing tabs to supervisors, stores and members to admins", () => {
    const routing = ["groups", "routing", "priority", "notifications", "autoreply", "quality", "schedules", "survey"];
    expect(visibleAdminTabs("agent")).toEqual(["library"]);
    expect(visibleAdminTabs("supervisor")).toEqual([...routing, "library"]);
    expect(visibleAdminTabs("admin")).toEqual(["stores", "users", ...routing, "llm", "library"]);
  });

  it("maps the new paths", () => {
    expect(parseRoute("/supervisor")).toEqual({ page: "supervisor" });
    expect(routePath({ page: "supervisor" })).toBe("/supervisor");
    expect(parseRoute("/admin/routing")).toEqual({ page: "admin", tab: "routing" });
    expect(routePath({ page: "admin", tab: "notifications" })).toBe("/admin/notifications");
    expect(parseRoute("/admin")).toEqual({ page: "admin", tab: "stores" });
  });
});
