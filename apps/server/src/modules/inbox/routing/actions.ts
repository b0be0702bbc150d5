import type { MergeRequest, NoteRequest, SnoozeRequest, TransferRequest } from "@yunxi/contracts";
import { and, eq, sql } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { isId, newId } from "../../../platform/db/ids.ts";
import { appendEvents, type NewEvent } from "../../../platform/events/log.ts";
import { AppError, badRequest, conflict, forbidden, notFound } from "../../../platform/http/errors.ts";
import { recordAudit } from "../../audit/index.ts";
import { type Actor, atLeast, listUsers, membershipsOf } from "../../identity/index.ts";
import { type ConversationRow, type MessageRow, presentMessage } from "../presenter.ts";
import { getConversationRow, presentConversations } from "../queries.ts";
import { conversations, messages } from "../tables.ts";
import { agentEvents, requeue, routeOrg } from "./queue.ts";
import { listGroups } from "./settings.ts";

/**
 * The agent's manual moves on a conversation: claim, unassign, transfer, snooze,
 * merge, internal notes. Each is one transaction that tells every screen.
 */

type Outcome = { conversation: ConversationRow; notes?: MessageRow[]; agentIds?: (string | null)[]; route?: boolean };

async function act(
  ctx: AppContext,
  actor: Actor,
  id: string,
  work: (tx: Executor, row: ConversationRow, now: Date) => Promise<Outcome>,
) {
  const result = await ctx.db.transaction(async (tx) => {
    const row = await lockConversation(tx, actor, id);
    const outcome = await work(tx, row, ctx.now());
    const [shown] = await presentConversations(tx, actor.orgId, [outcome.conversation]);
    // The change first, then the note about it: a screen reading the note already knows who holds it now.
    const events: NewEvent[] = [
      { type: "conversation.updated", storeId: row.storeId, payload: { conversation: shown } },
    ];
    for (const note of outcome.notes ?? []) {
      events.push({
        type: "message.created",
        storeId: row.storeId,
        payload: { message: presentMessage(note), conversation: shown },
      });
    }
    const agentIds = [...new Set((outcome.agentIds ?? []).filter((a): a is string => a !== null))];
    events.push(...(await agentEvents(tx, actor.orgId, agentIds)));
    return { shown: shown!, route: outcome.route ?? false, events: await appendEvents(tx, actor.orgId, events) };
  });
  ctx.bus.publish(result.events);
  if (result.route) await routeOrg(ctx, actor.orgId);
  return result.shown;
}

/** The conversation, locked for this transaction, if the actor may see it. */
async function lockConversation(tx: Executor, actor: Actor, id: string): Promise<ConversationRow> {
  if (!isId(id)) throw notFound("Conversation");
  await tx.execute(sql`SELECT 1 FROM conversations WHERE org_id = ${actor.orgId} AND id = ${id} FOR UPDATE`);
  return getConversationRow(tx, actor, id);
}

async function update(tx: Executor, id: string, set: Partial<ConversationRow>, now: Date): Promise<ConversationRow> {
  const [row] = await tx
    .update(conversations)
    .set({ ...set, updatedAt: now })
    .where(eq(conversations.id, id))
    .returning();
  return row!;
}

/** Holding a conversation is the assignee's business, a supervisor's, or anyone's when nobody holds it. */
function assertMayReassign(actor: Actor, row: ConversationRow): void {
  if (row.assigneeId === null || row.assigneeId === actor.userId || atLeast(actor, "supervisor")) return;
  throw forbidden("Only the agent holding this conversation or a supervisor can hand it on");
}

async function userName(tx: Executor, orgId: string, userId: string): Promise<string> {
  return (await listUsers(tx, orgId)).find((u) => u.id === userId)?.name ?? userId;
}

/**
 * Take a conversation. Of two agents claiming at once exactly one wins: the row is
 * locked, and the loser sees who holds it (409 already_assigned).
 */
export const claim = (ctx: AppContext, actor: Actor, id: string) =>
  act(ctx, actor, id, async (tx, row, now) => {
    if (row.assigneeId === actor.userId) return { conversation: row };
    if (row.assigneeId !== null) {
      const holder = await userName(tx, actor.orgId, row.assigneeId);
      throw new AppError(409, "already_assigned", `${holder} is already handling this conversation`);
    }
    if (row.status === "resolved") throw conflict("This conversation is resolved; reopen it first");
    const conversation = await update(tx, row.id, { assigneeId: actor.userId, assignedAt: now, queuedAt: null }, now);
    await audit(tx, actor, "conversation.claimed", row.id);
    return { conversation, agentIds: [actor.userId] };
  });

export const unassign = (ctx: AppContext, actor: Actor, id: string) =>
  act(ctx, actor, id, async (tx, row, now) => {
    assertMayReassign(actor, row);
    if (row.assigneeId === null) return { conversation: row };
    const [conversation] = await requeue(tx, actor.orgId, sql`id = ${row.id}::uuid`, now);
    await audit(tx, actor, "conversation.unassigned", row.id, { from: row.assigneeId });
    return { conversation: conversation!, agentIds: [row.assigneeId], route: true };
  });

/**
 * Hand the conversation to an agent (who must serve its store) or to a group
 * (it goes back to the queue, for that group's members). The note stays in the
 * thread as an internal note.
 */
export const transfer = (ctx: AppContext, actor: Actor, id: string, input: TransferRequest) =>
  act(ctx, actor, id, async (tx, row, now) => {
    assertMayReassign(actor, row);
    if (row.status === "resolved") throw conflict("This conversation is resolved; reopen it first");
    let conversation: ConversationRow;
    let target: string;
    if (input.toUserId !== undefined) {
      const to = await transferTarget(tx, actor.orgId, input.toUserId, row.storeId);
      conversation = await update(
        tx,
        row.id,
        { assigneeId: to.id, assignedAt: now, queuedAt: null, groupId: null },
        now,
      );
      target = to.name;
    } else {
      const group = (await listGroups(tx, actor.orgId)).find((g) => g.id === input.toGroupId);
      if (!group) throw new AppError(422, "unknown_group", "The group does not exist");
      await update(tx, row.id, { groupId: input.toGroupId! }, now);
      [conversation] = (await requeue(tx, actor.orgId, sql`id = ${row.id}::uuid`, now)) as [ConversationRow];
      target = group.name;
    }
    const note = await insertNote(tx, actor, row, `→ ${target}${input.note ? `：${input.note}` : ""}`, [], now);
    await audit(tx, actor, "conversation.transferred", row.id, { from: row.assigneeId, ...input });
    return {
      conversation,
      notes: [note],
      agentIds: [row.assigneeId, conversation.assigneeId],
      route: conversation.assigneeId === null,
    };
  });

async function transferTarget(tx: Executor, orgId: string, userId: string, storeId: string) {
  const user = isId(userId) ? (await listUsers(tx, orgId)).find((u) => u.id === userId) : undefined;
  if (!user || user.disabled) throw new AppError(422, "unknown_agent", "No such active agent in this organisation");
  const serves =
    user.role !== "agent" || ((await membershipsOf(tx, orgId, [user.id])).get(user.id) ?? []).includes(storeId);
  if (!serves) {
    throw new AppError(422, "not_serving_store", `${user.name} does not serve this conversation's store`);
  }
  return user;
}

/** Put aside until a time: pending meanwhile; the time or a buyer message brings it back. */
export const snooze = (ctx: AppContext, actor: Actor, id: string, input: SnoozeRequest) =>
  act(ctx, actor, id, async (tx, row, now) => {
    const until = new Date(input.until);
    if (until <= now) throw badRequest("Snooze until a time in the future");
    if (row.status === "resolved") throw conflict("This conversation is resolved");
    const conversation = await update(tx, row.id, { status: "pending", snoozedUntil: until, queuedAt: null }, now);
    await audit(tx, actor, "conversation.snoozed", row.id, { until: input.until });
    return { conversation };
  });

/**
 * Merge another conversation of the same buyer into this one: its messages move
 * here, it is closed and points at this one.
 */
export const merge = (ctx: AppContext, actor: Actor, id: string, input: MergeRequest) =>
  act(ctx, actor, id, async (tx, row, now) => {
    if (input.conversationId === row.id) throw badRequest("A conversation cannot be merged into itself");
    const other = await lockConversation(tx, actor, input.conversationId);
    if (other.customerId !== row.customerId) {
      throw new AppError(422, "different_buyer", "Only conversations of the same buyer can be merged");
    }
    await tx
      .update(messages)
      .set({ conversationId: row.id })
      .where(and(eq(messages.orgId, actor.orgId), eq(messages.conversationId, other.id)));
    const closed = await update(
      tx,
      other.id,
      { status: "resolved", resolvedAt: now, mergedIntoId: row.id, queuedAt: null, unreadCount: 0 },
      now,
    );
    const earliest = (a: Date | null, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));
    const latest = (a: Date | null, b: Date | null) => (a && b ? (a > b ? a : b) : (a ?? b));
    const conversation = await update(
      tx,
      row.id,
      {
        unreadCount: row.unreadCount + other.unreadCount,
        firstInboundAt: earliest(row.firstInboundAt, other.firstInboundAt),
        lastInboundAt: latest(row.lastInboundAt, other.lastInboundAt),
        ...(other.lastMessageAt > row.lastMessageAt && {
          lastMessageAt: other.lastMessageAt,
          lastMessagePreview: other.lastMessagePreview,
        }),
      },
      now,
    );
    const [shownClosed] = await presentConversations(tx, actor.orgId, [closed]);
    await appendEvents(tx, actor.orgId, [
      { type: "conversation.updated", storeId: other.storeId, payload: { conversation: shownClosed } },
    ]);
    await audit(tx, actor, "conversation.merged", row.id, { merged: other.id });
    return { conversation, agentIds: [other.assigneeId] };
  });

/** An internal note: seen by agents, never sent to the buyer; mentioned users are told. */
export async function addNote(ctx: AppContext, actor: Actor, id: string, input: NoteRequest): Promise<MessageRow> {
  let created: MessageRow | undefined;
  await act(ctx, actor, id, async (tx, row, now) => {
    const [earlier] = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.orgId, actor.orgId),
          eq(messages.senderId, actor.userId),
          eq(messages.clientKey, input.idempotencyKey),
        ),
      );
    if (earlier) {
      created = earlier;
      return { conversation: row };
    }
    await assertMentionable(tx, actor.orgId, input.mentions, row.storeId);
    created = await insertNote(tx, actor, row, input.body, input.mentions, now, input.idempotencyKey);
    return { conversation: row, notes: [created] };
  });
  return created!;
}

async function assertMentionable(tx: Executor, orgId: string, userIds: string[], storeId: string): Promise<void> {
  if (userIds.length === 0) return;
  const users = await listUsers(tx, orgId);
  const memberships = await membershipsOf(
    tx,
    orgId,
    users.map((u) => u.id),
  );
  for (const id of userIds) {
    const user = users.find((u) => u.id === id);
    const sees = user && (user.role !== "agent" || (memberships.get(id) ?? []).includes(storeId));
    if (!sees) throw new AppError(422, "unknown_mention", "A mentioned user does not serve this store");
  }
}

async function insertNote(
  tx: Executor,
  actor: Actor,
  row: ConversationRow,
  body: string,
  mentions: string[],
  now: Date,
  clientKey: string | null = null,
): Promise<MessageRow> {
  const [note] = await tx
    .insert(messages)
    .values({
      id: newId(),
      orgId: actor.orgId,
      conversationId: row.id,
      storeId: row.storeId,
      direction: "internal",
      senderType: "agent",
      senderId: actor.userId,
      kind: "note",
      body,
      clientKey,
      mentions: [...new Set(mentions)],
      createdAt: now,
    })
    .returning();
  return note!;
}

function audit(tx: Executor, actor: Actor, action: string, id: string, details?: Record<string, unknown>) {
  return recordAudit(tx, {
    orgId: actor.orgId,
    actorId: actor.userId,
    action,
    targetType: "conversation",
    targetId: id,
    ...(details && { details }),
  });
}
