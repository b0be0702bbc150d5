import fs from "node:fs";
import type { ScheduleWebhookPayload } from "@yunxi/contracts";
import nodemailer from "nodemailer";
import { API_SIGNATURE_HEADER, API_TIMESTAMP_HEADER, hmacHex } from "../../channels/index.ts";
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

export const DELIVERY_HEADER = "x-yunxi-delivery";
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
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(nowMs / 1000));
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Yunxi-Webhook/1",
        [API_TIMESTAMP_HEADER]: timestamp,
        [API_SIGNATURE_HEADER]: `sha256=${hmacHex(secret, `${timestamp}.${body}`)}`,
        [DELIVERY_HEADER]: payload.deliveryId,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
  } catch (err) {
    throw new DeliveryError(`Webhook not reachable: ${(err as Error).message}`, true);
  }
  await response.body?.cancel();
  if (response.ok) return;
  const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
  throw new DeliveryError(`Webhook answered HTTP ${response.status}`, retryable);
}
