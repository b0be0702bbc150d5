import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { getTableColumns, type SQL, sql, type Table } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";

/** One type for both drivers: modules never know whether they run on PGlite or PostgreSQL. */
export type Database = PgDatabase<PgQueryResultHKT>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../drizzle");

/**
 * PostgreSQL when a URL is given, else PGlite persisted in `dataDir` (or in memory
 * for `memory://`). Migrations are applied before the handle is returned.
 */
export async function openDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir);
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  let dir: string | undefined;
  if (dataDir !== "memory://") {
    dir = path.join(dataDir, "pglite");
    fs.mkdirSync(dir, { recursive: true });
  }
  // fsync off is PGlite's default trade-off: fine for trying Yunxi, not for production (see README).
  const client = await PGlite.create(dir ?? "memory://", { relaxedDurability: false });
  const db = drizzlePglite(client) as unknown as Database;
  await migratePglite(drizzlePglite(client), { migrationsFolder });
  return { db, kind: "pglite", close: () => client.close() };
}

async function openPostgres(url: string): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  // An idle connection the server terminates (restart, admin kill) emits 'error' on the pool;
  // unhandled, that would crash the process. The pool replaces the connection on next use.
  pool.on("error", (err) => console.error(`PostgreSQL idle connection lost: ${err.message}`));
  const db = drizzlePg(pool) as unknown as Database;
  // Several nodes may start at once: one migrates, the others wait on the lock.
  const lockClient = await pool.connect();
  try {
    await lockClient.query("SELECT pg_advisory_lock(7110, 1)");
    await migratePg(drizzlePg(lockClient), { migrationsFolder });
  } finally {
    await lockClient.query("SELECT pg_advisory_unlock(7110, 1)").catch(() => {});
    lockClient.release();
  }
  return { db, kind: "postgres", close: () => pool.end() };
}

/** Rows of a raw query, the same on both drivers. */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * A row of a raw query (snake_case names, values as the driver returned them) as
 * Drizzle would have returned it from `select()`: what multi-row statements written
 * in SQL return can then be used like any other row of the table.
 */
export function rowFromRaw<T extends Table>(table: T, raw: Record<string, unknown>): T["$inferSelect"] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    // Raw queries return timestamps as text (drizzle's drivers are set to leave them so) and jsonb parsed or as text.
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T["$inferSelect"];
}

/** Text for a LIKE pattern, its wildcards (% _) and the escape character taken literally. */
export const likeEscape = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE / ILIKE pattern matching values that contain `text` literally. */
export const likeContaining = (text: string): string => `%${likeEscape(text)}%`;

export { sql };
