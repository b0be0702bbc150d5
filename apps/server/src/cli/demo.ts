import fs from "node:fs";
import path from "node:path";
import { createSimulator } from "@yunxi/marketplaces/simulator";
import { createOwnChannelCrowd, shopPageHtml } from "@yunxi/marketplaces/simulator/channels";
import { createServer } from "../main.ts";
import { enableDefaultRules } from "../modules/assist/autoreply/index.ts";
import { loadConfig } from "../platform/config.ts";
import { allMarketplaceStoreConfigs, type DemoSeed, ownChannelConfigs, seedDemoOrg } from "./seed-demo.ts";

/**
 * `npm start`: Yunxi on its embedded defaults with live buyers on every channel.
 * The marketplace simulator runs as its own HTTP server speaking each platform's
 * protocol (Taobao, JD, Pinduoduo, Douyin, Kuaishou) both ways; web-chat visitors
 * use the real widget API and e-mail buyers real SMTP. The demo org is seeded once
 * and its logins kept in DATA_DIR/demo.json, so a restart keeps data and passwords.
 */
const config = loadConfig({ LOG_LEVEL: "warn", SMTP_PORT: "2525", ...process.env });
const demoFile = path.join(config.dataDir, "demo.json");
const simPort = Number(process.env.SIM_PORT ?? 4100);
const simRate = Number(process.env.SIM_RATE ?? 12);
const relay = { host: "127.0.0.1", port: Number(process.env.SIM_MAIL_RELAY_PORT ?? 4125) };

const existing: DemoSeed | undefined = fs.existsSync(demoFile)
  ? JSON.parse(fs.readFileSync(demoFile, "utf8"))
  : undefined;
const storeConfigs = existing?.stores ?? allMarketplaceStoreConfigs();
const channelConfigs = existing?.channels ?? ownChannelConfigs(relay);

const webchat = channelConfigs.find((c) => c.platform === "webchat");
const mailbox = channelConfigs.find((c) => c.platform === "email");
let yunxiUrl = "";
const sim = createSimulator({
  port: simPort,
  seed: Number(process.env.SIM_SEED ?? 1),
  stores: storeConfigs,
  ratePerMinute: simRate,
  // Orders move 60× faster than real time, so a demo hour shows payment, shipping and delivery.
  timeScale: Number(process.env.SIM_TIME_SCALE ?? 60),
  pages: webchat ? { "/sim/shop.html": () => shopPageHtml({ yunxiUrl, storeKey: webchat.storeKey }) } : {},
});
await sim.start();

const server = await createServer(config);
let demo = existing;
if (!demo) {
  demo = await seedDemoOrg(server.ctx, {
    gatewayUrl: sim.url,
    stores: storeConfigs,
    channels: channelConfigs,
    // The e-mail buyers' provider (started with the crowd below) also takes the scheduled reports.
    ...(mailbox && config.smtpPort !== undefined && { reportRelay: relay }),
  });
  // The demo's marketplace stores answer 什么时候发货 / 物流到哪了 from the simulator's real orders.
  await enableDefaultRules(
    server.ctx.db,
    demo.orgId,
    demo.stores.map((s) => s.id),
  );
  fs.writeFileSync(demoFile, JSON.stringify(demo, null, 2), { mode: 0o600 });
}
const url = await server.listen();
yunxiUrl = url;
sim.setYunxiUrl(url);

const crowd = createOwnChannelCrowd({
  yunxiUrl: url,
  seed: Number(process.env.SIM_SEED ?? 1),
  ratePerMinute: Math.max(1, Math.round(simRate / 6)),
  ...(webchat && { webchat: { storeKey: webchat.storeKey } }),
  ...(mailbox &&
    config.smtpPort !== undefined && {
      email: {
        mailbox: `${mailbox.storeKey}@mail.yunxi.local`,
        yunxiSmtp: { host: config.smtpHost, port: config.smtpPort },
        relayPort: relay.port,
      },
    }),
});
await crowd.start();

const shown = config.publicUrl.startsWith("http://127.0.0.1") ? url : config.publicUrl;
const lines = [
  "",
  "  云席 Yunxi is running — 多平台客服工作台",
  "",
  `  Open:       ${shown}`,
  `  API docs:   ${shown}/docs`,
  `  Simulator:  ${sim.url}/sim/   (淘宝 京东 拼多多 抖音 快手 buyers, ${simRate} new buyers/min; SIM_RATE to change)`,
  ...(webchat ? [`  Web chat:   ${sim.url}/sim/shop.html   (the widget on a demo shop page)`] : []),
  ...(mailbox && config.smtpPort !== undefined
    ? [
        `  E-mail:     send to ${mailbox.storeKey}@mail.yunxi.local via SMTP 127.0.0.1:${config.smtpPort}`,
        `  Reports:    定时报表 每日运营日报 09:00 → the simulator's mail relay 127.0.0.1:${relay.port} (管理后台 → 定时报表)`,
      ]
    : []),
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
    void Promise.allSettled([crowd.stop(), sim.stop()])
      .then(() => server.close())
      .then(() => process.exit(0));
  });
}
