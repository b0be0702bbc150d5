import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerDataStream } from "smtp-server";
import type { AppContext } from "../../../platform/context.ts";
import { isActive, type StoreWithCredentials, storeForPush } from "../../stores/index.ts";
import { ingestMail } from "./inbound.ts";

export interface SmtpEndpoint {
  port: number;
  close(): Promise<void>;
}

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

/**
 * The store's mailbox is `<storeKey>@<any domain that routes here>`: merchants
 * forward their service address (or point an MX) at it. The address is as
 * unguessable as the push URL, so only forwarded mail arrives.
 */
async function mailboxStore(ctx: AppContext, address: string): Promise<StoreWithCredentials | null> {
  const local = address.split("@")[0]?.trim() ?? "";
  if (!local || local.length > 200) return null;
  const target = await storeForPush(ctx, "email", local);
  return target && isActive(target.store) ? target : null;
}

/**
 * Yunxi's inbound SMTP endpoint (SMTP_PORT). A mail is acknowledged (250) only
 * after it is stored, so a sending server that gets a 451 keeps it and tries again;
 * unknown mailboxes are refused at RCPT TO (550) so nothing is stored for them.
 * Plain SMTP without AUTH: put it behind the organisation's MX/TLS relay.
 */
export async function startSmtpEndpoint(ctx: AppContext, port: number, host: string): Promise<SmtpEndpoint> {
  const server = new SMTPServer({
    name: "yunxi",
    banner: "Yunxi customer service mail endpoint",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: ctx.config.uploadMaxBytes * 4,
    logger: false,
    onRcptTo(address, _session, callback) {
      mailboxStore(ctx, address.address).then(
        (target) => callback(target ? null : smtpError(550, "No such mailbox here")),
        (err: unknown) => callback(smtpError(451, `Temporary failure: ${(err as Error).message}`)),
      );
    },
    onData(stream, session, callback) {
      receive(
        ctx,
        stream,
        session.envelope.rcptTo.map((r) => r.address),
      ).then(
        () => callback(null),
        (err: unknown) => {
          ctx.log.warn({ err }, "inbound mail not stored");
          const code = (err as { responseCode?: number }).responseCode ?? 451;
          callback(smtpError(code, code === 552 ? "Message too large" : "Temporary failure, try again later"));
        },
      );
    },
  });
  server.on("error", (err) => ctx.log.warn({ err }, "smtp endpoint error"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const bound = (server.server.address() as AddressInfo).port;
  return { port: bound, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function receive(ctx: AppContext, stream: SMTPServerDataStream, recipients: string[]): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  if (stream.sizeExceeded) throw smtpError(552, "Message too large");
  const raw = Buffer.concat(chunks);
  const mail = await simpleParser(raw);
  const seen = new Set<string>();
  for (const address of recipients) {
    const target = await mailboxStore(ctx, address);
    if (!target || seen.has(target.store.id)) continue;
    seen.add(target.store.id);
    const result = await ingestMail(ctx, target, mail, raw);
    ctx.metrics.inboundMessages.inc({ platform: "email", status: result?.stored ? "stored" : "duplicate" });
  }
}
