import pino, { type Logger } from "pino";
import type { Config } from "./config.ts";

export type { Logger };

/** JSON logs to stdout; secrets and cookies are redacted wherever they appear. */
export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({
    level: config.logLevel,
    base: { service: "yunxi" },
    redact: {
      paths: [
        "req.headers.cookie",
        "req.headers.authorization",
        "req.headers['x-csrf-token']",
        "*.password",
        "*.appSecret",
      ],
      censor: "[redacted]",
    },
  });
}
