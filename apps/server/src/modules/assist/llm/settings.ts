import type { LlmSettings, LlmStatus, LlmTestResult, TestLlmRequest, UpdateLlmSettingsRequest } from "@yunxi/contracts";
import { eq } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { badRequest, forbidden } from "../../../platform/http/errors.ts";
import { recordAudit } from "../../audit/index.ts";
import { type Actor, atLeast } from "../../identity/index.ts";
import { chatCompletion, type LlmEndpoint, LlmError } from "./client.ts";
import { llmSettings } from "./tables.ts";

/**
 * The org's LLM settings: admins read and change them (the key write-only), everyone
 * learns whether drafts are offered. Every change is audited, never with the key.
 */

export type LlmSettingsRow = typeof llmSettings.$inferSelect;

const defaults = (orgId: string): LlmSettingsRow => ({
  orgId,
  enabled: false,
  baseUrl: "",
  model: "",
  apiKeyEnc: null,
  keyHint: null,
  classify: true,
  classifyBelow: 0.5,
  classifyTimeoutMs: 4000,
  drafts: true,
  draftTimeoutMs: 8000,
  updatedBy: null,
  updatedAt: new Date(0),
});

export function assertCanConfigure(actor: Actor): void {
  if (!atLeast(actor, "admin")) throw forbidden("Only admins can configure the language model");
}

export async function settingsRow(db: Executor, orgId: string): Promise<LlmSettingsRow> {
  const [row] = await db.select().from(llmSettings).where(eq(llmSettings.orgId, orgId));
  return row ?? defaults(orgId);
}

/** On, and with somewhere to call. */
export const isUsable = (row: LlmSettingsRow): boolean => row.enabled && row.baseUrl !== "" && row.model !== "";

// The org id is the associated data: a blob copied onto another org will not decrypt.
const sealKey = (ctx: AppContext, orgId: string, key: string) => ctx.vault.encrypt(key, `llm-key:${orgId}`);

/** The endpoint with its decrypted key: server-side only, never presented. */
export function endpointOf(ctx: AppContext, row: LlmSettingsRow): LlmEndpoint {
  return {
    baseUrl: row.baseUrl,
    model: row.model,
    apiKey: row.apiKeyEnc ? ctx.vault.decrypt(row.apiKeyEnc, `llm-key:${row.orgId}`) : null,
  };
}

export const presentSettings = (row: LlmSettingsRow): LlmSettings => ({
  enabled: row.enabled,
  baseUrl: row.baseUrl,
  model: row.model,
  hasKey: row.apiKeyEnc !== null,
  keyHint: row.keyHint,
  classify: row.classify,
  // A real column: 0.45 comes back as 0.4499999…
  classifyBelow: Math.round(row.classifyBelow * 1000) / 1000,
  classifyTimeoutMs: row.classifyTimeoutMs,
  drafts: row.drafts,
  draftTimeoutMs: row.draftTimeoutMs,
  updatedAt: row.updatedAt.getTime() === 0 ? null : row.updatedAt.toISOString(),
});

export async function getSettings(ctx: AppContext, actor: Actor): Promise<LlmSettings> {
  assertCanConfigure(actor);
  return presentSettings(await settingsRow(ctx.db, actor.orgId));
}

export async function llmStatus(ctx: AppContext, actor: Actor): Promise<LlmStatus> {
  const row = await settingsRow(ctx.db, actor.orgId);
  return { drafts: isUsable(row) && row.drafts };
}

/** Long enough that four characters say which key it is without saying the key. */
const hintOf = (key: string): string | null => (key.length >= 12 ? `…${key.slice(-4)}` : null);

export async function updateSettings(
  ctx: AppContext,
  actor: Actor,
  input: UpdateLlmSettingsRequest,
): Promise<LlmSettings> {
  assertCanConfigure(actor);
  const orgId = actor.orgId;
  return ctx.db.transaction(async (tx) => {
    const current = await settingsRow(tx, orgId);
    const newKey = input.apiKey ? input.apiKey : null;
    const keyChange = newKey ? "replaced" : input.clearApiKey ? "cleared" : null;
    const next: LlmSettingsRow = {
      ...current,
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.baseUrl !== undefined && { baseUrl: input.baseUrl.replace(/\/+$/, "") }),
      ...(input.model !== undefined && { model: input.model }),
      ...(input.classify !== undefined && { classify: input.classify }),
      ...(input.classifyBelow !== undefined && { classifyBelow: input.classifyBelow }),
      ...(input.classifyTimeoutMs !== undefined && { classifyTimeoutMs: input.classifyTimeoutMs }),
      ...(input.drafts !== undefined && { drafts: input.drafts }),
      ...(input.draftTimeoutMs !== undefined && { draftTimeoutMs: input.draftTimeoutMs }),
      ...(keyChange === "replaced" && newKey && { apiKeyEnc: sealKey(ctx, orgId, newKey), keyHint: hintOf(newKey) }),
      ...(keyChange === "cleared" && { apiKeyEnc: null, keyHint: null }),
      updatedBy: actor.userId,
      updatedAt: ctx.now(),
    };
    if (next.enabled && (next.baseUrl === "" || next.model === "")) {
      throw badRequest("Set the base URL and the model before switching the language model on");
    }
    const { orgId: _org, ...values } = next;
    await tx.insert(llmSettings).values(next).onConflictDoUpdate({ target: llmSettings.orgId, set: values });
    await recordAudit(tx, {
      orgId,
      actorId: actor.userId,
      action: "llm.settings_changed",
      targetType: "llm_settings",
      targetId: orgId,
      // What changed and the endpoint in use; of the key only that it changed.
      details: {
        fields: Object.keys(input).filter((k) => k !== "apiKey" && k !== "clearApiKey"),
        apiKey: keyChange,
        enabled: next.enabled,
        baseUrl: next.baseUrl,
        model: next.model,
      },
    });
    return presentSettings(next);
  });
}

/** A tiny prompt to the endpoint being set up: how long it took, or why it failed. */
export async function testEndpoint(ctx: AppContext, actor: Actor, input: TestLlmRequest): Promise<LlmTestResult> {
  assertCanConfigure(actor);
  const saved = await settingsRow(ctx.db, actor.orgId);
  const endpoint: LlmEndpoint = {
    ...endpointOf(ctx, saved),
    ...(input.baseUrl && { baseUrl: input.baseUrl }),
    ...(input.model && { model: input.model }),
    ...(input.apiKey && { apiKey: input.apiKey }),
  };
  if (endpoint.baseUrl === "" || endpoint.model === "") {
    return {
      ok: false,
      latencyMs: 0,
      code: "llm_not_configured",
      message: "Set the base URL and the model",
      reply: null,
    };
  }
  try {
    const answer = await chatCompletion(
      endpoint,
      { messages: [{ role: "user", content: "请只回复：好的" }], temperature: 0, maxTokens: 16 },
      Math.max(saved.draftTimeoutMs, saved.classifyTimeoutMs),
    );
    return { ok: true, latencyMs: answer.latencyMs, code: null, message: null, reply: answer.text.slice(0, 100) };
  } catch (err) {
    if (!(err instanceof LlmError)) throw err;
    return { ok: false, latencyMs: err.latencyMs, code: err.code, message: err.message, reply: null };
  }
}
