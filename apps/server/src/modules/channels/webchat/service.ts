import type {
  Message,
  WidgetHistory,
  WidgetSendRequest,
  WidgetSendResult,
  WidgetSession,
  WidgetSessionRequest,
} from "@yunxi/contracts";
import type { InboundContent } from "@yunxi/marketplaces";
import type { AppContext } from "../../../platform/context.ts";
import { randomToken } from "../../../platform/crypto.ts";
import { AppError, badRequest } from "../../../platform/http/errors.ts";
import { findIdentity } from "../../customers/index.ts";
import { buyerHistory, ingestInbound } from "../../inbox/index.ts";
import type { StoreWithCredentials } from "../../stores/index.ts";
import { storeRef } from "../channel-store.ts";
import { uploadedFile } from "../uploads.ts";
import { verifyIdentity } from "./identity-signature.ts";
import { widgetMessageOf } from "./messages.ts";
import { issueVisitorToken, readVisitorToken, type VisitorClaims } from "./visitor-token.ts";

const HISTORY_LIMIT = 200;

/** Whether any agent serving this store is connected (the realtime gateway knows). */
export type AgentsOnline = (orgId: string, storeId: string) => Promise<boolean>;

const anonymousName = (visitorId: string) => `访客${visitorId.slice(-4).toUpperCase()}`;

/**
 * Start or resume a visit. A token from an earlier visit to this store resumes
 * that visitor; a valid merchant signature makes (or resumes) the identified
 * customer; anything else is a new anonymous visitor. A bad signature is refused
 * rather than silently downgraded, so the merchant sees their integration is wrong.
 */
export async function openVisit(
  ctx: AppContext,
  target: StoreWithCredentials,
  request: WidgetSessionRequest,
  agentsOnline: AgentsOnline,
): Promise<WidgetSession> {
  const { store, credentials } = target;
  const now = ctx.now();
  const earlier = readVisitorToken(ctx.vault, request.token, now);
  const resumed = earlier && earlier.s === store.id ? earlier : null;
  let visitor: Omit<VisitorClaims, "e">;
  if (request.identity) {
    const verdict = verifyIdentity(credentials.appSecret, request.identity, now);
    if (!verdict.ok) throw new AppError(401, verdict.reason, verdict.message);
    const id = `user:${request.identity.userId}`;
    visitor = { o: store.orgId, s: store.id, v: id, n: request.identity.name ?? request.identity.userId, i: true };
  } else if (resumed && !resumed.i) {
    visitor = resumed;
  } else {
    // An identified visitor who comes back without a fresh signature (logged out) starts anonymous.
    const id = `anon:${randomToken(12)}`;
    visitor = { o: store.orgId, s: store.id, v: id, n: anonymousName(id), i: false };
  }
  return {
    token: issueVisitorToken(ctx.vault, visitor, now),
    visitor: { id: visitor.v, name: visitor.n, identified: visitor.i },
    store: { name: store.name },
    agentsOnline: await agentsOnline(store.orgId, store.id),
  };
}

/** The visitor of a bearer token, for this store only. */
export function visitorOf(
  ctx: AppContext,
  target: StoreWithCredentials,
  authorization: string | undefined,
): VisitorClaims {
  const token = authorization?.startsWith("Bearer ") ? authorization.slice(7) : undefined;
  const claims = readVisitorToken(ctx.vault, token, ctx.now());
  if (!claims || claims.s !== target.store.id || claims.o !== target.store.orgId) {
    throw new AppError(401, "unauthenticated", "Start a widget session first");
  }
  return claims;
}

/** The visitor's thread in this store, oldest first: inbound messages and the replies already sent. */
export async function visitHistory(
  ctx: AppContext,
  target: StoreWithCredentials,
  visitor: VisitorClaims,
): Promise<WidgetHistory> {
  const { store } = target;
  const identity = await findIdentity(ctx.db, {
    orgId: store.orgId,
    platform: "webchat",
    storeId: store.id,
    platformBuyerId: visitor.v,
  });
  if (!identity) return { items: [] };
  const rows = await buyerHistory(ctx.db, store.orgId, store.id, identity.identityId, HISTORY_LIMIT);
  const shown = rows.filter((m) => m.direction === "inbound" || m.deliveryStatus === "sent");
  return { items: shown.map(widgetMessageOf) };
}

/** Store what the visitor wrote, exactly once per clientId, and say whether anyone is there to answer. */
export async function postVisitorMessage(
  ctx: AppContext,
  target: StoreWithCredentials,
  visitor: VisitorClaims,
  input: WidgetSendRequest,
  agentsOnline: AgentsOnline,
): Promise<WidgetSendResult> {
  const contents: { suffix: string; content: InboundContent }[] = [];
  if (input.imageUrl !== undefined) {
    // Only images uploaded here: a visitor's link to elsewhere would load in the agents' browsers.
    if (!uploadedFile(ctx.config.dataDir, input.imageUrl)) throw badRequest("imageUrl must be an uploaded image");
    contents.push({ suffix: "img", content: { type: "image", url: input.imageUrl } });
  }
  if (input.text) contents.push({ suffix: "txt", content: { type: "text", text: input.text } });
  const sentAt = ctx.now();
  const result = await ingestInbound(
    ctx,
    storeRef(target),
    contents.map(({ suffix, content }) => ({
      kind: "message" as const,
      platformMessageId: `${visitor.v}:${input.clientId}:${suffix}`,
      buyer: { platformBuyerId: visitor.v, displayName: visitor.n },
      content,
      sentAt,
    })),
  );
  const created = result.events
    .filter((e) => e.type === "message.created")
    .map((e) => widgetMessageOf((e.payload as { message: Message }).message));
  return {
    message: created.at(-1) ?? null,
    duplicate: result.stored === 0,
    offline: !(await agentsOnline(target.store.orgId, target.store.id)),
  };
}
