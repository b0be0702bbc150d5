import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { demoStores, SimulatorConfigFile, type SimulatorOptions } from "./options.ts";
import { ProfileName } from "./profiles.ts";
import { createSimulator, personalities } from "./simulator.ts";

/**
 * Runs the marketplace simulator on its own:
 *   node packages/marketplaces/src/simulator/main.ts [--port 4100] [--seed 1]
 *     [--yunxi-url http://127.0.0.1:3000] [--config sim.json] [--rate 30]
 *     [--time-scale 60] [--patience-scale 1] [--profile steady|livestream|double11]
 * Environment: PORT, HOST, SEED, YUNXI_URL, SIM_CONFIG, RATE_PER_MINUTE,
 * TIME_SCALE, PATIENCE_SCALE, PROFILE (flags win).
 * Without a config it plays the demo stores (options.ts, demoStores) of every
 * platform it can play.
 */

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    seed: { type: "string" },
    "yunxi-url": { type: "string" },
    config: { type: "string" },
    rate: { type: "string" },
    "time-scale": { type: "string" },
    "patience-scale": { type: "string" },
    profile: { type: "string" },
  },
});

const configPath = values.config ?? process.env.SIM_CONFIG;
const file = configPath ? SimulatorConfigFile.parse(JSON.parse(readFileSync(configPath, "utf8"))) : undefined;
const number = (value: string | undefined) => (value === undefined || value === "" ? undefined : Number(value));
const profile = values.profile ?? process.env.PROFILE;

const options: SimulatorOptions = {
  port: number(values.port ?? process.env.PORT) ?? 4100,
  host: values.host ?? process.env.HOST ?? "127.0.0.1",
  seed: number(values.seed ?? process.env.SEED) ?? file?.seed ?? 1,
  yunxiUrl: values["yunxi-url"] ?? process.env.YUNXI_URL ?? file?.yunxiUrl,
  ratePerMinute: number(values.rate ?? process.env.RATE_PER_MINUTE) ?? file?.ratePerMinute ?? 0,
  timeScale: number(values["time-scale"] ?? process.env.TIME_SCALE) ?? file?.timeScale ?? 1,
  patienceScale: number(values["patience-scale"] ?? process.env.PATIENCE_SCALE) ?? file?.patienceScale ?? 1,
  profile: profile ? ProfileName.parse(profile) : (file?.profile ?? "steady"),
  pushRetryMs: file?.pushRetryMs,
  stores: file?.stores ?? demoStores.filter((s) => personalities[s.platform]),
  logger: process.env.SIM_LOG === "1",
};

const sim = createSimulator(options);
await sim.start();
const state = sim.state();
console.log(`云席 marketplace simulator: ${sim.url}  (control page ${sim.url}/sim/)`);
console.log(
  `  seed ${state.seed}, ${state.ratePerMinute} visits/min, profile ${state.profile.name}, time ×${state.timeScale}, pushing to ${state.yunxiUrl ?? "(nowhere yet: PUT /sim/api/yunxi-url)"}`,
);
for (const store of state.stores)
  console.log(`  ${store.platform} ${store.storeKey} ${store.name} (app_key ${store.appKey})`);

const shutdown = () => {
  void sim.stop().then(() => process.exit(0));
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
