import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Vault } from "../../platform/crypto.ts";
import { hmacHex, verifyTimestamped } from "./signing.ts";
import { signIdentity, verifyIdentity } from "./webchat/identity-signature.ts";
import { issueVisitorToken, readVisitorToken } from "./webchat/visitor-token.ts";

describe("own-channel signatures", () => {
  const now = new Date("2025-11-11T00:00:00Z");
  const ts = String(now.getTime() / 1000);

  it("computes HMAC-SHA256 as lowercase hex (RFC 4231 test case 2)", () => {
    expect(hmacHex("Jefe", "what do ya want for nothing?")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });

  it("accepts a fresh timestamped signature and refuses tampering and replays", () => {
    const base = { secret: "s3cret", timestamp: ts, payload: '{"a":1}', now, maxSkewSeconds: 300, separator: "." };
    const signature = `sha256=${hmacHex("s3cret", `${ts}.{"a":1}`)}`;
    expect(verifyTimestamped({ ...base, signature })).toEqual({ ok: true });
    expect(verifyTimestamped({ ...base, signature, payload: '{"a":2}' })).toMatchObject({ reason: "bad_signature" });
    expect(verifyTimestamped({ ...base, signature: undefined })).toMatchObject({ reason: "bad_signature" });
    const later = new Date(now.getTime() + 301_000);
    expect(verifyTimestamped({ ...base, signature, now: later })).toMatchObject({ reason: "stale_timestamp" });
  });

  it("verifies a merchant's visitor identity within its age", () => {
    const at = now.getTime() / 1000;
    const identity = { userId: "42", ts: at, signature: signIdentity("k", "42", at) };
    expect(verifyIdentity("k", identity, now)).toEqual({ ok: true });
    expect(verifyIdentity("other", identity, now)).toMatchObject({ reason: "bad_signature" });
    expect(verifyIdentity("k", identity, new Date(now.getTime() + 16 * 60_000))).toMatchObject({
      reason: "stale_timestamp",
    });
  });

  it("issues visitor tokens only the server can mint, which expire", () => {
    const vault = new Vault(randomBytes(32));
    const token = issueVisitorToken(vault, { o: "org", s: "store", v: "anon:x", n: "访客X", i: false }, now);
    expect(readVisitorToken(vault, token, now)).toMatchObject({ s: "store", v: "anon:x" });
    const [v, body, mac] = token.split(".");
    const forgedBody = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body!, "base64url").toString()), v: "user:1" }),
    ).toString("base64url");
    expect(readVisitorToken(vault, `${v}.${forgedBody}.${mac}`, now)).toBeNull();
    expect(readVisitorToken(new Vault(randomBytes(32)), token, now)).toBeNull();
    expect(readVisitorToken(vault, token, new Date(now.getTime() + 91 * 24 * 3600_000))).toBeNull();
  });
});
