/**
 * Workspace UI benchmark, in Chromium: the conversation list with 2,000 open conversations.
 *
 *   node bench/workspace-ui.ts [--conversations 2000] [--switches 30] [--loads 5]
 *
 * One server (PGlite) with the demo org on every marketplace; `--conversations` open
 * conversations spread over its stores, written through the server's own ingest. The
 * supervisor (who sees every store) signs in in headless Chromium (1440×900), then:
 *   1. list render: reload the workspace `--loads` times; time from navigation start to the list
 *      showing every conversation (the count reads the total and the first rows are painted);
 *   2. store switch: `--switches` times, pick a store in the store filter; time from the click on
 *      the option to the frame in which every visible row belongs to that store and the count is
 *      that store's. Measured inside the page (performance.now, checked on each animation frame),
 *      so the driver's round trips are not counted;
 *   3. baseline: the same procedure re-selecting the store already selected (nothing to filter):
 *      what opening a dropdown and clicking costs on this machine at this moment.
 * Reported: p50/p95 of each, and the switch/baseline ratio of medians.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "playwright-core";

const { values: args } = parseArgs({
  options: {
    conversations: { type: "string", default: "2000" },
    switches: { type: "string", default: "30" },
    loads: { type: "string", default: "5" },
  },
});
const CONVERSATIONS = Number(args.conversations);
const round1 = (n: number) => Math.round(n * 10) / 10;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return round1(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!);
};

const repoRoot = path.resolve(import.meta.dirname, "..");
if (!fs.existsSync(path.join(repoRoot, "apps/web/dist/index.html"))) {
  console.error("apps/web/dist is missing: run `npm run build` first");
  process.exit(1);
}

const { allMarketplaceStoreConfigs, seedDemoOrg } = await import("../apps/server/src/cli/seed-demo.ts");
const { createServer } = await import("../apps/server/src/main.ts");
const { loadConfig } = await import("../apps/server/src/platform/config.ts");
const { ingestInbound } = await import("../apps/server/src/modules/inbox/index.ts");

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yunxi-bench-ui-"));
const server = await createServer(
  loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    SECRET_KEY: randomBytes(32).toString("hex"),
    WORKER_CONCURRENCY: "0", // no routing while measuring: the list is what is measured
  }),
);
const url = await server.listen();
const demo = await seedDemoOrg(server.ctx, { gatewayUrl: "http://127.0.0.1:9", stores: allMarketplaceStoreConfigs() });
const stores = demo.stores.map((s) => ({ id: s.id, orgId: demo.orgId, platform: s.platform, name: s.name }));
for (let i = 0; i < CONVERSATIONS; i += 100) {
  const store = stores[(i / 100) % stores.length]!;
  await ingestInbound(
    server.ctx,
    store,
    Array.from({ length: Math.min(100, CONVERSATIONS - i) }, (_, k) => ({
      kind: "message" as const,
      platformMessageId: `ui-${i + k}`,
      buyer: { platformBuyerId: `buyer_${i + k}`, displayName: `买家${i + k}` },
      content: { type: "text" as const, text: `第${i + k}位买家：这款还有货吗？什么时候发货` },
      sentAt: new Date(Date.now() - (i + k) * 1000),
    })),
  );
}
const perStore = new Map<string, number>();
for (let i = 0; i < CONVERSATIONS; i += 100) {
  const id = stores[(i / 100) % stores.length]!.id;
  perStore.set(id, (perStore.get(id) ?? 0) + Math.min(100, CONVERSATIONS - i));
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
const page = await context.newPage();
const sup = demo.logins.find((l) => l.role === "supervisor")!;
await page.goto(url);
await page.getByTestId("login-email").fill(sup.email);
await page.getByTestId("login-password").fill(sup.password);
await page.getByTestId("login-submit").click();
await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor();

/** Resolves on the first animation frame in which `check` holds; the time from `since`. */
const frameWhen = (p: Page, check: string, since: string) =>
  p.evaluate(
    ({ check, since }) =>
      new Promise<number>((resolve, reject) => {
        const started = (globalThis as unknown as Record<string, number>)[since]!;
        const test = new Function(`return (${check})`) as () => boolean;
        const deadline = performance.now() + 30_000;
        const tick = () => {
          if (test()) return resolve(performance.now() - started);
          if (performance.now() > deadline) return reject(new Error(`timed out: ${check}`));
          (globalThis as unknown as { requestAnimationFrame: (f: () => void) => void }).requestAnimationFrame(tick);
        };
        tick();
      }),
    { check, since },
  );

const countIs = (n: number) =>
  `(document.querySelector('[data-testid="conversation-count"]')?.textContent ?? "").includes("${n}")`;

// 1. list render
const loads: number[] = [];
for (let i = 0; i < Number(args.loads); i++) {
  await page.reload();
  await page.evaluate(() => {
    (globalThis as unknown as Record<string, number>).benchStart = 0; // navigation start is time 0
  });
  loads.push(
    await frameWhen(
      page,
      `${countIs(CONVERSATIONS)} && document.querySelectorAll('[data-testid="conversation-item"]').length > 5`,
      "benchStart",
    ),
  );
}

// 2 and 3: store switches and the baseline
async function pickStore(label: string, expectId: string | null, expectCount: number): Promise<number> {
  await page.getByTestId("filter-store").click();
  const option = page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter({ hasText: label });
  await option.first().waitFor();
  // Stamp the time in the page at the click itself.
  await option.first().evaluate((el) => {
    el.addEventListener(
      "click",
      () => {
        (globalThis as unknown as Record<string, number>).benchClick = performance.now();
      },
      { once: true, capture: true },
    );
  });
  await option.first().click();
  const rowsOk =
    expectId === null
      ? "true"
      : `[...document.querySelectorAll('[data-testid="conversation-item"]')].every((e) => e.getAttribute("data-store-id") === "${expectId}") && document.querySelectorAll('[data-testid="conversation-item"]').length > 0`;
  return frameWhen(page, `${rowsOk} && ${countIs(expectCount)}`, "benchClick");
}

const named = demo.stores.map((s) => ({ id: s.id, label: s.name }));
const switches: number[] = [];
const baseline: number[] = [];
for (let i = 0; i < Number(args.switches); i++) {
  const store = named[i % named.length]!;
  switches.push(await pickStore(store.label, store.id, perStore.get(store.id)!));
  baseline.push(await pickStore(store.label, store.id, perStore.get(store.id)!));
}

const cpus = os.cpus();
console.log(
  JSON.stringify({
    machine: {
      cpu: cpus[0]?.model.trim(),
      cores: cpus.length,
      node: process.version,
      chromium: browser.version(),
      loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
    },
    conversations: CONVERSATIONS,
    listRenderMs: { p50: pct(loads, 50), p95: pct(loads, 95), runs: loads.length },
    storeSwitchMs: { p50: pct(switches, 50), p95: pct(switches, 95), runs: switches.length },
    baselineReselectMs: { p50: pct(baseline, 50), p95: pct(baseline, 95) },
    switchOverBaseline: round1(pct(switches, 50) / Math.max(0.1, pct(baseline, 50))),
  }),
);
await browser.close();
await server.close();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
