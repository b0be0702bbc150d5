import { once } from "node:events";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { type CreateUserRequest, PlatformId, Role, storeLabel } from "@yunxi/contracts";
import { createContext } from "../main.ts";
import { rebuildRollups } from "../modules/analytics/index.ts";
import { correctionLines } from "../modules/assist/autoreply/index.ts";
import { classify } from "../modules/assist/index.ts";
import { createOrg, createUser, listUsers, resetPassword } from "../modules/identity/index.ts";
import { orgs } from "../modules/identity/tables.ts";
import { assertStoresInOrg, listOrgStores } from "../modules/stores/index.ts";
import { loadConfig } from "../platform/config.ts";
import { randomToken } from "../platform/crypto.ts";

const help = `云席 Yunxi — operator commands

Usage: npm run yunxi -- <command> [options]

Commands:
  create-org     --name <name> [--timezone Asia/Shanghai]
  create-user    --org <orgId> --email <email> --name <name> --role owner|admin|supervisor|agent
                 [--password <password>] [--stores <storeId,storeId>]
  reset-password --email <email> [--password <password>]
  list-orgs
  list-users     --org <orgId>
  list-stores    --org <orgId>
  rebuild-rollups --org <orgId> --from <ISO time> --to <ISO time>
                 recompute the analytics rollups of [from, to) from the raw conversations,
                 messages, orders and ratings (e.g. after a settings change or a fix)
  classify       classify buyer messages: one message per line on standard input, one JSON
                 object per line on standard output {"text","intent","confidence","category","entities"}
                 (offline, with the shipped model; does not open the database)
  export-corrections [--org <orgId>] [--since <ISO time>]
                 agents' intent-tag corrections as JSONL on standard output {"text","predicted",
                 "corrected","at"}, for: node scripts/train-classifier.ts --with-corrections <file>
  --help         this text

The database is the one the server uses: DATABASE_URL, else PGlite in DATA_DIR (./data).
A password that is not given is generated and printed once.`;

const options = {
  help: { type: "boolean" },
  name: { type: "string" },
  timezone: { type: "string" },
  org: { type: "string" },
  email: { type: "string" },
  role: { type: "string" },
  password: { type: "string" },
  stores: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  since: { type: "string" },
} as const;

class UsageError extends Error {}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value;
}

/** `classify`: stdin → stdout, line by line, so a file of any size streams through. */
async function classifyLines(): Promise<number> {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const { text, intent, confidence, category, entities } = classify(line);
    if (!process.stdout.write(`${JSON.stringify({ text, intent, confidence, category, entities })}\n`)) {
      await once(process.stdout, "drain");
    }
  }
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(help);
    return command || values.help ? 0 : 1;
  }
  if (command === "classify") return classifyLines();
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", WORKER_CONCURRENCY: "0" });
  const { ctx, close } = await createContext(config);
  try {
    switch (command) {
      case "create-org": {
        const org = await createOrg(ctx, {
          name: required(values, "name"),
          timezone: values.timezone ?? "Asia/Shanghai",
        });
        console.log(`Organisation created: ${org.name}  id=${org.id}`);
        return 0;
      }
      case "create-user": {
        const role = Role.safeParse(values.role);
        if (!role.success) throw new UsageError("--role must be owner, admin, supervisor or agent");
        const password = values.password ?? randomToken(12);
        const input: CreateUserRequest = {
          email: required(values, "email"),
          name: required(values, "name"),
          role: role.data,
          password,
          storeIds: values.stores ? values.stores.split(",").map((s) => s.trim()) : [],
        };
        const user = await createUser(ctx, required(values, "org"), input, null, assertStoresInOrg);
        console.log(`User created: ${user.email} (${user.role})  id=${user.id}`);
        if (!values.password) console.log(`Password: ${password}`);
        return 0;
      }
      case "reset-password": {
        const password = values.password ?? randomToken(12);
        const user = await resetPassword(ctx, required(values, "email"), password);
        console.log(`Password reset for ${user.email}; their sessions were signed out.`);
        if (!values.password) console.log(`New password: ${password}`);
        return 0;
      }
      case "list-orgs": {
        for (const org of await ctx.db.select().from(orgs)) console.log(`${org.id}  ${org.name}  ${org.timezone}`);
        return 0;
      }
      case "list-users": {
        for (const u of await listUsers(ctx.db, required(values, "org"))) {
          console.log(`${u.id}  ${u.role.padEnd(10)} ${u.email}  ${u.name}${u.disabled ? "  (disabled)" : ""}`);
        }
        return 0;
      }
      case "list-stores": {
        for (const s of await listOrgStores(ctx.db, required(values, "org"))) {
          const platform = PlatformId.parse(s.platform);
          console.log(
            `${s.id}  ${storeLabel(platform, s.name)}  ${s.status}  push: /connect/${platform}/${s.storeKey}`,
          );
        }
        return 0;
      }
      case "rebuild-rollups": {
        const instant = (name: string) => {
          const value = required(values, name);
          const at = new Date(value);
          if (Number.isNaN(at.getTime()))
            throw new UsageError(`--${name} must be an ISO time, e.g. 2026-11-01T00:00:00+08:00`);
          return at;
        };
        const from = instant("from");
        const to = instant("to");
        if (from >= to) throw new UsageError("--from must be before --to");
        const started = Date.now();
        const result = await rebuildRollups(ctx, required(values, "org"), from, to, {
          onProgress: (done, total) => process.stderr.write(`\r${done}/${total} sources`),
        });
        process.stderr.write("\n");
        console.log(
          `Rebuilt ${from.toISOString()} – ${to.toISOString()}: ${result.conversations} conversations, ` +
            `${result.orders} orders, ${result.evaluations} ratings; ${result.changed} sources changed, ` +
            `${result.dropped} dropped, ${result.presenceChanges} status changes replayed (${Date.now() - started} ms).`,
        );
        return 0;
      }
      case "export-corrections": {
        const since = values.since ? new Date(values.since) : undefined;
        if (since && Number.isNaN(since.getTime())) throw new UsageError("--since must be an ISO time");
        for (const line of await correctionLines(ctx.db, { orgId: values.org, since })) {
          process.stdout.write(`${JSON.stringify(line)}\n`);
        }
        return 0;
      }
      default:
        throw new UsageError(`Unknown command: ${command}`);
    }
  } finally {
    await close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) console.error(`${err.message}\n\n${help}`);
    else console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
