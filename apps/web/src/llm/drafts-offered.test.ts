import { describe, expect, it } from "vitest";
import { DraftsOffered } from "./drafts-offered.ts";

/** A stand-in for the status endpoint: each ask waits until the test answers it. */
function server() {
  const pending: { resolve: (v: boolean) => void; reject: (e: Error) => void }[] = [];
  const ask = () => new Promise<boolean>((resolve, reject) => pending.push({ resolve, reject }));
  return { ask, pending };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("whether LLM drafts are offered", () => {
  it("asks once for the first composer, then follows a later refresh (focus, a save)", async () => {
    const s = server();
    const offered = new DraftsOffered(s.ask);
    const seen: boolean[] = [];
    offered.subscribe(() => seen.push(offered.value));
    offered.ensure();
    offered.ensure();
    expect(s.pending).toHaveLength(1);
    s.pending[0]?.resolve(true);
    await settle();
    expect(offered.value).toBe(true);

    void offered.refresh();
    s.pending[1]?.resolve(false);
    await settle();
    expect(offered.value).toBe(false);
    expect(seen).toEqual([true, false]);
  });

  it("asks again after an answer that may predate a save, and keeps what it knew on failure", async () => {
    const s = server();
    const offered = new DraftsOffered(s.ask);
    const first = offered.refresh();
    const second = offered.refresh(); // the admin saved while the first ask was on its way
    expect(s.pending).toHaveLength(1);
    s.pending[0]?.resolve(false);
    await settle();
    expect(s.pending).toHaveLength(2);
    s.pending[1]?.resolve(true);
    await Promise.all([first, second]);
    expect(offered.value).toBe(true);

    const failed = offered.refresh();
    s.pending[2]?.reject(new Error("offline"));
    await failed;
    expect(offered.value).toBe(true);
  });
});
