CREATE TABLE "satisfaction_surveys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"identity_id" uuid NOT NULL,
	"agent_id" uuid,
	"invitation_message_id" uuid NOT NULL,
	"status" text DEFAULT 'sent' NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"score" integer,
	"answered_at" timestamp with time zone,
	"answer_message_id" uuid
);
--> statement-breakpoint
CREATE TABLE "survey_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"invitation" text NOT NULL,
	"thanks" text NOT NULL,
	"window_hours" integer DEFAULT 24 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analytics_daily_rollups" ADD COLUMN "surveys_sent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_daily_rollups" ADD COLUMN "survey_responses" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_daily_rollups" ADD COLUMN "survey_score_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_daily_rollups" ADD COLUMN "survey_satisfied" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_facts" ADD COLUMN "surveys_sent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_facts" ADD COLUMN "survey_responses" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_facts" ADD COLUMN "survey_score_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_facts" ADD COLUMN "survey_satisfied" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_minute_rollups" ADD COLUMN "surveys_sent" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_minute_rollups" ADD COLUMN "survey_responses" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_minute_rollups" ADD COLUMN "survey_score_sum" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "analytics_minute_rollups" ADD COLUMN "survey_satisfied" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "satisfaction_surveys_conversation" ON "satisfaction_surveys" USING btree ("conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "satisfaction_surveys_waiting" ON "satisfaction_surveys" USING btree ("org_id","store_id","identity_id") WHERE status = 'sent';--> statement-breakpoint
CREATE INDEX "satisfaction_surveys_sent" ON "satisfaction_surveys" USING btree ("org_id","sent_at");--> statement-breakpoint
CREATE INDEX "satisfaction_surveys_answered" ON "satisfaction_surveys" USING btree ("org_id","answered_at");