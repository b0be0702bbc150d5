import type { DemoWorld } from "../../apps/server/test/demo-world.ts";

/**
 * agent1 the only agent online for the flagship (agent3, who serves it too, goes offline):
 * the router gives the flagship's new buyers to agent1, the agent the browser signs in as.
 */
export async function routeFlagshipToAgent1(w: DemoWorld): Promise<void> {
  for (const [key, status] of [
    ["agent3", "offline"],
    ["agent1", "online"],
  ] as const) {
    const client = await w.login(key);
    const set = await client.request("PUT", "/api/agents/me/status", { status });
    if (set.status !== 200) throw new Error(`${key} ${status}: ${set.status} ${JSON.stringify(set.body)}`);
  }
}
