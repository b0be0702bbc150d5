import { randomBytes } from "node:crypto";
import { type PlatformId, type Role, type StoreCredentials, storeLabel } from "@yunxi/contracts";
import { seedExampleSchedule } from "../modules/analytics/index.ts";
import { createOrg, createUser } from "../modules/identity/index.ts";
import { seedWorkspace, setAgentStatus, suggestedPriorityRules } from "../modules/inbox/index.ts";
import { assertStoresInOrg, createStore } from "../modules/stores/index.ts";
import type { AppContext } from "../platform/context.ts";
import { randomToken } from "../platform/crypto.ts";

type Marketplace = "taobao" | "jd" | "pdd" | "douyin" | "kuaishou";
type AgentKey = "agent1" | "agent2" | "agent3";

/** A demo marketplace store as both sides know it: Yunxi keeps it encrypted, the simulator plays its platform. */
export interface DemoStoreConfig {
  platform: Marketplace;
  name: string;
  storeKey: string;
  sellerId: string;
  appKey: string;
  appSecret: string;
  accessToken: string;
  /** Kuaishou signs API calls with a secret of its own. */
  signSecret?: string;
  /** The agents who serve this store (supervisors and above see every store). */
  servedBy?: AgentKey[];
}

/** One of Yunxi's own channels in the demo: the web chat widget or a mailbox. */
export interface DemoChannelConfig {
  platform: "webchat" | "email";
  name: string;
  storeKey: string;
  appKey: string;
  appSecret: string;
  smtp?: StoreCredentials["smtp"];
  servedBy?: AgentKey[];
}

export interface DemoStore extends DemoStoreConfig {
  id: string;
}

function marketplaceStore(
  platform: Marketplace,
  name: string,
  sellerId: string,
  servedBy: AgentKey[],
): DemoStoreConfig {
  return {
    platform,
    name,
    sellerId,
    servedBy,
    storeKey: randomToken(12),
    appKey: String(20_000_000 + randomBytes(3).readUIntBE(0, 3)),
    appSecret: randomBytes(16).toString("hex"),
    accessToken: `6100${randomBytes(20).toString("hex")}`,
    ...(platform === "kuaishou" && { signSecret: randomBytes(16).toString("hex") }),
  };
}

/** Fresh keys and secrets for two Taobao stores: what the tests run on. */
export function demoStoreConfigs(): DemoStoreConfig[] {
  return [
    marketplaceStore("taobao", "旗舰店", "云席旗舰店", ["agent1", "agent3"]),
    marketplaceStore("taobao", "折扣店", "云席折扣店", ["agent2", "agent3"]),
  ];
}

/** Every marketplace for `npm start`: agent1 the Alibaba/JD/PDD side, agent2 the live-stream side, agent3 all. */
export function allMarketplaceStoreConfigs(): DemoStoreConfig[] {
  return [
    ...demoStoreConfigs(),
    marketplaceStore("jd", "自营旗舰店", "10086001", ["agent1", "agent3"]),
    marketplaceStore("pdd", "品牌店", "663200", ["agent1", "agent3"]),
    marketplaceStore("douyin", "小店", "4463799", ["agent2", "agent3"]),
    marketplaceStore("kuaishou", "直播店", "88120001", ["agent2", "agent3"]),
  ];
}

/** The web chat widget and a service mailbox for `npm start`. */
export function ownChannelConfigs(relay: { host: string; port: number }): DemoChannelConfig[] {
  const secret = () => randomBytes(16).toString("hex");
  return [
    {
      platform: "webchat",
      name: "商城",
      storeKey: randomToken(12),
      appKey: "webchat",
      appSecret: secret(),
      servedBy: ["agent3"],
    },
    {
      platform: "email",
      name: "客服邮箱",
      storeKey: randomToken(12),
      appKey: "email",
      appSecret: secret(),
      smtp: { host: relay.host, port: relay.port },
      servedBy: ["agent3"],
    },
  ];
}

export interface DemoSeed {
  orgId: string;
  logins: { email: string; password: string; role: Role; name: string; stores: string[] }[];
  stores: DemoStore[];
  channels?: (DemoChannelConfig & { id: string })[];
}

/**
 * The demo organisation: an owner, a supervisor, three agents and the given
 * stores (by default two Taobao stores whose gateway is the simulator: agent1
 * serves the flagship, agent2 the outlet, agent3 both). Passwords are random and
 * returned to be printed.
 */
export async function seedDemoOrg(
  ctx: AppContext,
  options: {
    gatewayUrl: string;
    stores?: DemoStoreConfig[];
    channels?: DemoChannelConfig[];
    orgName?: string;
    emailDomain?: string;
    /** An SMTP relay for scheduled reports (the simulator's mail provider): 每日运营日报 09:00 is set up through it. */
    reportRelay?: { host: string; port: number };
  },
): Promise<DemoSeed> {
  const domain = options.emailDomain ?? "demo.yunxi.local";
  const org = await createOrg(ctx, { name: options.orgName ?? "云席演示公司" });
  const stores: DemoStore[] = [];
  for (const config of options.stores ?? demoStoreConfigs()) {
    const { appKey, appSecret, accessToken, signSecret } = config;
    const store = await createStore(ctx, null, org.id, {
      platform: config.platform,
      name: config.name,
      storeKey: config.storeKey,
      gatewayUrl: options.gatewayUrl,
      sellerId: config.sellerId,
      credentials: { appKey, appSecret, accessToken, ...(signSecret && { signSecret }) },
    });
    stores.push({ ...config, id: store.id });
  }
  const channels: (DemoChannelConfig & { id: string })[] = [];
  for (const config of options.channels ?? []) {
    const store = await createStore(ctx, null, org.id, {
      platform: config.platform,
      name: config.name,
      storeKey: config.storeKey,
      gatewayUrl: options.gatewayUrl,
      sellerId: config.name,
      credentials: { appKey: config.appKey, appSecret: config.appSecret, ...(config.smtp && { smtp: config.smtp }) },
    });
    channels.push({ ...config, id: store.id });
  }
  const all = [...stores, ...channels];
  const servedBy = (agent: AgentKey) => all.filter((s) => s.servedBy?.includes(agent));
  const people: { key: string; name: string; role: Role; stores: { id: string; name: string; platform: string }[] }[] =
    [
      { key: "owner", name: "王老板", role: "owner", stores: [] },
      { key: "supervisor", name: "李主管", role: "supervisor", stores: [] },
      { key: "agent1", name: "小美", role: "agent", stores: servedBy("agent1") },
      { key: "agent2", name: "小刚", role: "agent", stores: servedBy("agent2") },
      { key: "agent3", name: "小雪", role: "agent", stores: servedBy("agent3") },
    ];
  const logins: DemoSeed["logins"] = [];
  const userIds = new Map<string, string>();
  for (const p of people) {
    const password = randomToken(9);
    const email = `${p.key}@${domain}`;
    const user = await createUser(
      ctx,
      org.id,
      { email, name: p.name, role: p.role, password, storeIds: p.stores.map((s) => s.id) },
      null,
      assertStoresInOrg,
    );
    userIds.set(p.key, user.id);
    logins.push({
      email,
      password,
      role: p.role,
      name: p.name,
      stores: p.stores.map((s) => storeLabel(s.platform as PlatformId, s.name)),
    });
  }
  await seedDemoWorkspace(ctx, org.id, all, userIds);
  if (options.reportRelay) await seedExampleSchedule(ctx, org.id, options.reportRelay, `ops@${domain}`);
  return { orgId: org.id, logins, stores, channels };
}

/**
 * The demo's workspace: an after-sales group and a live-stream group, both led by the
 * supervisor (who thus sees every agent's figures); Douyin and
 * Kuaishou (live-stream spikes) go round-robin to the live-stream group and overflow
 * to the after-sales group after a minute (peak mode); marketplaces' 3-minute reply
 * target; the suggested priority rules (after-sales and complaints first). Agents
 * start online so conversations are routed from the first minute; idle ones turn
 * away by themselves.
 */
async function seedDemoWorkspace(
  ctx: AppContext,
  orgId: string,
  stores: { id: string; platform: string }[],
  userIds: Map<string, string>,
): Promise<void> {
  const id = (key: string) => userIds.get(key)!;
  const live = stores.filter((s) => s.platform === "douyin" || s.platform === "kuaishou");
  await seedWorkspace(ctx, orgId, {
    // 李主管 leads both groups: a supervisor's figures are their groups' (the whole centre here).
    groups: [
      { name: "售后组", memberIds: [id("agent1"), id("agent3"), id("supervisor")] },
      { name: "直播组", memberIds: [id("agent2"), id("supervisor")] },
    ],
    routing: live.map((s) => ({
      storeId: s.id,
      strategy: "round_robin",
      group: "直播组",
      overflowGroup: "售后组",
      overflowAfterSeconds: 60,
    })),
    rules: suggestedPriorityRules,
  });
  for (const key of ["agent1", "agent2", "agent3"]) {
    await setAgentStatus(ctx, orgId, id(key), "online", { actorId: null, reason: "demo" });
  }
}
