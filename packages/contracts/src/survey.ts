import { z } from "zod";

/**
 * Yunxi's own satisfaction survey (满意度邀评): when an agent resolves a conversation, the
 * buyer is asked to rate the service 1–5 through the conversation's channel; a rating sent
 * back within the window is recorded and counts towards CSAT beside the platforms' ratings.
 */
export const DEFAULT_SURVEY_INVITATION = "亲，请为本次服务打分：回复 1-5（5 非常满意）";
export const DEFAULT_SURVEY_THANKS = "感谢您的评价，祝您生活愉快！";

export const SurveySettings = z.strictObject({
  enabled: z.boolean(),
  /** What the buyer is sent on resolution. */
  invitation: z.string().trim().min(1).max(200),
  /** The short acknowledgement of a recorded rating. */
  thanks: z.string().trim().min(1).max(200),
  /** A rating counts if it arrives within this many hours of the invitation. */
  windowHours: z.number().int().min(1).max(168),
});
export type SurveySettings = z.infer<typeof SurveySettings>;

/** The system-notice events of a survey's messages (attachment `{ type: "system", event }`). */
export const surveyEvents = ["survey.invited", "survey.answered", "survey.thanked"] as const;
export type SurveyEvent = (typeof surveyEvents)[number];
