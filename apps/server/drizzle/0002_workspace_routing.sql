CREATE TABLE "agent_group_members" (
	"org_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "agent_group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "agent_groups" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_states" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"status" text DEFAULT 'offline' NOT NULL,
	"capacity" integer DEFAULT 10 NOT NULL,
	"last_active_at" timestamp with time zone,
	"status_changed_at" timestamp with time zone,
	"last_assigned_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notification_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "priority_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"store_id" uuid,
	"kind" text NOT NULL,
	"match" text NOT NULL,
	"weight" integer NOT NULL,
	"label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_breaches" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"breached_at" timestamp with time zone NOT NULL,
	"assignee_id" uuid
);
--> statement-breakpoint
CREATE TABLE "store_routing" (
	"store_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"auto_assign" boolean DEFAULT true NOT NULL,
	"strategy" text DEFAULT 'least_busy' NOT NULL,
	"group_id" uuid,
	"overflow_group_id" uuid,
	"overflow_after_seconds" integer,
	"sla" jsonb NOT NULL,
	"business_hours" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "priority" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "priority_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "group_id" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "assigned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "snoozed_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "merged_into_id" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "tags" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "first_response_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "next_response_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "resolution_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sla_warned" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sla_breaches" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "mentions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "agent_group_members_user" ON "agent_group_members" USING btree ("org_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "agent_groups_name" ON "agent_groups" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "agent_states_org" ON "agent_states" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "priority_rules_org" ON "priority_rules" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sla_breaches_once" ON "sla_breaches" USING btree ("conversation_id","kind","due_at");--> statement-breakpoint
CREATE INDEX "sla_breaches_org" ON "sla_breaches" USING btree ("org_id","breached_at");--> statement-breakpoint
CREATE INDEX "conversations_queue" ON "conversations" USING btree ("org_id","store_id","priority","queued_at") WHERE queued_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "conversations_assignee" ON "conversations" USING btree ("org_id","assignee_id") WHERE status <> 'resolved';--> statement-breakpoint
CREATE INDEX "conversations_customer" ON "conversations" USING btree ("org_id","customer_id");