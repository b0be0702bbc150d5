CREATE TABLE "canned_replies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"owner_id" uuid,
	"platform" text,
	"store_id" uuid,
	"category_id" uuid,
	"title" text NOT NULL,
	"keywords" text[] DEFAULT '{}' NOT NULL,
	"body" text NOT NULL,
	"valid_from" timestamp with time zone,
	"valid_until" timestamp with time zone,
	"usage_count" integer DEFAULT 0 NOT NULL,
	"last_used_at" timestamp with time zone,
	"revision" bigint DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_article_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"category_id" uuid,
	"store_id" uuid,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"changes" text[] DEFAULT '{}' NOT NULL,
	"note" text,
	"restored_from" integer,
	"edited_by" uuid,
	"edited_by_name" text,
	"edited_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_articles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"category_id" uuid,
	"store_id" uuid,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"plain_text" text NOT NULL,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"updated_by" uuid,
	"updated_by_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"storage_name" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"parent_id" uuid,
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_revisions" (
	"org_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "library_revisions_org_id_kind_pk" PRIMARY KEY("org_id","kind")
);
--> statement-breakpoint
CREATE INDEX "canned_replies_org" ON "canned_replies" USING btree ("org_id","store_id");--> statement-breakpoint
CREATE INDEX "canned_replies_revision" ON "canned_replies" USING btree ("org_id","revision");--> statement-breakpoint
CREATE UNIQUE INDEX "kb_article_versions_key" ON "kb_article_versions" USING btree ("article_id","version");--> statement-breakpoint
CREATE INDEX "kb_article_versions_org" ON "kb_article_versions" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "kb_articles_org" ON "kb_articles" USING btree ("org_id","store_id");--> statement-breakpoint
CREATE INDEX "kb_articles_revision" ON "kb_articles" USING btree ("org_id","revision");--> statement-breakpoint
CREATE INDEX "kb_attachments_article" ON "kb_attachments" USING btree ("org_id","article_id");--> statement-breakpoint
CREATE INDEX "library_categories_org" ON "library_categories" USING btree ("org_id","kind");