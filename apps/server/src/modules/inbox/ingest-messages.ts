import type { PlatformId } from "@yunxi/contracts";
import type { InboundContent, InboundEvent } from "@yunxi/marketplaces";
import { type Executor, queryRows, rowFromRaw, sql } from "../../platform/db/client.ts";
import { newId } from "../../platform/db/ids.ts";
import type { NewEvent } from "../../platform/events/log.ts";
import { type BuyerRef, type IdentityRef, identityKeyOf, resolveIdentities } from "../customers/index.ts";
import {
  type ConversationRow,
  type MessageRow,
  presentConversation,
  presentMessage,
  previewOf,
  type StoreRef,
} from "./presenter.ts";
import { parseRating } from "./survey/rating.ts";
import { lapseSurveys, recordSurveyAnswers, type SurveyAnswer } from "./survey/survey.ts";
import { conversations } from "./tables.ts";

export type IngestStore = StoreRef & { orgId: string };
export type MessageEvent = Extract<InboundEvent, { kind: "message" }>;

export interface InboundMessage {
  store: IngestStore;
  event: MessageEvent;
}

export function contentToMessage(content: InboundContent): { kind: string; body: string; attachment: unknown } {
  switch (content.type) {
    case "text":
      return { kind: "text", body: content.text, attachment: null };
    case "image":
      return { kind: "image", body: "[图片]", attachment: { type: "image", url: content.url } };
    case "product_card":
      return {
        kind: "product_card",
        body: `[商品] ${content.title}`,
        attachment: {
          type: "product_card",
          productId: content.productId,
          title: content.title,
          priceCents: null,
          imageUrl: null,
        },
      };
    case "order_card":
      return {
        kind: "order_card",
        body: `[订单] ${content.orderId}`,
        attachment: { type: "order_card", orderId: content.orderId, title: null, status: null, totalCents: null },
      };
  }
}

export const buyerOf = (store: IngestStore, buyer: { platformBuyerId: string; displayName: string }): BuyerRef => ({
  orgId: store.orgId,
  platform: store.platform as PlatformId,
  storeId: store.id,
  platformBuyerId: buyer.platformBuyerId,
  displayName: buyer.displayName,
});

/** A message as it will be stored, before we know whether it is new. */
interface Candidate {
  index: number;
  store: IngestStore;
  identity: IdentityRef;
  row: MessageRow;
  preview: string;
}

/**
 * Buyer messages of one org, any stores, as a constant number of set-based
 * statements whatever their count: identities (found or created), open
 * conversations (found or created), then the messages inserted and their
 * conversations updated in one statement. Same rules as one message at a time:
 *
 * - a message is unique on (store, platform message id): a repeat, in the batch or
 *   already stored, is a no-op (null in the result) and opens no conversation;
 * - at most one unresolved conversation per (store, identity): the partial unique
 *   index arbitrates between concurrent transactions, the loser re-reads;
 * - a conversation gets unread +n, the preview and last-inbound time of its last
 *   message in push order, lastMessageAt the greatest, firstInboundAt kept if set;
 * - events: conversation.created once per new conversation (with its first stored
 *   message), message.created per stored message, each carrying the conversation
 *   as it is after the whole batch;
 * - a buyer with no open conversation in the store but a satisfaction survey waiting
 *   there: their first new message, if it is a rating sent within the survey's window,
 *   is the survey's answer (stored in the resolved conversation, which stays resolved:
 *   see survey/survey.ts); anything else lapses the survey and goes the usual way. This
 *   costs statements only when such a survey exists.
 *
 * Returns, per input message in order, its realtime events or null for a repeat.
 */
export async function ingestMessages(tx: Executor, inbound: InboundMessage[]): Promise<(NewEvent[] | null)[]> {
  const out: (NewEvent[] | null)[] = inbound.map(() => null);
  if (inbound.length === 0) return out;
  const orgId = inbound[0]!.store.orgId;
  // Repeats within the batch: the first one counts, as it would one at a time.
  const seen = new Set<string>();
  const unique = inbound
    .map((m, index) => ({ ...m, index }))
    .filter(({ store, event }) => {
      const key = `${store.id}\u0000${event.platformMessageId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  const identities = await resolveIdentities(
    tx,
    orgId,
    unique.map(({ store, event }) => buyerOf(store, event.buyer)),
  );
  const candidates = unique.map(({ store, event, index }): Candidate => {
    const identity = identities.get(identityKeyOf(buyerOf(store, event.buyer)))!;
    const { kind, body, attachment } = contentToMessage(event.content);
    return {
      index,
      store,
      identity,
      preview: previewOf(body),
      row: {
        id: newId(),
        orgId,
        conversationId: "",
        storeId: store.id,
        direction: "inbound",
        senderType: "buyer",
        senderId: null,
        kind,
        body,
        attachment,
        platformMessageId: event.platformMessageId,
        clientKey: null,
        deliveryStatus: null,
        deliveryError: null,
        deliveryAttempts: 0,
        createdAt: event.sentAt,
        sentAt: null,
        mentions: [],
      },
    };
  });
  const { opened, waiting } = await openConversations(tx, orgId, candidates, true);
  const answered = await answerSurveys(tx, orgId, candidates, waiting);
  if (waiting.size > 0) {
    // The rest of those buyers' messages (and the first one, if it was no rating) go the usual way.
    const rest = candidates.filter(
      (c) => waiting.has(pairKey(c.store.id, c.identity.identityId)) && !answered.has(c.row.id),
    );
    for (const [pair, o] of (await openConversations(tx, orgId, rest, false)).opened) opened.set(pair, o);
  }
  for (const c of candidates) {
    const events = answered.get(c.row.id);
    if (events) out[c.index] = events;
  }
  const fresh = candidates.filter(
    (c) => opened.has(pairKey(c.store.id, c.identity.identityId)) && !answered.has(c.row.id),
  );
  for (const c of fresh) c.row.conversationId = opened.get(pairKey(c.store.id, c.identity.identityId))!.id;
  const updated = await insertMessages(tx, orgId, fresh);

  const announced = new Set<string>();
  for (const c of fresh) {
    const conversation = updated.get(c.row.conversationId);
    if (!conversation?.inserted.has(c.row.id)) continue;
    const shown = presentConversation(conversation.row, c.store, c.identity);
    const events: NewEvent[] = [];
    if (opened.get(pairKey(c.store.id, c.identity.identityId))!.created && !announced.has(conversation.row.id)) {
      announced.add(conversation.row.id);
      events.push({ type: "conversation.created", storeId: c.store.id, payload: { conversation: shown } });
    }
    events.push({
      type: "message.created",
      storeId: c.store.id,
      payload: { message: presentMessage(c.row), conversation: shown },
    });
    out[c.index] = events;
  }
  return out;
}

const pairKey = (storeId: string, identityId: string) => `${storeId}\u0000${identityId}`;

interface OpenedRow {
  id: string | null;
  store_id: string;
  identity_id: string;
  created: boolean;
  survey_id: string | null;
  survey_conversation_id: string | null;
  survey_expires_ms: string | number | null;
  first_message: string;
}

/** A buyer's survey waiting for an answer, and their first message not stored yet. */
interface Waiting {
  surveyId: string;
  conversationId: string;
  expiresAt: number;
  firstMessage: string;
}

/**
 * The open conversation of every (store, identity) pair with a message not stored
 * yet, created where missing. A pair whose insert lost a race with another
 * transaction comes back without id; the same statement run again finds the
 * winner's row (ON CONFLICT waited for it to commit). Pairs whose messages are all repeats are
 * left out: a repeated push opens nothing.
 */
async function openConversations(
  tx: Executor,
  orgId: string,
  candidates: Candidate[],
  surveys: boolean,
): Promise<{ opened: Map<string, { id: string; created: boolean }>; waiting: Map<string, Waiting> }> {
  const opened = new Map<string, { id: string; created: boolean }>();
  const waiting = new Map<string, Waiting>();
  let pending = candidates;
  for (let attempt = 0; attempt < 3 && pending.length > 0; attempt++) {
    const rows = await queryRows<OpenedRow>(
      tx,
      sql`WITH wanted AS (
            SELECT DISTINCT ON (w.store_id, w.identity_id) w.store_id, w.identity_id, w.customer_id, w.at,
                   w.platform_message_id
            FROM unnest(${sql.param(pending.map((c) => c.store.id))}::uuid[],
                        ${sql.param(pending.map((c) => c.identity.identityId))}::uuid[],
                        ${sql.param(pending.map((c) => c.identity.customerId))}::uuid[],
                        ${sql.param(pending.map((c) => c.row.createdAt.toISOString()))}::timestamptz[],
                        ${sql.param(pending.map((c) => c.row.platformMessageId))}::text[])
                 WITH ORDINALITY AS w(store_id, identity_id, customer_id, at, platform_message_id, ord)
            WHERE NOT EXISTS (SELECT 1 FROM messages m
                              WHERE m.store_id = w.store_id AND m.platform_message_id = w.platform_message_id)
            ORDER BY w.store_id, w.identity_id, w.ord),
          found AS (
            SELECT c.id, c.store_id, c.identity_id FROM conversations c JOIN wanted w
              ON c.org_id = ${orgId}::uuid AND c.store_id = w.store_id AND c.identity_id = w.identity_id
             AND c.status <> 'resolved'),
          surveyed AS (
            SELECT s.id, s.conversation_id, s.expires_at, s.store_id, s.identity_id
            FROM satisfaction_surveys s JOIN wanted w
              ON s.org_id = ${orgId}::uuid AND s.store_id = w.store_id AND s.identity_id = w.identity_id
             AND s.status = 'sent' AND ${surveys}::boolean
            WHERE NOT EXISTS (SELECT 1 FROM found f WHERE f.store_id = w.store_id AND f.identity_id = w.identity_id)),
          created AS (
            INSERT INTO conversations (id, org_id, store_id, customer_id, identity_id, last_message_at)
            SELECT gen_random_uuid(), ${orgId}::uuid, w.store_id, w.customer_id, w.identity_id, w.at FROM wanted w
            WHERE NOT EXISTS (SELECT 1 FROM found f WHERE f.store_id = w.store_id AND f.identity_id = w.identity_id)
              AND NOT EXISTS (SELECT 1 FROM surveyed s WHERE s.store_id = w.store_id AND s.identity_id = w.identity_id)
            ORDER BY w.store_id, w.identity_id
            ON CONFLICT DO NOTHING
            RETURNING id, store_id, identity_id)
          SELECT w.store_id, w.identity_id, coalesce(f.id, n.id) AS id, n.id IS NOT NULL AS created,
                 s.id AS survey_id, s.conversation_id AS survey_conversation_id,
                 floor(extract(epoch FROM s.expires_at) * 1000)::int8 AS survey_expires_ms,
                 w.platform_message_id AS first_message
          FROM wanted w
          LEFT JOIN found f ON f.store_id = w.store_id AND f.identity_id = w.identity_id
          LEFT JOIN created n ON n.store_id = w.store_id AND n.identity_id = w.identity_id
          LEFT JOIN surveyed s ON s.store_id = w.store_id AND s.identity_id = w.identity_id`,
    );
    // A pair without id lost a race: another transaction created its conversation meanwhile.
    const lost = new Set<string>();
    for (const r of rows) {
      const pair = pairKey(r.store_id, r.identity_id);
      if (r.survey_id !== null && r.survey_conversation_id !== null) {
        waiting.set(pair, {
          surveyId: r.survey_id,
          conversationId: r.survey_conversation_id,
          expiresAt: Number(r.survey_expires_ms),
          firstMessage: r.first_message,
        });
      } else if (r.id === null) lost.add(pair);
      else opened.set(pair, { id: r.id, created: r.created });
    }
    pending = pending.filter((c) => lost.has(pairKey(c.store.id, c.identity.identityId)));
  }
  return { opened, waiting };
}

/**
 * The answers among the first new messages of buyers with a survey waiting: a text that
 * is a rating, sent before the survey expired. Those surveys are answered (survey.ts);
 * every other waiting survey lapses, since its buyer wrote something else. Returns the
 * events of each message recorded as an answer, by message id.
 */
async function answerSurveys(
  tx: Executor,
  orgId: string,
  candidates: Candidate[],
  waiting: Map<string, Waiting>,
): Promise<Map<string, NewEvent[]>> {
  if (waiting.size === 0) return new Map();
  const answers: SurveyAnswer[] = [];
  for (const c of candidates) {
    const survey = waiting.get(pairKey(c.store.id, c.identity.identityId));
    if (!survey || survey.firstMessage !== c.row.platformMessageId) continue;
    const score = c.row.kind === "text" ? parseRating(c.row.body) : null;
    if (score === null || c.row.createdAt.getTime() > survey.expiresAt) continue;
    answers.push({
      surveyId: survey.surveyId,
      conversationId: survey.conversationId,
      score,
      row: c.row,
      store: c.store,
      identity: c.identity,
    });
  }
  const answered = await recordSurveyAnswers(tx, orgId, answers);
  const recorded = new Set(answers.filter((a) => answered.has(a.row.id)).map((a) => a.surveyId));
  await lapseSurveys(
    tx,
    orgId,
    [...waiting.values()].map((w) => w.surveyId).filter((id) => !recorded.has(id)),
  );
  return answered;
}

type UpdatedRow = Record<string, unknown> & { id: string; inserted: string[] };

/**
 * Insert the messages (repeats do nothing) and move their conversations on, in one
 * statement; returns each updated conversation with the ids of its new messages.
 * Rows go in in key order (as identities and conversations do), so concurrent
 * transactions over the same keys queue instead of deadlocking.
 */
async function insertMessages(
  tx: Executor,
  orgId: string,
  fresh: Candidate[],
): Promise<Map<string, { row: ConversationRow; inserted: Set<string> }>> {
  if (fresh.length === 0) return new Map();
  const column = <T>(f: (c: Candidate) => T) => sql.param(fresh.map(f));
  const rows = await queryRows<UpdatedRow>(
    tx,
    sql`WITH input AS (
          SELECT * FROM unnest(${column((c) => c.row.id)}::uuid[], ${column((c) => c.row.conversationId)}::uuid[],
                               ${column((c) => c.row.storeId)}::uuid[], ${column((c) => c.row.kind)}::text[],
                               ${column((c) => c.row.body)}::text[],
                               ${column((c) => (c.row.attachment === null ? null : JSON.stringify(c.row.attachment)))}::text[],
                               ${column((c) => c.row.platformMessageId)}::text[],
                               ${column((c) => c.row.createdAt.toISOString())}::timestamptz[],
                               ${column((c) => c.preview)}::text[])
                 WITH ORDINALITY AS u(id, conversation_id, store_id, kind, body, attachment, platform_message_id,
                                      created_at, preview, ord)),
        inserted AS (
          INSERT INTO messages (id, org_id, conversation_id, store_id, direction, sender_type, kind, body, attachment,
                                platform_message_id, created_at)
          SELECT id, ${orgId}::uuid, conversation_id, store_id, 'inbound', 'buyer', kind, body, attachment::jsonb,
                 platform_message_id, created_at
          FROM input ORDER BY store_id, platform_message_id
          ON CONFLICT DO NOTHING
          RETURNING id),
        per_conversation AS (
          SELECT i.conversation_id, count(*)::int AS n, max(i.created_at) AS last_at, min(i.created_at) AS first_at,
                 (array_agg(i.preview ORDER BY i.ord DESC))[1] AS preview,
                 (array_agg(i.created_at ORDER BY i.ord DESC))[1] AS last_inbound_at,
                 array_agg(i.id::text) AS inserted
          FROM input i JOIN inserted USING (id) GROUP BY i.conversation_id)
        UPDATE conversations c
        SET status = 'open', unread_count = c.unread_count + p.n, last_message_preview = p.preview,
            last_message_at = greatest(c.last_message_at, p.last_at),
            first_inbound_at = coalesce(c.first_inbound_at, p.first_at),
            last_inbound_at = p.last_inbound_at, needs_triage = true, updated_at = ${new Date().toISOString()}::timestamptz
        FROM per_conversation p
        WHERE c.org_id = ${orgId}::uuid AND c.id = p.conversation_id
        RETURNING c.*, p.inserted`,
  );
  return new Map(rows.map((r) => [r.id, { row: rowFromRaw(conversations, r), inserted: new Set(r.inserted) }]));
}
