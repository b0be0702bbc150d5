import { DEFAULT_SURVEY_INVITATION, DEFAULT_SURVEY_THANKS, type SurveySettings } from "@yunxi/contracts";
import { eq } from "drizzle-orm";
import type { AppContext } from "../../../platform/context.ts";
import type { Executor } from "../../../platform/db/client.ts";
import { forbidden } from "../../../platform/http/errors.ts";
import { recordAudit } from "../../audit/index.ts";
import { type Actor, atLeast } from "../../identity/index.ts";
import { surveySettings } from "./tables.ts";

export const defaultSurveySettings: SurveySettings = {
  enabled: false,
  invitation: DEFAULT_SURVEY_INVITATION,
  thanks: DEFAULT_SURVEY_THANKS,
  windowHours: 24,
};

/** The org's survey settings (off, with the default texts, until an admin turns it on). */
export async function loadSurveySettings(db: Executor, orgId: string): Promise<SurveySettings> {
  const [row] = await db.select().from(surveySettings).where(eq(surveySettings.orgId, orgId));
  if (!row) return defaultSurveySettings;
  return { enabled: row.enabled, invitation: row.invitation, thanks: row.thanks, windowHours: row.windowHours };
}

/** Supervisors read the settings (they see the rates); only admins change what is sent to buyers. */
export async function getSurveySettings(db: Executor, actor: Actor): Promise<SurveySettings> {
  if (!atLeast(actor, "supervisor")) throw forbidden("Only supervisors and admins can see this");
  return loadSurveySettings(db, actor.orgId);
}

export async function saveSurveySettings(
  ctx: AppContext,
  actor: Actor,
  input: SurveySettings,
): Promise<SurveySettings> {
  if (!atLeast(actor, "admin")) throw forbidden("Only admins can change the satisfaction survey");
  await ctx.db.transaction(async (tx) => {
    const values = { orgId: actor.orgId, ...input, updatedAt: ctx.now() };
    await tx.insert(surveySettings).values(values).onConflictDoUpdate({ target: surveySettings.orgId, set: values });
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.userId,
      action: "survey_settings.updated",
      targetType: "org",
      targetId: actor.orgId,
      details: { ...input },
    });
  });
  return input;
}
