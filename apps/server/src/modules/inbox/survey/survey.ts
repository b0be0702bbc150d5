import type { Conversation, SurveyEvent } from "@yunxi/contracts";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../../../platform/db/client.ts";
import { queryRows } from "../../../platform/db/client.ts";
import { newId } from "../../../platform/db/ids.ts";
import type { NewEvent } from "../../../platform/events/log.ts";
import type { IdentityRef } from "../../customers/index.ts";
import { enqueueDelivery } from "../outbound.ts";
import {
  type ConversationRow,
  type MessageRow,
  presentConversation,
  presentMessage,
  previewOf,
  type StoreRef,
} from "../presenter.ts";
import type { ReplyChecks } from "../replies.ts";
import { conversations, messages } from "../tables.ts";
import { loadSurveySettings } from "./settings.ts";
import { satisfactionSurveys } from "./tables.ts";

/**
 * Yunxi's own satisfaction survey. On resolution the buyer is sent an invitation through
 * the conversation's channel; their next message, if it is a rating and comes within the
 * window, is the answer: recorded, thanked, and kept in the resolved conversation instead
 * of opening a new one (see ingest-messages.ts).
 *
 * The survey's messages are marked so that no KPI takes them for service: the invitation
 * and the thank-you are outbound `sender_type = system` (not an agent's or the bot's
 * reply), the answer an inbound buyer line carrying a `survey.answered` system attachment
 * (not a buyer line: it opens no round). docs/metrics.md says so.
 */

const systemAttachment = (event: SurveyEvent) => ({ type: "system" as const, event, orderId: null });

/** Whom the survey rates: the assignee, else the last agent who replied (null: nobody replied). */
async function lastHumanReplier(tx: Executor, conversation: ConversationRow): Promise<string | null> {
  const [reply] = await tx
    .select({ senderId: messages.senderId })
    .from(messages)
    .where(
      and(
        eq(messages.orgId, conversation.orgId),
        eq(messages.conversationId, conversation.id),
        eq(messages.direction, "outbound"),
        eq(messages.senderType, "agent"),
        sql`coalesce(${messages.deliveryStatus}, 'sent') <> 'failed'`,
      ),
    )
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return reply ? (reply.senderId ?? null) : null;
}

/**
 * On resolution, in the resolving transaction: invite the buyer to rate the service, once
 * per conversation, if the org has the survey on, an agent replied in the conversation,
 * and its store can send the text. The invitation goes out like any reply (the delivery
 * job); a waiting survey of the same buyer in the store gives way to this one.
 */
export async function inviteToSurvey(
  tx: Executor,
  conversation: ConversationRow,
  shown: Conversation,
  checks: ReplyChecks,
  now: Date,
): Promise<NewEvent[]> {
  const { orgId } = conversation;
  const settings = await loadSurveySettings(tx, orgId);
  if (!settings.enabled || conversation.mergedIntoId) return [];
  const [earlier] = await tx
    .select({ id: satisfactionSurveys.id })
    .from(satisfactionSurveys)
    .where(and(eq(satisfactionSurveys.orgId, orgId), eq(satisfactionSurveys.conversationId, conversation.id)));
  if (earlier) return [];
  const replier = await lastHumanReplier(tx, conversation);
  if (replier === null) return [];
  const store = await checks.storeOf(tx, orgId, conversation.storeId);
  if (!store?.active || checks.outboundRefusal(store.platform, { type: "text", text: settings.invitation })) return [];

  await tx
    .update(satisfactionSurveys)
    .set({ status: "lapsed" })
    .where(
      and(
        eq(satisfactionSurveys.orgId, orgId),
        eq(satisfactionSurveys.storeId, conversation.storeId),
        eq(satisfactionSurveys.identityId, conversation.identityId),
        eq(satisfactionSurveys.status, "sent"),
      ),
    );
  const [invitation] = await tx
    .insert(messages)
    .values({
      id: newId(),
      orgId,
      conversationId: conversation.id,
      storeId: conversation.storeId,
      direction: "outbound",
      senderType: "system",
      kind: "text",
      body: settings.invitation,
      attachment: systemAttachment("survey.invited"),
      deliveryStatus: "pending",
      createdAt: now,
    })
    .returning();
  await enqueueDelivery(tx, invitation!);
  await tx.insert(satisfactionSurveys).values({
    id: newId(),
    orgId,
    conversationId: conversation.id,
    storeId: conversation.storeId,
    identityId: conversation.identityId,
    agentId: conversation.assigneeId ?? replier,
    invitationMessageId: invitation!.id,
    sentAt: now,
    expiresAt: new Date(now.getTime() + settings.windowHours * 3_600_000),
  });
  return [
    {
      type: "message.created",
      storeId: conversation.storeId,
      payload: { message: presentMessage(invitation!), conversation: shown },
    },
  ];
}

/** A buyer message the inbound pipeline found to be a rating for a waiting survey. */
export interface SurveyAnswer {
  surveyId: string;
  conversationId: string;
  score: number;
  /** The buyer's message as it will be stored (its conversation is set here). */
  row: MessageRow;
  store: StoreRef;
  identity: IdentityRef;
}

/**
 * Record answers, in the ingest transaction: each survey still waiting takes its answer
 * (a survey another transaction answered meanwhile takes nothing, and its message is
 * returned to be handled as an ordinary one), the message is stored in the resolved
 * conversation without reopening it, and a thank-you goes out. Returns the events of
 * each recorded answer by message id.
 */
export async function recordSurveyAnswers(
  tx: Executor,
  orgId: string,
  answers: SurveyAnswer[],
): Promise<Map<string, NewEvent[]>> {
  const out = new Map<string, NewEvent[]>();
  if (answers.length === 0) return out;
  // The answer comes after the invitation it answers, whatever the platform's clock says: a
  // platform giving times to the second (JD) stamps an answer within the invitation's second
  // before it. So the answer is stamped no earlier than 1 ms after the invitation (sent_at
  // is the invitation's time), and the thread reads invitation, answer, thank-you.
  const took = await queryRows<{ id: string; answered_ms: string | number }>(
    tx,
    sql`UPDATE satisfaction_surveys s
        SET status = 'answered', score = u.score, answer_message_id = u.message_id,
            answered_at = greatest(u.at, s.sent_at + interval '1 millisecond')
        FROM unnest(${sql.param(answers.map((a) => a.surveyId))}::uuid[], ${sql.param(answers.map((a) => a.score))}::int4[],
                    ${sql.param(answers.map((a) => a.row.createdAt.toISOString()))}::timestamptz[],
                    ${sql.param(answers.map((a) => a.row.id))}::uuid[]) AS u(id, score, at, message_id)
        WHERE s.org_id = ${orgId}::uuid AND s.id = u.id AND s.status = 'sent'
        RETURNING s.id, floor(extract(epoch FROM s.answered_at) * 1000)::int8 AS answered_ms`,
  );
  const answeredAt = new Map(took.map((r) => [r.id, new Date(Number(r.answered_ms))]));
  const recorded = answers.filter((a) => answeredAt.has(a.surveyId));
  if (recorded.length === 0) return out;
  const { thanks } = await loadSurveySettings(tx, orgId);
  const rows = recorded.map((a) => ({
    ...a.row,
    conversationId: a.conversationId,
    attachment: systemAttachment("survey.answered"),
    createdAt: answeredAt.get(a.surveyId) ?? a.row.createdAt,
  }));
  const stored = await tx.insert(messages).values(rows).onConflictDoNothing().returning({ id: messages.id });
  // The survey was waiting, so its answer cannot have been stored: if it was, another
  // transaction raced this one; fail the batch and let the pipeline retry it.
  if (stored.length !== rows.length) throw new Error("A survey answer was stored concurrently; retrying");
  const thanked = await tx
    .insert(messages)
    .values(
      recorded.map((a, i) => ({
        id: newId(),
        orgId,
        conversationId: a.conversationId,
        storeId: a.row.storeId,
        direction: "outbound",
        senderType: "system",
        kind: "text",
        body: thanks,
        attachment: systemAttachment("survey.thanked"),
        deliveryStatus: "pending",
        // Right after the answer it acknowledges (so after the invitation too).
        createdAt: new Date(rows[i]!.createdAt.getTime() + 1),
      })),
    )
    .returning();
  for (const [i, a] of recorded.entries()) {
    const ack = thanked.find((m) => m.conversationId === a.conversationId)!;
    await enqueueDelivery(tx, ack);
    // The conversation shows the exchange but stays resolved: no unread, no queue, no triage.
    const [conversation] = await tx
      .update(conversations)
      .set({
        lastMessagePreview: previewOf(ack.body),
        lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${ack.createdAt.toISOString()}::timestamptz)`,
        updatedAt: new Date(),
      })
      .where(and(eq(conversations.orgId, orgId), eq(conversations.id, a.conversationId)))
      .returning();
    const shown = presentConversation(conversation!, a.store, a.identity);
    out.set(a.row.id, [
      {
        type: "message.created",
        storeId: a.row.storeId,
        payload: { message: presentMessage(rows[i]!), conversation: shown },
      },
      {
        type: "message.created",
        storeId: a.row.storeId,
        payload: { message: presentMessage(ack), conversation: shown },
      },
    ]);
  }
  return out;
}

/** Surveys whose buyer wrote something else (or too late): no later rating answers them. */
export async function lapseSurveys(tx: Executor, orgId: string, surveyIds: string[]): Promise<void> {
  if (surveyIds.length === 0) return;
  await tx
    .update(satisfactionSurveys)
    .set({ status: "lapsed" })
    .where(
      and(
        eq(satisfactionSurveys.orgId, orgId),
        inArray(satisfactionSurveys.id, surveyIds),
        eq(satisfactionSurveys.status, "sent"),
      ),
    );
}

/**
 * An invitation whose delivery failed reached nobody: its survey lapses, in the transaction
 * that records the failure, so a later rating from that buyer is an ordinary message (it
 * reopens the service) and is not taken for an answer to a question they never saw.
 */
export async function lapseUndeliveredSurvey(tx: Executor, orgId: string, invitationMessageId: string): Promise<void> {
  await tx
    .update(satisfactionSurveys)
    .set({ status: "lapsed" })
    .where(
      and(
        eq(satisfactionSurveys.orgId, orgId),
        eq(satisfactionSurveys.invitationMessageId, invitationMessageId),
        eq(satisfactionSurveys.status, "sent"),
      ),
    );
}
