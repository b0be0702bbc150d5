import { boolean, index, integer, pgTable, real, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** The org's LLM endpoint (contracts LlmSettings); an org without a row has it off. */
export const llmSettings = pgTable("llm_settings", {
  orgId: uuid("org_id").primaryKey(),
  enabled: boolean("enabled").notNull().default(false),
  baseUrl: text("base_url").notNull().default(""),
  model: text("model").notNull().default(""),
  /** ctx.vault ciphertext of the API key, the org id as associated data; null: no key. */
  apiKeyEnc: text("api_key_enc"),
  /** The key's last four characters, shown to admins so they can tell which key is saved. */
  keyHint: text("key_hint"),
  classify: boolean("classify").notNull().default(true),
  classifyBelow: real("classify_below").notNull().default(0.5),
  classifyTimeoutMs: integer("classify_timeout_ms").notNull().default(4000),
  drafts: boolean("drafts").notNull().default(true),
  draftTimeoutMs: integer("draft_timeout_ms").notNull().default(8000),
  updatedBy: uuid("updated_by"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Every time the model was asked to settle a conversation's intent, and what came of it:
 * the record that a tag's source is the LLM (`applied`), and why it is not (`unchanged`,
 * `invalid` label, `stale`: the buyer wrote again or an agent corrected the tag meanwhile,
 * `failed` with the error code). One per run of buyer messages (its newest message time
 * and how many), so a re-triage of the same messages never asks twice.
 */
export const llmClassifications = pgTable(
  "llm_classifications",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    conversationId: uuid("conversation_id").notNull(),
    basedOn: timestamp("based_on", { withTimezone: true }).notNull(),
    unanswered: integer("unanswered").notNull(),
    localIntent: text("local_intent").notNull(),
    localConfidence: real("local_confidence").notNull(),
    /** The label the model chose (a valid intent), or null. */
    llmIntent: text("llm_intent"),
    /** applied | unchanged | invalid | stale | failed */
    outcome: text("outcome").notNull(),
    /** llm_timeout | llm_unreachable | llm_http_<status> | llm_bad_response, or the invalid answer (truncated). */
    detail: text("detail"),
    latencyMs: integer("latency_ms"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("llm_classifications_run").on(t.orgId, t.conversationId, t.basedOn, t.unanswered),
    index("llm_classifications_org_time").on(t.orgId, t.createdAt),
  ],
);
