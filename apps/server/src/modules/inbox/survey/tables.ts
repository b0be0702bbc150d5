import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Per org: Yunxi's own satisfaction survey (contracts SurveySettings). No row = off, with the defaults. */
export const surveySettings = pgTable("survey_settings", {
  orgId: uuid("org_id").primaryKey(),
  enabled: boolean("enabled").notNull().default(false),
  invitation: text("invitation").notNull(),
  thanks: text("thanks").notNull(),
  windowHours: integer("window_hours").notNull().default(24),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One survey per resolved conversation: the invitation sent to the buyer and, once they
 * rate, the one answer (score 1–5, when, which message). The agent is whom the survey
 * rates: the conversation's owner at resolution (assignee, else the last agent who replied).
 */
export const satisfactionSurveys = pgTable(
  "satisfaction_surveys",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    conversationId: uuid("conversation_id").notNull(),
    storeId: uuid("store_id").notNull(),
    identityId: uuid("identity_id").notNull(),
    agentId: uuid("agent_id"),
    invitationMessageId: uuid("invitation_message_id").notNull(),
    /** sent (waiting for the buyer) | answered | lapsed (the buyer wrote something else, a later survey, or the invitation failed) */
    status: text("status").notNull().default("sent"),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
    /** A rating sent after this is an ordinary message. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    score: integer("score"),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    answerMessageId: uuid("answer_message_id"),
  },
  (t) => [
    // Never a second invitation for the same conversation.
    uniqueIndex("satisfaction_surveys_conversation").on(t.conversationId),
    // At most one survey waits for a buyer in a store: the inbound pipeline looks it up by this.
    uniqueIndex("satisfaction_surveys_waiting").on(t.orgId, t.storeId, t.identityId).where(sql`status = 'sent'`),
    index("satisfaction_surveys_sent").on(t.orgId, t.sentAt),
    index("satisfaction_surveys_answered").on(t.orgId, t.answeredAt),
  ],
);
