import { describe, expect, it } from "vitest";
import { parseRoute, routePath } from "../routing/routes.ts";
import { invalidFields } from "./form-errors.ts";
import { canOpenAdmin, grantableRoles, servesAssignedStoresOnly } from "./permissions.ts";
import {
  authorizationLooks,
  authorizeActionKey,
  authorizedStoreId,
  hasExpired,
  withoutAuthorizedParam,
} from "./store-authorization.ts";

describe("store authorization", () => {
  it("looks and acts by state", () => {
    expect(authorizationLooks.lapsed).toEqual({ status: "error", text: "authorization.lapsed" });
    expect(authorizeActionKey({ state: "not_authorized" })).toBe("stores.authorize");
    expect(authorizeActionKey({ state: "expiring" })).toBe("stores.reauthorize");
    expect(hasExpired({ expiresAt: "2026-01-01T00:00:00.000Z" }, Date.parse("2026-01-02T00:00:00.000Z"))).toBe(true);
    expect(hasExpired({ expiresAt: null }, Date.now())).toBe(false);
  });

  it("reads the return from the platform's consent once", () => {
    expect(authorizedStoreId("?authorized=s-42")).toBe("s-42");
    expect(authorizedStoreId("?authorized=")).toBeNull();
    expect(withoutAuthorizedParam("?authorized=s-42&tab=x")).toBe("?tab=x");
    expect(withoutAuthorizedParam("?authorized=s-42")).toBe("");
  });
});

describe("admin permissions", () => {
  it("opens the console to admins and owners, and grants no role above one's own", () => {
    expect(canOpenAdmin("agent")).toBe(false);
    expect(canOpenAdmin("supervisor")).toBe(false);
    expect(canOpenAdmin("admin")).toBe(true);
    expect(grantableRoles("admin")).toEqual(["admin", "supervisor", "agent"]);
    expect(grantableRoles("owner")).toContain("owner");
    expect(servesAssignedStoresOnly("agent")).toBe(true);
    expect(servesAssignedStoresOnly("supervisor")).toBe(false);
  });
});

describe("routes", () => {
  it("maps paths to pages and back", () => {
    expect(parseRoute("/")).toEqual({ page: "inbox" });
    expect(parseRoute("/admin")).toEqual({ page: "admin", tab: "stores" });
    expect(parseRoute("/admin/users")).toEqual({ page: "admin", tab: "users" });
    expect(parseRoute("/admin/nope")).toEqual({ page: "admin", tab: "stores" });
    expect(routePath({ page: "admin", tab: "users" })).toBe("/admin/users");
  });
});

describe("invalidFields", () => {
  it("names the flat form field of a nested contract path, once", () => {
    const issues = [
      { path: ["credentials", "appKey"] },
      { path: ["gatewayUrl"] },
      { path: ["gatewayUrl"] },
      { path: [] },
    ];
    expect(invalidFields(issues, ["gatewayUrl", "appKey", "name"] as const)).toEqual(["appKey", "gatewayUrl"]);
  });
});
