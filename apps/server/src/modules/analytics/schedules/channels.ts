import fs from "node:fs";
import type { ScheduleWebhookPayload } from "@yunxi/contracts";
import nodemailer from "nodemailer";
import { API_DELIVERY_HEADER, postSigned } from "../../channels/index.ts";
import type { ExportedFile } from "../exports.ts";
import type { MailServer } from "./service.ts";

/**
 * The two ways a scheduled report leaves Yunxi. Each throws a DeliveryError that
 * says whether trying again can help: a refused recipient (SMTP 5xx) or a webhook's
 * 4xx cannot, an unreachable server or a 5xx can.
 */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = "DeliveryError";
    this.retryable = retryable;
  }
}

export { API_DELIVERY_HEADER as DELIVERY_HEADER };

const WEBHOOK_TIMEOUT_MS = 15_000;

export interface Attachment {
  /** The name the recipient sees. */
  name: string;
  file: ExportedFile;
}

export async function sendReportMail(
  server: MailServer,
  mail: { to: string[]; subject: string; text: string; html: string; attachments: Attachment[]; messageId: string },
): Promise<void> {
  const transport = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: server.secure,
    ...(server.user && { auth: { user: server.user, pass: server.password ?? "" } }),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  try {
    await transport.sendMail({
      from: { name: "云席 Yunxi", address: server.from },
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      attachments: mail.attachments.map((a) => ({ filename: a.name, path: a.file.file, contentType: a.file.mime })),
    });
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    const reason = code ? `SMTP ${code}: ${(err as Error).message}` : `SMTP not reachable: ${(err as Error).message}`;
    throw new DeliveryError(reason, code === undefined || code < 500);
  } finally {
    transport.close();
  }
}

/** The files travel inside the JSON (base64): the receiver needs no Yunxi login to read them. */
export function filesForWebhook(attachments: Attachment[]): ScheduleWebhookPayload["files"] {
  return attachments.map((a) => ({
    name: a.name,
    mime: a.file.mime,
    sizeBytes: a.file.size,
    base64: fs.readFileSync(a.file.file).toString("base64"),
  }));
}

/** POST signed like the API channel's webhooks: HMAC-SHA256 over `timestamp + "." + body`. */
export async function postWebhook(
  url: string,
  secret: string,
  payload: ScheduleWebhookPayload,
  nowMs: number,
): Promise<void> {
  const outcome = await postSigned({ url, secret, payload, nowMs, timeoutMs: WEBHOOK_TIMEOUT_MS });
  if (outcome.kind === "delivered") return;
  if (outcome.kind === "unreachable") throw new DeliveryError(`Webhook not reachable: ${outcome.message}`, true);
  throw new DeliveryError(`Webhook answered HTTP ${outcome.status}`, outcome.retryable);
}
