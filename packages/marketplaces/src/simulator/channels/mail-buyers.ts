import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";

/**
 * The buyers' side of e-mail: a mail provider that Yunxi's e-mail store uses as
 * its SMTP relay (so replies land in the simulated buyers' inboxes), and buyers
 * who write to the store's Yunxi mailbox over real SMTP and answer replies in
 * the same thread (In-Reply-To / References).
 */
export interface MailWorld {
  /** Port of the relay: set it as the e-mail store's `smtp` setting ({ host: "127.0.0.1", port }). */
  readonly relayPort: number;
  /** Everything delivered to buyers, oldest first. */
  readonly inboxes: ParsedMail[];
  write(input: { from: string; name: string; subject: string; text: string }): Promise<string>;
  reply(to: ParsedMail, from: string, text: string): Promise<string>;
  /** Resolves with the next mail for this buyer, or null after timeoutMs. */
  nextMailFor(address: string, timeoutMs: number): Promise<ParsedMail | null>;
  close(): Promise<void>;
}

export async function startMailWorld(options: {
  /** Yunxi's inbound SMTP endpoint. */
  yunxiSmtp: { host: string; port: number };
  /** The store's Yunxi mailbox, `<storeKey>@<domain>`. */
  mailbox: string;
  relayHost?: string;
  /** 0 (default) picks a free port; the demo fixes it so the e-mail store's relay setting survives restarts. */
  relayPort?: number;
}): Promise<MailWorld> {
  const inboxes: ParsedMail[] = [];
  const waiters: { address: string; resolve: (m: ParsedMail) => void }[] = [];
  const relay = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          inboxes.push(mail);
          const to = recipients(mail);
          for (const w of waiters.splice(0)) {
            if (to.includes(w.address)) w.resolve(mail);
            else waiters.push(w);
          }
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) =>
    relay.listen(options.relayPort ?? 0, options.relayHost ?? "127.0.0.1", () => resolve()),
  );
  const transport = nodemailer.createTransport({ ...options.yunxiSmtp, secure: false, ignoreTLS: true });
  let counter = 0;
  const newId = (from: string) => `<sim-${Date.now().toString(36)}-${counter++}@${from.split("@")[1] ?? "buyer.test"}>`;

  return {
    relayPort: (relay.server.address() as AddressInfo).port,
    inboxes,
    async write({ from, name, subject, text }) {
      const messageId = newId(from);
      await transport.sendMail({ from: { name, address: from }, to: options.mailbox, subject, text, messageId });
      return messageId;
    },
    async reply(to, from, text) {
      const messageId = newId(from);
      const references = [to.references ?? []].flat();
      await transport.sendMail({
        from,
        to: options.mailbox,
        subject: to.subject?.startsWith("Re:") ? to.subject : `Re: ${to.subject ?? ""}`,
        text: `${text}\n\n> ${(to.text ?? "").trim().split("\n").join("\n> ")}`,
        messageId,
        ...(to.messageId && { inReplyTo: to.messageId, references: [...references, to.messageId] }),
      });
      return messageId;
    },
    nextMailFor(address, timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        waiters.push({
          address: address.toLowerCase(),
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    async close() {
      transport.close();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

function recipients(mail: ParsedMail): string[] {
  const to = [mail.to ?? []].flat();
  return to.flatMap((a) => a.value.map((v) => (v.address ?? "").toLowerCase()));
}
