import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, testDb } from "../../../../test/harness.ts";
import { waitFor } from "../../../../test/wait.ts";
import { hmacHex } from "../signing.ts";
import { type ChannelWorld, conversationOf, messagesOf, startChannelWorld } from "../testing.ts";

const run = testDb === "pglite" || (await postgresAvailable());

interface Hook {
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** The merchant's webhook receiver: answers with the next status of `script`, then 200. */
async function startReceiver(script: number[]) {
  const calls: Hook[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const answered = script.shift() ?? 200;
      calls.push({ headers: req.headers, body, answered });
      res.writeHead(answered, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/yunxi`;
  return { url, calls, script, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.runIf(run)(`HTTP API channel: signed messages in, signed webhooks out (${testDb})`, () => {
  let w: ChannelWorld;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let secret: string;
  let path: string;

  const signed = (body: string, secretUsed = secret, at = Math.floor(Date.now() / 1000)) => ({
    "content-type": "application/json",
    "x-yunxi-timestamp": String(at),
    "x-yunxi-signature": `sha256=${hmacHex(secretUsed, `${at}.${body}`)}`,
  });
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${w.t.url}${path}`, { method: "POST", headers, body }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as any,
    }));

  beforeAll(async () => {
    receiver = await startReceiver([500]);
    w = await startChannelWorld([
      { key: "app", platform: "api", name: "会员App", credentials: { webhookUrl: receiver.url } },
    ]);
    secret = w.stores.app!.appSecret;
    path = `/channels/api/${w.stores.app!.storeKey}/messages`;
  });
  afterAll(async () => {
    await w?.close();
    await receiver?.close();
  });

  it("stores a signed message once and refuses forged, stale and malformed ones", async () => {
    const body = JSON.stringify({
      messageId: "app-msg-1",
      user: { id: "u-1001", name: "王先生" },
      text: "积分怎么兑换？",
    });
    const ok = await post(body, signed(body));
    expect(ok).toEqual({ status: 200, body: { accepted: true, duplicate: false } });
    const replayed = await post(body, signed(body));
    expect(replayed).toEqual({ status: 200, body: { accepted: true, duplicate: true } });

    const forged = await post(body, signed(body, "guessed-secret"));
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe("bad_signature");
    const tampered = await post(body.replace("积分", "现金"), signed(body));
    expect(tampered.status).toBe(401);
    const stale = await post(body, signed(body, secret, Math.floor(Date.now() / 1000) - 3600));
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe("stale_timestamp");
    const unsigned = await post(body, { "content-type": "application/json" });
    expect(unsigned.status).toBe(401);
    const noText = JSON.stringify({ messageId: "app-msg-2", user: { id: "u-1001" } });
    expect((await post(noText, signed(noText))).status).toBe(400);
    expect((await post("{oops", signed("{oops"))).status).toBe(400);
    const unknownStore = await fetch(`${w.t.url}/channels/api/no-such-store/messages`, {
      method: "POST",
      headers: signed(body),
      body,
    });
    expect(unknownStore.status).toBe(404);

    const conversation = await waitFor("conversation", () => conversationOf(w.agent, "王先生"));
    expect(conversation.storeLabel).toBe("API-会员App");
    expect((await messagesOf(w.agent, conversation.id)).map((m) => m.body)).toEqual(["积分怎么兑换？"]);
  });

  it("delivers a reply as a signed webhook, retried after a 500, delivered once", async () => {
    const conversation = await waitFor("conversation", () => conversationOf(w.agent, "王先生"));
    const reply = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "在「我的-积分」里兑换哦",
      idempotencyKey: "api-reply-0001",
    });
    const sent = await waitFor("sent", async () => {
      const m = (await messagesOf(w.agent, conversation.id)).find((x) => x.id === reply.body.id);
      return m?.deliveryStatus === "sent" ? m : undefined;
    });
    expect(sent.deliveryAttempts).toBe(2);
    expect(receiver.calls.map((c) => c.answered)).toEqual([500, 200]);
    const [failedTry, delivered] = receiver.calls;
    expect(delivered!.headers["x-yunxi-delivery"]).toBe(reply.body.id);
    expect(failedTry!.headers["x-yunxi-delivery"]).toBe(reply.body.id);
    const ts = String(delivered!.headers["x-yunxi-timestamp"]);
    expect(delivered!.headers["x-yunxi-signature"]).toBe(`sha256=${hmacHex(secret, `${ts}.${delivered!.body}`)}`);
    const payload = JSON.parse(delivered!.body);
    expect(payload).toMatchObject({
      event: "message.created",
      deliveryId: reply.body.id,
      conversationId: conversation.id,
      user: { id: "u-1001", name: "王先生" },
      message: { id: reply.body.id, text: "在「我的-积分」里兑换哦", kind: "text" },
    });
    // Nothing more goes out once it is sent.
    await new Promise((r) => setTimeout(r, 1500));
    expect(receiver.calls).toHaveLength(2);
  });

  it("fails a reply the receiver refuses with a 4xx, without retrying", async () => {
    const body = JSON.stringify({ messageId: "app-msg-3", user: { id: "u-2002", name: "赵女士" }, text: "你好" });
    await post(body, signed(body));
    const conversation = await waitFor("conversation", () => conversationOf(w.agent, "赵女士"));
    receiver.script.push(410);
    const reply = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "在的",
      idempotencyKey: "api-reply-0002",
    });
    const failed = await waitFor("failed", async () => {
      const m = (await messagesOf(w.agent, conversation.id)).find((x) => x.id === reply.body.id);
      return m?.deliveryStatus === "failed" ? m : undefined;
    });
    expect(failed.deliveryError).toMatch(/http_410/);
    expect(failed.deliveryAttempts).toBe(1);
  });
});
