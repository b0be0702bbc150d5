CREATE TABLE "auto_reply_decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"read_message_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outcome" text NOT NULL,
	"reason" text NOT NULL,
	"intent" text NOT NULL,
	"confidence" real NOT NULL,
	"in_scope" boolean NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"order_id" text,
	"candidates" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"text" text NOT NULL,
	"reply_message_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auto_reply_rules" (
	"org_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"intents" jsonb NOT NULL,
	"confidence_threshold" real NOT NULL,
	"mode" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"max_consecutive" integer NOT NULL,
	"templates" jsonb NOT NULL,
	"ask_which_order" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "auto_reply_rules_org_id_store_id_pk" PRIMARY KEY("org_id","store_id")
);
--> statement-breakpoint
CREATE TABLE "intent_corrections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"text" text NOT NULL,
	"predicted" text,
	"corrected" text NOT NULL,
	"corrected_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "auto_reply_decisions_message" ON "auto_reply_decisions" USING btree ("org_id","message_id");--> statement-breakpoint
CREATE INDEX "auto_reply_decisions_store_time" ON "auto_reply_decisions" USING btree ("org_id","store_id","created_at");--> statement-breakpoint
CREATE INDEX "auto_reply_decisions_conversation" ON "auto_reply_decisions" USING btree ("org_id","conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "auto_reply_rules_enabled" ON "auto_reply_rules" USING btree ("org_id","enabled");--> statement-breakpoint
CREATE INDEX "intent_corrections_org_time" ON "intent_corrections" USING btree ("org_id","created_at");