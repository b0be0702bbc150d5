CREATE TABLE "evaluations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"identity_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"platform_order_id" text,
	"score" integer NOT NULL,
	"comment" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_events" (
	"org_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"event_id" text NOT NULL,
	"order_id" uuid NOT NULL,
	"change" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_events_store_id_event_id_pk" PRIMARY KEY("store_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"store_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"identity_id" uuid NOT NULL,
	"platform_order_id" text NOT NULL,
	"status" text NOT NULL,
	"platform_status" text NOT NULL,
	"items" jsonb NOT NULL,
	"total_cents" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"promised_ship_at" timestamp with time zone,
	"shipped_at" timestamp with time zone,
	"carrier" text,
	"tracking_no" text,
	"receiver_phone_hash" text,
	"status_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "buyer_read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "attachment" jsonb;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "auth_state" text DEFAULT 'not_authorized' NOT NULL;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "token_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "auth_refreshed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "auth_error" text;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "auth_nonce_hash" text;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "next_send_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluations_event" ON "evaluations" USING btree ("store_id","event_id");--> statement-breakpoint
CREATE INDEX "evaluations_store" ON "evaluations" USING btree ("org_id","store_id","created_at");--> statement-breakpoint
CREATE INDEX "order_events_org" ON "order_events" USING btree ("org_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "orders_platform_id" ON "orders" USING btree ("org_id","store_id","platform_order_id");--> statement-breakpoint
CREATE INDEX "orders_identity" ON "orders" USING btree ("org_id","store_id","identity_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_customer" ON "orders" USING btree ("org_id","customer_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_phone" ON "orders" USING btree ("org_id","receiver_phone_hash");--> statement-breakpoint
CREATE INDEX "stores_token_expiry" ON "stores" USING btree ("token_expires_at");