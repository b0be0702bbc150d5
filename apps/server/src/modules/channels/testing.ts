import { randomBytes } from "node:crypto";
import type { PlatformId, StoreCredentials } from "@yunxi/contracts";
import { realtimeChannel } from "@yunxi/contracts";
import { io, type Socket } from "socket.io-client";
import { ApiClient } from "../../../test/api-client.ts";
import { startTestServer, type TestServer } from "../../../test/harness.ts";
import { randomToken } from "../../platform/crypto.ts";
import { createOrg, createUser } from "../identity/index.ts";
import { assertStoresInOrg, createStore } from "../stores/index.ts";

/** Test support for the own-channel suites: a server with one org, an agent, and stores of the channels. */
export interface ChannelWorld {
  t: TestServer;
  orgId: string;
  agent: ApiClient;
  stores: Record<string, { id: string; storeKey: string; appSecret: string }>;
  close(): Promise<void>;
}

export interface ChannelStoreSpec {
  key: string;
  platform: PlatformId;
  name: string;
  sellerId?: string;
  storeKey?: string;
  /** Given, or computed once the server runs (e.g. a relay that needs the server's SMTP port). */
  credentials?: Partial<StoreCredentials> | ((t: TestServer) => Promise<Partial<StoreCredentials>>);
}

export async function startChannelWorld(
  specs: ChannelStoreSpec[],
  env: Record<string, string> = {},
): Promise<ChannelWorld> {
  const t = await startTestServer({ env });
  const ctx = t.server.ctx;
  const org = await createOrg(ctx, { name: "渠道测试公司" });
  const stores: ChannelWorld["stores"] = {};
  for (const spec of specs) {
    const appSecret = randomBytes(16).toString("hex");
    const storeKey = spec.storeKey ?? randomToken(12);
    const extra = typeof spec.credentials === "function" ? await spec.credentials(t) : spec.credentials;
    const row = await createStore(ctx, null, org.id, {
      platform: spec.platform,
      name: spec.name,
      storeKey,
      gatewayUrl: t.url,
      sellerId: spec.sellerId ?? `${spec.key}@shop.example`,
      credentials: { appKey: spec.key, appSecret, ...extra },
    });
    stores[spec.key] = { id: row.id, storeKey, appSecret };
  }
  const password = randomToken(9);
  await createUser(
    ctx,
    org.id,
    {
      email: "agent@channels.test",
      name: "小美",
      role: "agent",
      password,
      storeIds: Object.values(stores).map((s) => s.id),
    },
    null,
    assertStoresInOrg,
  );
  const agent = await new ApiClient(t.url).login("agent@channels.test", password);
  return { t, orgId: org.id, agent, stores, close: () => t.close() };
}

/** The agents' gateway socket of a logged-in client, resolved once it is in its rooms. */
export async function connectAgent(url: string, client: ApiClient): Promise<Socket> {
  const socket = io(url, {
    transports: ["websocket"],
    extraHeaders: { cookie: client.cookie },
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once(realtimeChannel.synced, () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

/** The conversation of this buyer as the agent's inbox lists it. */
export async function conversationOf(client: ApiClient, displayName: string) {
  const list = await client.get("/api/conversations");
  return list.body.items.find((c: { customer: { displayName: string } }) => c.customer.displayName === displayName);
}

export async function messagesOf(client: ApiClient, conversationId: string) {
  return (await client.get(`/api/conversations/${conversationId}/messages`)).body.items as Array<{
    id: string;
    direction: string;
    kind: string;
    body: string;
    deliveryStatus: string | null;
    deliveryAttempts: number;
    deliveryError: string | null;
    attachment?: { type: string; url?: string } | null;
    platformMessageId: string | null;
  }>;
}
