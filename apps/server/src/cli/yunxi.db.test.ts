import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPostgresDatabase, postgresAvailable, testDb } from "../../test/harness.ts";

const run = testDb === "pglite" || (await postgresAvailable());
const cli = path.resolve(import.meta.dirname, "yunxi.ts");
const exec = promisify(execFile);

// Each command is a fresh process that loads the server's modules and opens the database
// (PGlite reads its whole data directory): several seconds each, so the test gets minutes.
describe.runIf(run)(`operator CLI (${testDb})`, { timeout: 240_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yunxi-cli-"));
  let env: Record<string, string | undefined>;
  let drop: (() => Promise<void>) | undefined;
  const yunxi = (...args: string[]) => exec(process.execPath, [cli, ...args], { env });

  beforeAll(async () => {
    env = { ...process.env, DATA_DIR: dataDir, SECRET_KEY: randomBytes(32).toString("hex"), LOG_LEVEL: "error" };
    if (testDb === "postgres") {
      const db = await freshPostgresDatabase();
      env.DATABASE_URL = db.url;
      drop = db.drop;
    }
  });
  afterAll(async () => {
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists its commands with --help", async () => {
    const { stdout } = await yunxi("--help");
    for (const command of ["create-org", "create-user", "reset-password", "list-stores"])
      expect(stdout).toContain(command);
  });

  it("creates an org and a user, resets the password, lists stores", async () => {
    const org = await yunxi("create-org", "--name", "测试公司");
    const orgId = /id=([0-9a-f-]{36})/.exec(org.stdout)![1]!;
    const user = await yunxi(
      "create-user",
      "--org",
      orgId,
      "--email",
      "boss@cli.test",
      "--name",
      "老板",
      "--role",
      "owner",
    );
    expect(user.stdout).toMatch(/Password: \S+/);
    const reset = await yunxi("reset-password", "--email", "boss@cli.test", "--password", "a-new-password-1");
    expect(reset.stdout).toContain("Password reset");
    const users = await yunxi("list-users", "--org", orgId);
    expect(users.stdout).toContain("boss@cli.test");
    const stores = await yunxi("list-stores", "--org", orgId);
    expect(stores.stdout.trim()).toBe("");
  });

  it("refuses bad usage with a clear message and exit code 2", async () => {
    await expect(
      yunxi("create-user", "--org", "x", "--email", "a@b.c", "--name", "n", "--role", "king"),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--role must be"),
    });
    await expect(yunxi("frobnicate")).rejects.toMatchObject({ code: 2 });
  });
});
