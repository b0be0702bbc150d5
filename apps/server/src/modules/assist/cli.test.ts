import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { intents } from "@yunxi/contracts";
import { afterAll, describe, expect, it } from "vitest";

const cli = path.resolve(import.meta.dirname, "../../cli/yunxi.ts");

function runClassify(
  input: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, "classify"], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("npm run -s yunxi -- classify", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "yunxi-classify-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("writes one JSON object per input line, without touching any database", async () => {
    const lines = ["亲 身高175体重130斤穿什么码", "订单3852749016273845129什么时候发货", "", "😂😂", "我要投诉！！！"];
    // A database that cannot be reached and an empty data directory: classify must need neither.
    const { code, stdout, stderr } = await runClassify(`${lines.join("\r\n")}\n`, {
      DATA_DIR: dataDir,
      DATABASE_URL: "postgres://nobody@127.0.0.1:9/none",
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(out).toHaveLength(lines.length);
    for (const [i, o] of out.entries()) {
      expect(Object.keys(o)).toEqual(["text", "intent", "confidence", "category", "entities"]);
      expect(o.text).toBe(lines[i]);
      expect(intents).toContain(o.intent);
    }
    expect(out[0].intent).toBe("售前-尺码推荐");
    expect(out[0].entities.body).toEqual({ heightCm: 175, weightKg: 65 });
    expect(out[1].intent).toBe("物流-发货时间");
    expect(out[1].entities.orderNumbers).toEqual(["3852749016273845129"]);
    expect(out[2].intent).toBe("其他");
    expect(out[3].intent).toBe("其他");
    expect(out[4].intent).toBe("投诉");
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
