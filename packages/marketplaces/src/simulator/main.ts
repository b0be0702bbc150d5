import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { demoStores, SimulatorConfigFile, type SimulatorOptions } from "./options.ts";
import { createSimulator } from "./simulator.ts";

/**
 * Runs the marketplace simulator on its own:
 *   node packages/marketplaces/src/simulator/main.ts [--port 4100] [--seed 1]
 *     [--yunxi-url http://127.0.0.1:3000] [--config sim.json] [--rate 30]
 * Environment: PORT, HOST, SEED, YUNXI_URL, SIM_CONFIG, RATE_PER_MINUTE (flags win).
 * Without a config it plays the demo Taobao store (options.ts, demoStores).
 */

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    seed: { type: "string" },
    "yunxi-url": { type: "string" },
    config: { type: "string" },
    rate: { type: "string" },
  },
});

const configPath = values.config ?? process.env.SIM_CONFIG;
const file = configPath ? SimulatorConfigFile.parse(JSON.parse(readFileSync(configPath, "utf8"))) : undefined;
const number = (value: string | undefined) => (value === undefined || value === "" ? undefined : Number(value));

const options: SimulatorOptions = {
  port: number(values.port ?? process.env.PORT) ?? 4100,
  host: values.host ?? process.env.HOST ?? "127.0.0.1",
  seed: number(values.seed ?? process.env.SEED) ?? file?.seed ?? 1,
  yunxiUrl: values["yunxi-url"] ?? process.env.YUNXI_URL ?? file?.yunxiUrl,
  ratePerMinute: number(values.rate ?? process.env.RATE_PER_MINUTE) ?? file?.ratePerMinute ?? 0,
  pushRetryMs: file?.pushRetryMs,
  stores: file?.stores ?? demoStores,
  logger: process.env.SIM_LOG === "1",
};

const sim = createSimulator(options);
await sim.start();
const state = sim.state();
console.log(`云席 marketplace simulator: ${sim.url}  (control page ${sim.url}/sim/)`);
console.log(
  `  seed ${state.seed}, ${state.ratePerMinute} msg/min, pushing to ${state.yunxiUrl ?? "(nowhere yet: PUT /sim/api/yunxi-url)"}`,
);
for (const store of state.stores)
  console.log(`  ${store.platform} ${store.storeKey} ${store.name} (app_key ${store.appKey})`);

const shutdown = () => {
  void sim.stop().then(() => process.exit(0));
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
