import { describe, expect, it } from "vitest";
import type { StoreWithCredentials } from "../stores/index.ts";
import { PushStoreCache } from "./push-routes.ts";

const target = (id: string) => ({ store: { id }, credentials: {} }) as unknown as StoreWithCredentials;

describe("the push route's store cache", () => {
  it("looks a store up once per time-to-live, and again after it", async () => {
    const cache = new PushStoreCache(1000);
    let loads = 0;
    const load = async () => {
      loads++;
      return target("s1");
    };
    await cache.get("taobao/k", 0, load);
    await cache.get("taobao/k", 999, load);
    expect(loads).toBe(1);
    await cache.get("taobao/k", 1000, load);
    expect(loads).toBe(2);
  });

  it("does not keep unknown keys, and forgets a store when told it changed", async () => {
    const cache = new PushStoreCache(1000);
    let loads = 0;
    const unknown = async () => {
      loads++;
      return null;
    };
    expect(await cache.get("taobao/x", 0, unknown)).toBeNull();
    expect(await cache.get("taobao/x", 1, unknown)).toBeNull();
    expect(loads).toBe(2);
    await cache.get("taobao/k", 0, async () => target("s1"));
    cache.forget("s1");
    expect(await cache.get("taobao/k", 1, async () => target("s1-reloaded"))).toEqual(target("s1-reloaded"));
  });
});
