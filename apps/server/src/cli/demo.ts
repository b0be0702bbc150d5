import fs from "node:fs";
import path from "node:path";
import { createSimulator } from "@yunxi/marketplaces/simulator";
import { createServer } from "../main.ts";
import { loadConfig } from "../platform/config.ts";
import { type DemoSeed, type DemoStoreConfig, demoStoreConfigs, seedDemoOrg } from "./seed-demo.ts";

/**
 * `npm start`: Yunxi on its embedded defaults with live buyers. The marketplace
 * simulator runs as its own HTTP server (real Taobao-protocol traffic both ways);
 * the demo org is seeded once and its logins kept in DATA_DIR/demo.json, so a
 * restart keeps the data and the same passwords.
 */
interface DemoFile extends DemoSeed {
  stores: DemoSeed["stores"];
}

const config = loadConfig({ LOG_LEVEL: "warn", ...process.env });
const demoFile = path.join(config.dataDir, "demo.json");
const simPort = Number(process.env.SIM_PORT ?? 4100);
const simRate = Number(process.env.SIM_RATE ?? 12);

const existing: DemoFile | undefined = fs.existsSync(demoFile)
  ? JSON.parse(fs.readFileSync(demoFile, "utf8"))
  : undefined;
const storeConfigs: DemoStoreConfig[] = existing?.stores ?? demoStoreConfigs();

const sim = createSimulator({
  port: simPort,
  seed: Number(process.env.SIM_SEED ?? 1),
  stores: storeConfigs,
  ratePerMinute: simRate,
});
await sim.start();

const server = await createServer(config);
let demo = existing;
if (!demo) {
  demo = await seedDemoOrg(server.ctx, { gatewayUrl: sim.url, stores: storeConfigs });
  fs.writeFileSync(demoFile, JSON.stringify(demo, null, 2), { mode: 0o600 });
}
const url = await server.listen();
sim.setYunxiUrl(url);

const shown = config.publicUrl.startsWith("http://127.0.0.1") ? url : config.publicUrl;
const lines = [
  "",
  "  云席 Yunxi is running — 多平台客服工作台",
  "",
  `  Open:       ${shown}`,
  `  API docs:   ${shown}/docs`,
  `  Simulator:  ${sim.url}/sim/   (Taobao buyers, ${simRate} messages/min; SIM_RATE to change)`,
  `  Database:   ${server.ctx.dbKind === "pglite" ? `PGlite in ${config.dataDir}` : "PostgreSQL (DATABASE_URL)"}`,
  "",
  `  Demo logins (also in ${demoFile}):`,
  ...demo.logins.map(
    (l) =>
      `    ${l.role.padEnd(10)} ${l.email.padEnd(30)} ${l.password}   ${l.name}${l.stores.length ? `  (${l.stores.join("、")})` : ""}`,
  ),
  "",
];
console.log(lines.join("\n"));

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("\n  Stopping: finishing in-flight requests and jobs…");
    void Promise.allSettled([sim.stop(), server.close()]).then(() => process.exit(0));
  });
}
