import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import type { Server } from "socket.io";
import type { AppContext } from "../../platform/context.ts";
import { apiChannelRoutes } from "./api/routes.ts";
import { registerWebhookSender } from "./api/webhook-sender.ts";
import { registerMailSender } from "./email/sender.ts";
import { type SmtpEndpoint, startSmtpEndpoint } from "./email/smtp-endpoint.ts";
import { widgetRoutes } from "./webchat/routes.ts";
import { agentsOnline, openVisitorNamespace } from "./webchat/visitor-socket.ts";

export { API_SIGNATURE_HEADER, API_TIMESTAMP_HEADER } from "./api/routes.ts";
export { API_DELIVERY_HEADER, postSigned } from "./api/signed-post.ts";
export { hmacHex } from "./signing.ts";
export { signIdentity } from "./webchat/identity-signature.ts";

const defaultWidgetScript = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../widget/dist/widget.js",
);

export interface OwnChannels {
  /** Once the realtime gateway runs: the visitors' socket namespace and, if SMTP_PORT is set, the mail endpoint. */
  start(io: Server): Promise<void>;
}

const smtpEndpoints = new WeakMap<AppContext, SmtpEndpoint>();

/** The inbound SMTP endpoint of this server, when SMTP_PORT is set and the server started (tests read its port). */
export const smtpEndpointOf = (ctx: AppContext): SmtpEndpoint | undefined => smtpEndpoints.get(ctx);

/**
 * Yunxi's own channels: the web chat widget (`/widget…`, socket namespace
 * `/widget`), e-mail (SMTP in, SMTP relay out) and the HTTP API channel
 * (`/channels/api/…`, webhooks out). Routes are registered now, before the
 * server is ready; `start` attaches what needs the running gateway. Each channel's
 * replies go out through the sender it registers with the delivery worker.
 */
export async function ownChannelRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  options: { widgetScript?: string } = {},
): Promise<OwnChannels> {
  let io: Server | undefined;
  let closeNamespace: (() => void) | undefined;
  const online = async (orgId: string, storeId: string) => (io ? agentsOnline(io, orgId, storeId) : false);

  await app.register(async (scope) =>
    widgetRoutes(scope, ctx, { agentsOnline: online, widgetScript: options.widgetScript ?? defaultWidgetScript }),
  );
  await app.register(async (scope) => apiChannelRoutes(scope, ctx));
  registerWebhookSender(ctx);
  registerMailSender(ctx);

  app.addHook("onClose", async () => {
    closeNamespace?.();
    await smtpEndpoints.get(ctx)?.close();
    smtpEndpoints.delete(ctx);
  });

  return {
    async start(gatewayIo) {
      io = gatewayIo;
      closeNamespace = openVisitorNamespace(ctx, gatewayIo).close;
      if (ctx.config.smtpPort !== undefined) {
        const endpoint = await startSmtpEndpoint(ctx, ctx.config.smtpPort, ctx.config.smtpHost);
        smtpEndpoints.set(ctx, endpoint);
        ctx.log.info({ port: endpoint.port }, "inbound mail endpoint listening");
      }
    },
  };
}
