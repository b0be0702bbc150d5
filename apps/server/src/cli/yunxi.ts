import { once } from "node:events";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { type CreateUserRequest, PlatformId, Role, storeLabel } from "@yunxi/contracts";
import { createContext } from "../main.ts";
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
  classify       classify buyer messages: one message per line on standard input, one JSON
                 object per line on standard output {"text","intent","confidence","category","entities"}
                 (offline, with the shipped model; does not open the database)
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
