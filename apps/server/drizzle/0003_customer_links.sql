ALTER TABLE "customer_identities" ADD COLUMN "link_reason" text DEFAULT 'first_contact' NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_identities" ADD COLUMN "linked_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_identities" ADD COLUMN "linked_by" uuid;--> statement-breakpoint
ALTER TABLE "customer_identities" ADD COLUMN "link_detail" text;--> statement-breakpoint
UPDATE "customer_identities" SET "linked_at" = "created_at";