import { z } from "zod";

/**
 * Yunxi's own channels, seen from outside: the web chat widget's public API
 * (`/widget/<storeKey>/…`, socket.io namespace `/widget`) and the HTTP API
 * channel (`/channels/api/<storeKey>/messages`, webhooks out).
 */

/** The merchant's page vouches for a logged-in customer: signature = HMAC-SHA256(appSecret, userId + ts), hex. */
export const WidgetIdentity = z.strictObject({
  userId: z.string().trim().min(1).max(128),
  name: z.string().trim().min(1).max(60).optional(),
  ts: z.number().int().positive(),
  signature: z.string().regex(/^[0-9a-fA-F]{64}$/),
});
export type WidgetIdentity = z.infer<typeof WidgetIdentity>;

export const WidgetSessionRequest = z.strictObject({
  /** The token from an earlier visit, kept in localStorage: resumes the same visitor. */
  token: z.string().max(2000).optional(),
  identity: WidgetIdentity.optional(),
});
export type WidgetSessionRequest = z.infer<typeof WidgetSessionRequest>;

export const WidgetSession = z.object({
  /** Bearer token for the widget API and the `/widget` socket (auth: { token }). */
  token: z.string(),
  visitor: z.object({ id: z.string(), name: z.string(), identified: z.boolean() }),
  store: z.object({ name: z.string() }),
  /** Whether any agent of the store is connected now; if not, the widget shows the offline notice. */
  agentsOnline: z.boolean(),
});
export type WidgetSession = z.infer<typeof WidgetSession>;

/** A message as the visitor sees it: no agent ids, no delivery internals. */
export const WidgetMessage = z.object({
  id: z.string(),
  from: z.enum(["visitor", "agent"]),
  kind: z.enum(["text", "image"]),
  text: z.string(),
  imageUrl: z.string().nullable(),
  createdAt: z.string(),
});
export type WidgetMessage = z.infer<typeof WidgetMessage>;

export const WidgetHistory = z.object({ items: z.array(WidgetMessage) });
export type WidgetHistory = z.infer<typeof WidgetHistory>;

export const WidgetSendRequest = z
  .strictObject({
    /** Chosen by the widget; a repeated POST with the same id stores once. */
    clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
    text: z.string().trim().max(2000).optional(),
    /** An image uploaded first through `POST /widget/<storeKey>/uploads`. */
    imageUrl: z.string().max(300).optional(),
  })
  .refine((r) => (r.text?.length ?? 0) > 0 || r.imageUrl !== undefined, {
    message: "A message needs text or an image",
    path: ["text"],
  });
export type WidgetSendRequest = z.infer<typeof WidgetSendRequest>;

export const WidgetSendResult = z.object({
  message: WidgetMessage.nullable(),
  duplicate: z.boolean(),
  /** No agent online: the message is kept and answered later. */
  offline: z.boolean(),
});
export type WidgetSendResult = z.infer<typeof WidgetSendResult>;

export const WidgetUpload = z.object({ url: z.string() });
export type WidgetUpload = z.infer<typeof WidgetUpload>;

/** Socket.io event names of the `/widget` namespace. */
export const widgetChannel = { message: "widget:message" } as const;

/**
 * The API channel's inbound message. Signed: `x-yunxi-timestamp` (unix seconds) and
 * `x-yunxi-signature: sha256=<hex HMAC-SHA256(appSecret, timestamp + "." + rawBody)>`.
 */
export const ApiInboundMessage = z
  .strictObject({
    /** Your id of the message: a repeat is stored once. */
    messageId: z.string().trim().min(1).max(200),
    user: z.strictObject({ id: z.string().trim().min(1).max(200), name: z.string().trim().min(1).max(100).optional() }),
    text: z.string().trim().max(5000).optional(),
    imageUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    sentAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((m) => (m.text?.length ?? 0) > 0 || m.imageUrl !== undefined, {
    message: "A message needs text or an imageUrl",
    path: ["text"],
  });
export type ApiInboundMessage = z.infer<typeof ApiInboundMessage>;

export const ApiInboundResult = z.object({ accepted: z.literal(true), duplicate: z.boolean() });
export type ApiInboundResult = z.infer<typeof ApiInboundResult>;

/** What the API channel POSTs to the store's webhookUrl for each reply, signed like inbound requests. */
export const ApiWebhookPayload = z.object({
  event: z.literal("message.created"),
  /** Same on every retry of one reply: deduplicate on it. Also in `x-yunxi-delivery`. */
  deliveryId: z.string(),
  conversationId: z.string(),
  user: z.object({ id: z.string(), name: z.string() }),
  message: z.object({
    id: z.string(),
    kind: z.string(),
    text: z.string(),
    imageUrl: z.string().nullable(),
    createdAt: z.string(),
  }),
});
export type ApiWebhookPayload = z.infer<typeof ApiWebhookPayload>;
