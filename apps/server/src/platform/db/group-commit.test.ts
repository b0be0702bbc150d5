import { describe, expect, it } from "vitest";
import { GroupCommit } from "./group-commit.ts";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("group commit", () => {
  it("batches what arrives in the same turn of the event loop, and what arrives while a batch runs", async () => {
    const batches: number[][] = [];
    const gc = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      await tick();
      return items.map((i) => i * 10);
    });
    const first = [1, 2].map((i) => gc.submit("org", i));
    await new Promise((r) => setImmediate(r)); // the first batch has started
    const results = await Promise.all([...first, ...[3, 4, 5].map((i) => gc.submit("org", i))]);
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it("keeps keys independent", async () => {
    const batches: string[][] = [];
    const gc = new GroupCommit<string, string>(async (items) => {
      batches.push(items);
      await tick();
      return items;
    });
    await Promise.all([gc.submit("a", "a1"), gc.submit("b", "b1"), gc.submit("a", "a2")]);
    expect(batches).toEqual([["a1", "a2"], ["b1"]]);
  });

  it("fails only the bad item of a failed batch", async () => {
    const gc = new GroupCommit<number, number>(async (items) => {
      await tick();
      if (items.includes(3)) throw new Error("bad item");
      return items;
    });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((i) => gc.submit("org", i)));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
  });

  it("caps the batch size", async () => {
    const sizes: number[] = [];
    const gc = new GroupCommit<number, number>(
      async (items) => {
        sizes.push(items.length);
        await tick();
        return items;
      },
      { maxBatch: 2 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((i) => gc.submit("org", i)));
    expect(sizes).toEqual([2, 2, 1]);
  });
});
