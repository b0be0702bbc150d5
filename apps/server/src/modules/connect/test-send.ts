import { ApiError, type PlatformId, TestSendRequest, TestSendResult } from "@yunxi/contracts";
import { adapterFor, PlatformError } from "@yunxi/marketplaces";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../platform/context.ts";
import { isId, newId } from "../../platform/db/ids.ts";
import { AppError, badRequest, forbidden, notFound } from "../../platform/http/errors.ts";
import { recordAudit } from "../audit/index.ts";
import { type Actor, actorOf, canManageStores } from "../identity/index.ts";
import { getStore, isActive, openCredentials, platformContext } from "../stores/index.ts";
import { outboundRefusal } from "./outbound-check.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = {
  400: ApiError,
  401: ApiError,
  403: ApiError,
  404: ApiError,
  409: ApiError,
  422: ApiError,
  502: ApiError,
};

/**
 * Send one text to a buyer through the store's platform right now, to check the
 * credentials and the grant. Not stored as a conversation message; audited.
 */
export async function testSend(
  ctx: AppContext,
  actor: Actor,
  storeId: string,
  input: TestSendRequest,
): Promise<TestSendResult> {
  if (!canManageStores(actor)) throw forbidden();
  const store = await getStore(ctx.db, actor, storeId);
  const platform = store.platform as PlatformId;
  const adapter = adapterFor(platform);
  if (!adapter) throw badRequest(`No platform adapter for ${platform}`);
  if (!isActive(store)) throw new AppError(409, "store_disabled", "This store is disabled");
  const content = { type: "text" as const, text: input.text };
  const refusal = outboundRefusal(platform, content);
  if (refusal) throw new AppError(422, "platform_limit", refusal);
  const audit = (details: Record<string, unknown>) =>
    recordAudit(ctx.db, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "store.test_send",
      targetType: "store",
      targetId: store.id,
      details: { buyerId: input.buyerId, ...details },
    });
  try {
    const sent = await adapter.send(platformContext(ctx, { store, credentials: openCredentials(ctx, store) }), {
      buyer: { platformBuyerId: input.buyerId, displayName: input.buyerId },
      content,
      clientMessageId: `test-${newId()}`,
    });
    await audit({ ok: true, platformMessageId: sent.platformMessageId });
    return { ok: true, platformMessageId: sent.platformMessageId };
  } catch (err) {
    const message =
      err instanceof PlatformError
        ? `${err.platformCode}: ${err.message}`
        : err instanceof Error
          ? err.message
          : String(err);
    await audit({ ok: false, error: message.slice(0, 300) });
    throw new AppError(502, "platform_error", message);
  }
}

export function testSendRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/api/stores/:id/test-send",
    {
      schema: {
        tags: ["stores"],
        params: IdParams,
        body: TestSendRequest,
        response: { 200: TestSendResult, ...errors },
      },
    },
    async (request) => {
      if (!isId(request.params.id)) throw notFound("Store");
      return testSend(ctx, actorOf(request), request.params.id, request.body);
    },
  );
}
