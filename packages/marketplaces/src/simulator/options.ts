import { PlatformId } from "@yunxi/contracts";
import { z } from "zod";
import type { PlatformPersonality } from "./personality.ts";
import { ProfileName } from "./profiles.ts";

/** A store the simulator plays the platform for. The same values are configured as the store in Yunxi. */
export const SimStoreConfig = z.object({
  platform: PlatformId,
  /** Yunxi's key in the push URL `/connect/<platform>/<storeKey>`. */
  storeKey: z.string().min(1),
  name: z.string().min(1),
  /** Seller account on the platform (the Taobao seller nick). */
  sellerId: z.string().min(1),
  appKey: z.string().min(1),
  appSecret: z.string().min(1),
  accessToken: z.string().min(1),
  /** Kuaishou's request-signing secret, separate from appSecret (which is OAuth only). Default: appSecret. */
  signSecret: z.string().min(1).optional(),
  /** How the simulator signs its pushes (TOP accepts all three). */
  signMethod: z.enum(["md5", "hmac", "hmac-sha256"]).default("hmac-sha256"),
});
export type SimStoreConfig = z.input<typeof SimStoreConfig>;
export type SimStore = z.output<typeof SimStoreConfig>;

/** What a SIM_CONFIG JSON file may hold (flags and env override it). */
export const SimulatorConfigFile = z.object({
  seed: z.number().int().optional(),
  yunxiUrl: z.url().optional(),
  ratePerMinute: z.number().min(0).optional(),
  pushRetryMs: z.number().int().positive().optional(),
  timeScale: z.number().positive().max(100_000).optional(),
  patienceScale: z.number().positive().max(100_000).optional(),
  profile: ProfileName.optional(),
  stores: z.array(SimStoreConfig).min(1),
});

export interface SimulatorOptions {
  /** Extra HTML pages the simulator serves, by path (the demo's shop page with the web chat widget). */
  pages?: Record<string, () => string>;
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seeds catalogue, buyers, orders and generated questions. Default 1. */
  seed?: number;
  /** Base URL of the Yunxi server that receives pushes; pushes wait until it is set. */
  yunxiUrl?: string;
  stores: SimStoreConfig[];
  /**
   * New buyer visits (each opens with a message) per minute across all stores,
   * before the profile's multiplier; follow-ups come on top. 0 = none.
   * Changeable at runtime. Default 0.
   */
  ratePerMinute?: number;
  /** Wait before pushing an unacknowledged message again. Default 1000. */
  pushRetryMs?: number;
  /** Give up one push attempt after this long (it is retried). Default 5000. */
  pushTimeoutMs?: number;
  /** Pushes in flight at once. Default 16. */
  maxPushesInFlight?: number;
  /** Buyers created at start per store (more arrive with traffic). Default 20. */
  buyersPerStore?: number;
  /**
   * Simulated time per real time for orders, parcels and profiles: at 60 a
   * "48 h" ship-by promise is 48 minutes and Double 11's peak four. Default 1.
   */
  timeScale?: number;
  /** Buyers nag, react and leave this much faster than real people (tests, benchmarks). Default 1. */
  patienceScale?: number;
  /** Traffic profile at start (changeable at runtime). Default "steady". */
  profile?: ProfileName;
  /** Personalities to use instead of (or besides) the built-in ones, by platform (tests). */
  personalities?: Partial<Record<PlatformId, PlatformPersonality>>;
  /** Clock for timestamps and signatures (tests). */
  now?: () => Date;
  /** Fastify request logging. Default false. */
  logger?: boolean;
}

/**
 * The stores `main.ts` plays when no config is given: one per marketplace
 * (main.ts keeps those whose platform the simulator can play).
 */
export const demoStores: SimStoreConfig[] = [
  {
    platform: "taobao",
    storeKey: "tb-demo-flagship",
    name: "旗舰店",
    sellerId: "云席旗舰店",
    appKey: "12345678",
    appSecret: "sim-taobao-secret",
    accessToken: "sim-taobao-session",
  },
  {
    platform: "jd",
    storeKey: "jd-demo-self",
    name: "京东自营专区",
    sellerId: "10086001",
    appKey: "jd-sim-app",
    appSecret: "sim-jd-secret",
    accessToken: "sim-jd-token",
  },
  {
    platform: "pdd",
    storeKey: "pdd-demo-outlet",
    name: "拼多多品牌店",
    sellerId: "663200",
    appKey: "pdd-sim-client",
    appSecret: "sim-pdd-secret",
    accessToken: "sim-pdd-token",
  },
  {
    platform: "douyin",
    storeKey: "dy-demo-live",
    name: "抖音直播店",
    sellerId: "4463799",
    appKey: "7012345678900000001",
    appSecret: "sim-douyin-secret",
    accessToken: "sim-douyin-token",
  },
  {
    platform: "kuaishou",
    storeKey: "ks-demo-live",
    name: "快手小店",
    sellerId: "88120001",
    appKey: "ks-sim-app",
    appSecret: "sim-kuaishou-secret",
    accessToken: "sim-kuaishou-token",
  },
];
