import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * AES-256-GCM envelope for secrets at rest (platform credentials, tokens).
 * Format: "v1:" + base64(iv[12] | tag[16] | ciphertext). The version prefix lets
 * a later key rotation tell old blobs from new ones.
 */
export class Vault {
  readonly #key: Buffer;
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error("Vault key must be 32 bytes");
    this.#key = key;
  }

  encrypt(plaintext: string, associatedData = ""): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
  }

  decrypt(blob: string, associatedData = ""): string {
    if (!blob.startsWith("v1:")) throw new Error("Unknown secret format");
    const raw = Buffer.from(blob.slice(3), "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.#key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  }

  /** A keyed hash for values we must match but never store (phone numbers, lookup keys). */
  keyedHash(value: string): string {
    return createHmac("sha256", this.#key).update(value).digest("hex");
  }
}

/** SECRET_KEY (hex or base64 of 32 bytes), else a key file created once in the data directory. */
export function loadMasterKey(secretKey: string | undefined, dataDir: string): Buffer {
  if (secretKey) {
    const key = /^[0-9a-f]{64}$/i.test(secretKey) ? Buffer.from(secretKey, "hex") : Buffer.from(secretKey, "base64");
    if (key.length !== 32) throw new Error("SECRET_KEY must be 32 bytes, as 64 hex characters or base64");
    return key;
  }
  const file = path.join(dataDir, "secret.key");
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return Buffer.from(fs.readFileSync(file, "utf8").trim(), "hex");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
