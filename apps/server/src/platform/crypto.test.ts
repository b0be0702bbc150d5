import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadMasterKey, Vault } from "./crypto.ts";

describe("vault", () => {
  const vault = new Vault(randomBytes(32));

  it("round-trips a secret and never stores it in clear", () => {
    const blob = vault.encrypt("app-secret-123", "store:1");
    expect(blob).not.toContain("app-secret-123");
    expect(vault.decrypt(blob, "store:1")).toBe("app-secret-123");
  });

  it("refuses a blob moved to another store or tampered with", () => {
    const blob = vault.encrypt("app-secret-123", "store:1");
    expect(() => vault.decrypt(blob, "store:2")).toThrow();
    const raw = Buffer.from(blob.slice(3), "base64");
    raw[raw.length - 1]! ^= 1;
    expect(() => vault.decrypt(`v1:${raw.toString("base64")}`, "store:1")).toThrow();
    expect(() => new Vault(randomBytes(32)).decrypt(blob, "store:1")).toThrow();
  });

  it("creates a key file once and reuses it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "yunxi-key-"));
    const first = loadMasterKey(undefined, dir);
    expect(loadMasterKey(undefined, dir).equals(first)).toBe(true);
    expect(fs.statSync(path.join(dir, "secret.key")).mode & 0o777).toBe(0o600);
    expect(() => loadMasterKey("too-short", dir)).toThrow(/32 bytes/);
    fs.rmSync(dir, { recursive: true });
  });
});
