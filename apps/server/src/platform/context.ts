import type { Config } from "./config.ts";
import type { Vault } from "./crypto.ts";
import type { Database, DatabaseHandle } from "./db/client.ts";
import type { EventBus } from "./events/log.ts";
import type { JobRunner } from "./jobs/queue.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";

/** What every module's service is built with. Assembled once in main.ts. */
export interface AppContext {
  config: Config;
  db: Database;
  dbKind: DatabaseHandle["kind"];
  log: Logger;
  metrics: Metrics;
  vault: Vault;
  jobs: JobRunner;
  bus: EventBus;
  /** Injected so tests can move time (lock-outs, session expiry, push windows). */
  now: () => Date;
}
