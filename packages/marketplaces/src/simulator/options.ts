import { PlatformId } from "@yunxi/contracts";
import { z } from "zod";

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
  stores: z.array(SimStoreConfig).min(1),
});

export interface SimulatorOptions {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seeds catalogue, buyers, orders and generated questions. Default 1. */
  seed?: number;
  /** Base URL of the Yunxi server that receives pushes; pushes wait until it is set. */
  yunxiUrl?: string;
  stores: SimStoreConfig[];
  /** Buyer messages generated per minute across all stores; 0 = none. Changeable at runtime. Default 0. */
  ratePerMinute?: number;
  /** Wait before pushing an unacknowledged message again. Default 1000. */
  pushRetryMs?: number;
  /** Give up one push attempt after this long (it is retried). Default 5000. */
  pushTimeoutMs?: number;
  /** Pushes in flight at once. Default 16. */
  maxPushesInFlight?: number;
  /** Buyers created at start per store (more arrive with traffic). Default 20. */
  buyersPerStore?: number;
  /** Clock for timestamps and signatures (tests). */
  now?: () => Date;
  /** Fastify request logging. Default false. */
  logger?: boolean;
}

/** The store `npm start` and `main.ts` use when no config is given. */
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
];
