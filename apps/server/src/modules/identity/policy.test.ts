import { describe, expect, it } from "vitest";
import { atLeast, canGrantRole, canManageStores, canManageUsers, canSeeStore, seesAllStores } from "./policy.ts";

describe("identity policy", () => {
  it("orders roles owner > admin > supervisor > agent", () => {
    expect(atLeast({ role: "owner" }, "admin")).toBe(true);
    expect(atLeast({ role: "supervisor" }, "admin")).toBe(false);
    expect(atLeast({ role: "agent" }, "agent")).toBe(true);
  });

  it("lets supervisors and above see every store, agents only theirs", () => {
    expect(seesAllStores("supervisor")).toBe(true);
    expect(seesAllStores("agent")).toBe(false);
    expect(canSeeStore({ storeIds: null }, "s1")).toBe(true);
    expect(canSeeStore({ storeIds: ["s1"] }, "s1")).toBe(true);
    expect(canSeeStore({ storeIds: ["s1"] }, "s2")).toBe(false);
    expect(canSeeStore({ storeIds: [] }, "s1")).toBe(false);
  });

  it("keeps user and store management to admins and owners", () => {
    for (const role of ["agent", "supervisor"] as const) {
      expect(canManageUsers({ role })).toBe(false);
      expect(canManageStores({ role })).toBe(false);
    }
    expect(canManageUsers({ role: "admin" })).toBe(true);
    expect(canManageStores({ role: "owner" })).toBe(true);
  });

  it("never lets anyone grant a role above their own", () => {
    expect(canGrantRole({ role: "admin" }, "owner")).toBe(false);
    expect(canGrantRole({ role: "admin" }, "admin")).toBe(true);
    expect(canGrantRole({ role: "owner" }, "owner")).toBe(true);
    expect(canGrantRole({ role: "supervisor" }, "agent")).toBe(false);
  });
});
