import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import nodemailer, { type Transporter } from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresAvailable, testDb } from "../../../../test/harness.ts";
import { waitFor } from "../../../../test/wait.ts";
import { smtpEndpointOf } from "../index.ts";
import { type ChannelWorld, conversationOf, messagesOf, startChannelWorld } from "../testing.ts";

const run = testDb === "pglite" || (await postgresAvailable());

/** The store's mail provider, on loopback: it receives what Yunxi sends out. */
async function startRelay() {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.runIf(run)(`e-mail channel over real SMTP on loopback (${testDb})`, () => {
  let w: ChannelWorld;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let buyerMail: Transporter;
  let mailbox: string;

  beforeAll(async () => {
    relay = await startRelay();
    w = await startChannelWorld(
      [
        {
          key: "mail",
          platform: "email",
          name: "售后邮箱",
          sellerId: "service@shop.example",
          credentials: { smtp: { host: "127.0.0.1", port: relay.port, secure: false } },
        },
        { key: "norelay", platform: "email", name: "无中继邮箱", sellerId: "nobody@shop.example" },
      ],
      { SMTP_PORT: "0" },
    );
    const endpoint = smtpEndpointOf(w.t.server.ctx)!;
    buyerMail = nodemailer.createTransport({ host: "127.0.0.1", port: endpoint.port, secure: false, ignoreTLS: true });
    mailbox = `${w.stores.mail!.storeKey}@mail.yunxi.test`;
  });
  afterAll(async () => {
    buyerMail?.close();
    await w?.close();
    await relay?.close();
  });

  it("threads a mail, the agent's reply and the buyer's answer as one conversation", async () => {
    const first = await buyerMail.sendMail({
      from: { name: "李女士", address: "Li.Buyer@example.com" },
      to: mailbox,
      subject: "订单 8812 的鞋子开胶了",
      text: "你好，收到的鞋子开胶了，可以换货吗？",
      messageId: "<first-8812@example.com>",
    });
    expect(first.accepted).toEqual([mailbox]);

    const conversation = await waitFor("conversation", () => conversationOf(w.agent, "李女士"));
    expect(conversation.storeLabel).toBe("邮件-售后邮箱");
    expect(conversation.customer.platformBuyerId).toBe("li.buyer@example.com");
    const [inbound] = await messagesOf(w.agent, conversation.id);
    expect(inbound!.body).toBe("主题：订单 8812 的鞋子开胶了\n\n你好，收到的鞋子开胶了，可以换货吗？");
    expect(inbound!.platformMessageId).toBe("<first-8812@example.com>");

    const reply = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "您好，可以换货，我们已为您登记。",
      idempotencyKey: "mail-reply-0001",
    });
    const out = await waitFor("the relay got the reply", () => relay.received[0]);
    expect(out.subject).toBe("Re: 订单 8812 的鞋子开胶了");
    expect(out.inReplyTo).toBe("<first-8812@example.com>");
    expect([out.references].flat()).toContain("<first-8812@example.com>");
    expect(out.messageId).toBe(`<${reply.body.id}@shop.example>`);
    expect(out.from?.value[0]?.address).toBe("service@shop.example");
    expect((out.to as { value: { address: string }[] }).value[0]!.address).toBe("li.buyer@example.com");
    expect(out.text?.trim()).toBe("您好，可以换货，我们已为您登记。");
    await waitFor(
      "sent",
      async () =>
        (await messagesOf(w.agent, conversation.id)).find((m) => m.id === reply.body.id)?.deliveryStatus === "sent",
    );

    await buyerMail.sendMail({
      from: { name: "李女士", address: "li.buyer@example.com" },
      to: mailbox,
      subject: `Re: ${out.subject}`,
      text: `好的，谢谢！\n\nOn Mon, 1 Jan 2024, 售后邮箱 <service@shop.example> wrote:\n> 您好，可以换货，我们已为您登记。\n`,
      messageId: "<second-8812@example.com>",
      inReplyTo: out.messageId!,
      references: ["<first-8812@example.com>", out.messageId!],
    });
    const thread = await waitFor("the buyer's answer", async () => {
      const list = await messagesOf(w.agent, conversation.id);
      return list.length === 3 ? list : undefined;
    });
    expect(thread[2]!.body).toBe("好的，谢谢！");
    const all = (await w.agent.get("/api/conversations")).body.items;
    expect(all.filter((c: { platform: string }) => c.platform === "email")).toHaveLength(1);

    // A second reply answers the buyer's latest mail and carries the whole thread.
    await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "不客气～",
      idempotencyKey: "mail-reply-0002",
    });
    const second = await waitFor("the second reply", () => relay.received[1]);
    expect(second.inReplyTo).toBe("<second-8812@example.com>");
    expect([second.references].flat()).toEqual([
      "<first-8812@example.com>",
      out.messageId,
      "<second-8812@example.com>",
    ]);
  });

  it("stores a mail delivered twice once, and refuses unknown mailboxes at RCPT TO", async () => {
    const mail = {
      from: "repeat@example.com",
      to: mailbox,
      subject: "重复投递",
      text: "同一封信",
      messageId: "<same-id@example.com>",
    };
    await buyerMail.sendMail(mail);
    await buyerMail.sendMail(mail);
    const conversation = await waitFor("conversation", () => conversationOf(w.agent, "repeat@example.com"));
    expect(await messagesOf(w.agent, conversation.id)).toHaveLength(1);

    const refused = await buyerMail
      .sendMail({ ...mail, to: "nobody@mail.yunxi.test", messageId: "<x@y>" })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as { responseCode?: number }).responseCode).toBe(550);
  });

  it("fails a reply at once when the store has no relay, and keeps it pending while the relay is down", async () => {
    const other = `${w.stores.norelay!.storeKey}@mail.yunxi.test`;
    await buyerMail.sendMail({
      from: "a@example.com",
      to: other,
      subject: "无中继",
      text: "hi",
      messageId: "<nr1@example.com>",
    });
    const lonely = await waitFor("conversation", () => conversationOf(w.agent, "a@example.com"));
    const refused = await w.agent.post(`/api/conversations/${lonely.id}/messages`, {
      body: "稍等",
      idempotencyKey: "mail-reply-0003",
    });
    const failed = await waitFor("failed", async () => {
      const m = (await messagesOf(w.agent, lonely.id)).find((x) => x.id === refused.body.id);
      return m?.deliveryStatus === "failed" ? m : undefined;
    });
    expect(failed.deliveryError).toMatch(/no_smtp_relay/);

    await buyerMail.sendMail({
      from: "b@example.com",
      to: mailbox,
      subject: "中继故障",
      text: "hi",
      messageId: "<nr2@example.com>",
    });
    const conversation = await waitFor("conversation", () => conversationOf(w.agent, "b@example.com"));
    await relay.close();
    const reply = await w.agent.post(`/api/conversations/${conversation.id}/messages`, {
      body: "稍等",
      idempotencyKey: "mail-reply-0004",
    });
    const pending = await waitFor("a failed attempt", async () => {
      const m = (await messagesOf(w.agent, conversation.id)).find((x) => x.id === reply.body.id);
      return m && m.deliveryAttempts >= 1 ? m : undefined;
    });
    expect(pending.deliveryStatus).toBe("pending");
    expect(pending.deliveryError).toMatch(/smtp_unreachable/);
  });
});
