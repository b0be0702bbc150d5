CREATE TABLE "llm_classifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"based_on" timestamp with time zone NOT NULL,
	"unanswered" integer NOT NULL,
	"local_intent" text NOT NULL,
	"local_confidence" real NOT NULL,
	"llm_intent" text,
	"outcome" text NOT NULL,
	"detail" text,
	"latency_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "llm_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"base_url" text DEFAULT '' NOT NULL,
	"model" text DEFAULT '' NOT NULL,
	"api_key_enc" text,
	"key_hint" text,
	"classify" boolean DEFAULT true NOT NULL,
	"classify_below" real DEFAULT 0.5 NOT NULL,
	"classify_timeout_ms" integer DEFAULT 4000 NOT NULL,
	"drafts" boolean DEFAULT true NOT NULL,
	"draft_timeout_ms" integer DEFAULT 8000 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "llm_classifications_run" ON "llm_classifications" USING btree ("org_id","conversation_id","based_on","unanswered");--> statement-breakpoint
CREATE INDEX "llm_classifications_org_time" ON "llm_classifications" USING btree ("org_id","created_at");