/**
 * The simulator's own maximum push rate: the real simulator (world, push queue, every
 * marketplace's encoder and signature, node:http keep-alive) pushing buyer messages as fast as
 * it can to a receiver in another process that only answers 200. Any figure measured with the
 * simulator as the load (the demo, the crash test, load profiles) cannot exceed this; a figure
 * close to it says more about the simulator than about Yunxi.
 */
import { fork } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createSimulator } from "@yunxi/marketplaces/simulator";
import { allMarketplaceStoreConfigs } from "../apps/server/src/cli/seed-demo.ts";

export interface SimulatorCeiling {
  seconds: number;
  maxInFlight: number;
  /** Pushes acknowledged by the receiver per second. */
  perSecond: number;
  acknowledged: number;
  /** CPU of the simulator's process per acknowledged push, and in cores over the phase. */
  simulatorCpuMsPerPush: number;
  simulatorCores: number;
  /** The receiver's CPU in cores: near 1, and it may be what limits the figure. */
  receiverCores: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const round2 = (n: number) => Math.round(n * 100) / 100;

export async function simulatorCeiling(options: { seconds: number; maxInFlight: number }): Promise<SimulatorCeiling> {
  const receiver = fork(new URL("./trivial-receiver.ts", import.meta.url), [], { stdio: "inherit" });
  const ask = <T>(message: string | null, key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (!(key in m)) return;
        receiver.off("message", onMessage);
        resolve(m[key] as T);
      };
      receiver.on("message", onMessage);
      receiver.once("error", reject);
      if (message) receiver.send(message);
    });
  const port = await ask<number>(null, "port");
  const stores = allMarketplaceStoreConfigs();
  const sim = createSimulator({
    port: 0,
    seed: 11,
    stores,
    ratePerMinute: 0,
    maxPushesInFlight: options.maxInFlight,
    yunxiUrl: `http://127.0.0.1:${port}`,
  });
  await sim.start();
  try {
    let n = 0;
    const say = () => {
      const store = stores[n % stores.length]!;
      sim.say({ storeKey: store.storeKey, buyerNick: `${store.platform}_压测买家${n % 200}`, text: `在吗 #${n++}` });
    };
    // Keep a backlog so the push queue always has work; count what is acknowledged in the window.
    const backlog = options.maxInFlight * 4;
    const topUp = () => {
      const { pending } = sim.state().counts;
      for (let i = pending; i < backlog; i++) say();
    };
    topUp();
    await sleep(500); // warm-up: connections, JIT
    const acked0 = sim.state().counts.acked;
    const cpu0 = process.cpuUsage();
    const receiverCpu0 = await ask<number>("cpu", "cpuMs");
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    while (performance.now() < deadline) {
      topUp();
      await sleep(2);
    }
    const elapsedMs = performance.now() - started;
    const acknowledged = sim.state().counts.acked - acked0;
    const cpu = process.cpuUsage(cpu0);
    const receiverCpuMs = (await ask<number>("cpu", "cpuMs")) - receiverCpu0;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return {
      seconds: round2(elapsedMs / 1000),
      maxInFlight: options.maxInFlight,
      perSecond: Math.round((acknowledged * 1000) / elapsedMs),
      acknowledged,
      simulatorCpuMsPerPush: round2(cpuMs / Math.max(1, acknowledged)),
      simulatorCores: round2(cpuMs / elapsedMs),
      receiverCores: round2(receiverCpuMs / elapsedMs),
    };
  } finally {
    await sim.stop();
    receiver.send("stop");
    await new Promise<void>((resolve) => receiver.once("exit", () => resolve()));
  }
}
