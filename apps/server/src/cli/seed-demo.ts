import { randomBytes } from "node:crypto";
import type { Role } from "@yunxi/contracts";
import { createOrg, createUser } from "../modules/identity/index.ts";
import { assertStoresInOrg, createStore } from "../modules/stores/index.ts";
import type { AppContext } from "../platform/context.ts";
import { randomToken } from "../platform/crypto.ts";

/** A demo store as both sides know it: Yunxi stores it encrypted, the simulator plays its platform. */
export interface DemoStoreConfig {
  platform: "taobao";
  name: string;
  storeKey: string;
  sellerId: string;
  appKey: string;
  appSecret: string;
  accessToken: string;
}

export interface DemoStore extends DemoStoreConfig {
  id: string;
}

/** Fresh keys and secrets for the two demo Taobao stores. */
export function demoStoreConfigs(): DemoStoreConfig[] {
  return [
    ["旗舰店", "云席旗舰店"],
    ["折扣店", "云席折扣店"],
  ].map(([name, sellerId]) => ({
    platform: "taobao",
    name: name!,
    sellerId: sellerId!,
    storeKey: randomToken(12),
    appKey: String(20_000_000 + randomBytes(3).readUIntBE(0, 3)),
    appSecret: randomBytes(16).toString("hex"),
    accessToken: `6100${randomBytes(20).toString("hex")}`,
  }));
}

export interface DemoSeed {
  orgId: string;
  logins: { email: string; password: string; role: Role; name: string; stores: string[] }[];
  stores: DemoStore[];
}

/**
 * The demo organisation: an owner, a supervisor, three agents and two Taobao
 * stores whose gateway is the simulator. agent1 serves the flagship store, agent2
 * the outlet, agent3 both. Passwords are random and returned to be printed.
 */
export async function seedDemoOrg(
  ctx: AppContext,
  options: { gatewayUrl: string; stores?: DemoStoreConfig[]; orgName?: string; emailDomain?: string },
): Promise<DemoSeed> {
  const domain = options.emailDomain ?? "demo.yunxi.local";
  const org = await createOrg(ctx, { name: options.orgName ?? "云席演示公司" });
  const stores: DemoStore[] = [];
  for (const config of options.stores ?? demoStoreConfigs()) {
    const { appKey, appSecret, accessToken } = config;
    const store = await createStore(ctx, null, org.id, {
      platform: config.platform,
      name: config.name,
      storeKey: config.storeKey,
      gatewayUrl: options.gatewayUrl,
      sellerId: config.sellerId,
      credentials: { appKey, appSecret, accessToken },
    });
    stores.push({ ...config, id: store.id });
  }
  const [flagship, outlet] = stores as [DemoStore, DemoStore];
  const people: { key: string; name: string; role: Role; stores: DemoStore[] }[] = [
    { key: "owner", name: "王老板", role: "owner", stores: [] },
    { key: "supervisor", name: "李主管", role: "supervisor", stores: [] },
    { key: "agent1", name: "小美", role: "agent", stores: [flagship] },
    { key: "agent2", name: "小刚", role: "agent", stores: [outlet] },
    { key: "agent3", name: "小雪", role: "agent", stores: [flagship, outlet] },
  ];
  const logins: DemoSeed["logins"] = [];
  for (const p of people) {
    const password = randomToken(9);
    const email = `${p.key}@${domain}`;
    await createUser(
      ctx,
      org.id,
      { email, name: p.name, role: p.role, password, storeIds: p.stores.map((s) => s.id) },
      null,
      assertStoresInOrg,
    );
    logins.push({ email, password, role: p.role, name: p.name, stores: p.stores.map((s) => s.name) });
  }
  return { orgId: org.id, logins, stores };
}
