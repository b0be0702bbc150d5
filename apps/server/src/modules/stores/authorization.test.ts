import { describe, expect, it } from "vitest";
import { authorizationOf, lapsedReason } from "./authorization.ts";
import type { StoreRow } from "./service.ts";

const now = new Date("2026-11-11T12:00:00Z");
const hours = (n: number) => new Date(now.getTime() + n * 3600_000);

function store(over: Partial<StoreRow>): StoreRow {
  return {
    authState: "authorized",
    tokenExpiresAt: null,
    authRefreshedAt: null,
    authError: null,
    ...over,
  } as StoreRow;
}

describe("where a store's grant stands", () => {
  it("is authorized with a token of unknown expiry, and not authorized without one", () => {
    expect(authorizationOf(store({}), now).state).toBe("authorized");
    expect(authorizationOf(store({ authState: "not_authorized" }), now).state).toBe("not_authorized");
  });

  it("needs no grant for Yunxi's own channels, which never lapse", () => {
    for (const platform of ["webchat", "email", "api"]) {
      expect(authorizationOf(store({ platform, authState: "not_authorized" }), now).state).toBe("not_required");
      expect(lapsedReason(store({ platform, authState: "lapsed" }), now)).toBeNull();
    }
    expect(authorizationOf(store({ platform: "taobao", authState: "not_authorized" }), now).state).toBe(
      "not_authorized",
    );
  });

  it("is expiring once less than a fifth of the token's life is left", () => {
    const issued = hours(-20);
    expect(authorizationOf(store({ authRefreshedAt: issued, tokenExpiresAt: hours(5) }), now).state).toBe("authorized");
    expect(authorizationOf(store({ authRefreshedAt: issued, tokenExpiresAt: hours(4) }), now).state).toBe("expiring");
  });

  it("is lapsed when revoked or expired, and says why", () => {
    const revoked = store({ authState: "lapsed", authError: "refresh failed: invalid_grant" });
    expect(authorizationOf(revoked, now)).toMatchObject({
      state: "lapsed",
      lastError: "refresh failed: invalid_grant",
    });
    expect(lapsedReason(revoked, now)).toBe(
      "authorization_lapsed: refresh failed: invalid_grant; re-authorize the store",
    );
    const expired = store({ authRefreshedAt: hours(-25), tokenExpiresAt: hours(-1) });
    expect(authorizationOf(expired, now).state).toBe("lapsed");
    expect(lapsedReason(expired, now)).toContain("token expired");
    expect(lapsedReason(store({}), now)).toBeNull();
  });
});
