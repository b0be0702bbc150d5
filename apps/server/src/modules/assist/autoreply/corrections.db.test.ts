import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Conversation } from "@yunxi/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPostgresDatabase, postgresAvailable, testDb } from "../../../../test/harness.ts";
import { createContext } from "../../../main.ts";
import { loadConfig } from "../../../platform/config.ts";
import type { Actor } from "../../identity/index.ts";
import { createOrg } from "../../identity/index.ts";
import { ingestInbound } from "../../inbox/index.ts";
import { createStore } from "../../stores/index.ts";
import { correctIntent, correctionLines } from "./corrections.ts";
import { parseCorrections } from "./corrections-file.ts";

const run = testDb === "pglite" || (await postgresAvailable());
const cli = path.resolve(import.meta.dirname, "../../../cli/yunxi.ts");
const exec = promisify(execFile);

/**
 * Corrections kept on the way out: an agent corrects a conversation's intent, the operator
 * exports the corrections with `yunxi export-corrections`, and the training script reads them.
 */
describe.runIf(run)(`intent corrections, exported for retraining (${testDb})`, { timeout: 240_000 }, () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yunxi-corrections-"));
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATA_DIR: dataDir,
    SECRET_KEY: randomBytes(32).toString("hex"),
    LOG_LEVEL: "error",
    WORKER_CONCURRENCY: "0",
  };
  let drop: (() => Promise<void>) | undefined;
  let orgId = "";

  beforeAll(async () => {
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

  it("keeps a correction and exports it as JSONL the training script reads", async () => {
    const { ctx, close } = await createContext(loadConfig(env as Record<string, string>));
    try {
      const org = await createOrg(ctx, { name: "纠错公司" });
      orgId = org.id;
      const store = await createStore(ctx, null, org.id, {
        platform: "taobao",
        name: "旗舰店",
        gatewayUrl: "http://127.0.0.1:9",
        sellerId: "纠错旗舰店",
        credentials: { appKey: "k", appSecret: "s".repeat(16) },
      });
      const ingested = await ingestInbound(ctx, { id: store.id, orgId: org.id, platform: "taobao", name: "旗舰店" }, [
        {
          kind: "message",
          platformMessageId: "m-1",
          buyer: { platformBuyerId: "tb_纠错", displayName: "tb_纠错" },
          content: { type: "text", text: "发票能开专票吗" },
          sentAt: new Date(),
        },
      ]);
      const { conversation } = ingested.events.find((e) => e.type === "message.created")!.payload as {
        conversation: Conversation;
      };
      const owner: Actor = {
        orgId: org.id,
        userId: "00000000-0000-4000-8000-000000000001",
        role: "owner",
        name: "老板",
        sessionId: "s",
        csrfToken: "c",
        storeIds: null,
      };
      const shown = await correctIntent(ctx, owner, conversation.id, "其他-发票");
      expect(shown.tags[0]).toBe("其他-发票");
      const lines = await correctionLines(ctx.db, { orgId: org.id });
      expect(lines).toMatchObject([{ text: "发票能开专票吗", predicted: null, corrected: "其他-发票" }]);
      expect(await correctionLines(ctx.db, { orgId: "not-an-org" })).toEqual([]);
    } finally {
      await close();
    }

    const { stdout } = await exec(process.execPath, [cli, "export-corrections", "--org", orgId], { env });
    const parsed = parseCorrections(stdout);
    expect(parsed).toEqual({ examples: [{ text: "发票能开专票吗", intent: "其他-发票" }], skipped: 0 });
  });
});
