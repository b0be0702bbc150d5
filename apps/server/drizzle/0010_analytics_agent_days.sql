CREATE TABLE "analytics_agent_days" (
	"org_id" uuid NOT NULL,
	"day" date NOT NULL,
	"agent_id" uuid NOT NULL,
	"active_minutes" integer NOT NULL,
	CONSTRAINT "analytics_agent_days_org_id_day_agent_id_pk" PRIMARY KEY("org_id","day","agent_id")
);
--> statement-breakpoint
DROP INDEX "analytics_minute_rollups_replied";--> statement-breakpoint
CREATE INDEX "analytics_minute_rollups_replied" ON "analytics_minute_rollups" USING btree ("org_id","agent_id","minute") WHERE human_msgs > 0;