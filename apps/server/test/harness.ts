import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createServer, type YunxiServer } from "../src/main.ts";
import { loadConfig } from "../src/platform/config.ts";

/**
 * The database suite runs once on PGlite and once on PostgreSQL
 * (YUNXI_TEST_DB=postgres). Each test file gets a database of its own.
 */
export const testDb = (process.env.YUNXI_TEST_DB ?? "pglite") as "pglite" | "postgres";
export const postgresBaseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

let postgresReachable: Promise<boolean> | undefined;
/** Whether PostgreSQL answers; in CI an absent server is an error, elsewhere the suite is skipped with a message. */
export function postgresAvailable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: postgresBaseUrl, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch (err) {
      if (process.env.CI)
        throw new Error(`PostgreSQL is required in CI but not reachable at ${postgresBaseUrl}: ${err}`);
      console.warn(`SKIPPED: PostgreSQL not reachable at ${postgresBaseUrl} (${err}); set TEST_DATABASE_URL to run.`);
      return false;
    }
  })();
  return postgresReachable;
}

/** A fresh, empty PostgreSQL database; dropped by the returned function. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `yunxi_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresBaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresBaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: postgresBaseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestServer {
  server: YunxiServer;
  url: string;
  dataDir: string;
  close: () => Promise<void>;
}

export async function startTestServer(
  options: { env?: Record<string, string>; now?: () => Date; dataDir?: string } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "yunxi-test-"));
  // A caller-given DATABASE_URL is shared (cluster tests) and not dropped here.
  const pgDb = testDb === "postgres" && !options.env?.DATABASE_URL ? await freshPostgresDatabase() : undefined;
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    SECRET_KEY: randomBytes(32).toString("hex"),
    WORKER_CONCURRENCY: "4",
    ...(pgDb && { DATABASE_URL: pgDb.url }),
    ...options.env,
  });
  const server = await createServer(config, options.now ? { now: options.now } : {});
  const url = await server.listen();
  return {
    server,
    url,
    dataDir,
    close: async () => {
      await server.close();
      await pgDb?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
