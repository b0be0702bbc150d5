import path from "node:path";
import { z } from "zod";

/**
 * Configuration comes from the environment and is validated once at start, so a
 * typo fails loudly with the variable's name instead of misbehaving later.
 */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  /** 32 bytes as 64 hex chars or base64; without it a key file is created in DATA_DIR. */
  SECRET_KEY: z.string().optional(),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Serve the built web app from this folder (default: apps/web/dist if it exists). */
  WEB_DIST: z.string().optional(),
  /** Background workers in this process; 0 runs an API-only node. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(256).default(8),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
  /** Accepted clock skew of platform pushes, in seconds. */
  PUSH_MAX_SKEW_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  /** Inbound e-mail: the SMTP endpoint Yunxi runs for e-mail stores (off unless set; 0 picks a free port). */
  SMTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Interface the SMTP endpoint listens on (default: HOST). */
  SMTP_HOST: z.string().optional(),
  /** Largest accepted upload (widget images) and inbound e-mail, in megabytes. */
  UPLOAD_MAX_MB: z.coerce.number().min(0.01).max(100).default(5),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  secretKey: string | undefined;
  publicUrl: string;
  logLevel: z.infer<typeof Env>["LOG_LEVEL"];
  webDist: string | undefined;
  workerConcurrency: number;
  sessionTtlHours: number;
  pushMaxSkewSeconds: number;
  smtpPort: number | undefined;
  smtpHost: string;
  uploadMaxBytes: number;
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    secretKey: e.SECRET_KEY,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST,
    workerConcurrency: e.WORKER_CONCURRENCY,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    pushMaxSkewSeconds: e.PUSH_MAX_SKEW_SECONDS,
    smtpPort: e.SMTP_PORT,
    smtpHost: e.SMTP_HOST ?? e.HOST,
    uploadMaxBytes: Math.round(e.UPLOAD_MAX_MB * 1024 * 1024),
  };
}
