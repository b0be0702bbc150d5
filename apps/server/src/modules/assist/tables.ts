import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * The library's revision per org and kind, bumped by every transaction that changes
 * what search sees; rows carry the revision that last wrote them. A node's in-memory
 * search index compares its revision with this one before each search and reads only
 * the rows written since (see library/index-cache.ts and docs/decisions/0008).
 */
export const libraryRevisions = pgTable(
  "library_revisions",
  {
    orgId: uuid("org_id").notNull(),
    /** replies | kb */
    kind: text("kind").notNull(),
    revision: bigint("revision", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.kind] })],
);

/** The category trees of the library: one per kind (`replies`: 话术库, `kb`: 知识库). */
export const libraryCategories = pgTable(
  "library_categories",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    /** replies | kb (contracts LibraryKind) */
    kind: text("kind").notNull(),
    parentId: uuid("parent_id"),
    name: text("name").notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("library_categories_org").on(t.orgId, t.kind)],
);

/**
 * A canned reply (话术). Scope: `store_id` set → that store; else `platform` set → every
 * store of that platform; else the whole org. `owner_id` set → one agent's personal reply.
 */
export const cannedReplies = pgTable(
  "canned_replies",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    ownerId: uuid("owner_id"),
    platform: text("platform"),
    storeId: uuid("store_id"),
    categoryId: uuid("category_id"),
    title: text("title").notNull(),
    /** Normalized (NFKC, lower case). */
    keywords: text("keywords").array().notNull().default([]),
    body: text("body").notNull(),
    validFrom: timestamp("valid_from", { withTimezone: true }),
    /** Exclusive: the reply disappears at this instant. */
    validUntil: timestamp("valid_until", { withTimezone: true }),
    usageCount: integer("usage_count").notNull().default(0),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    /** The library revision that last wrote this row (usage counts do not count). */
    revision: bigint("revision", { mode: "number" }).notNull().default(0),
    createdBy: uuid("created_by"),
    updatedBy: uuid("updated_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("canned_replies_org").on(t.orgId, t.storeId), index("canned_replies_revision").on(t.orgId, t.revision)],
);

/** A knowledge-base article; `body` is Markdown (sanitised on save), `plain_text` its text without markup. */
export const kbArticles = pgTable(
  "kb_articles",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    categoryId: uuid("category_id"),
    storeId: uuid("store_id"),
    title: text("title").notNull(),
    body: text("body").notNull(),
    plainText: text("plain_text").notNull(),
    tags: text("tags").array().notNull().default([]),
    version: integer("version").notNull().default(1),
    /** The library revision that last wrote this row. */
    revision: bigint("revision", { mode: "number" }).notNull().default(0),
    createdBy: uuid("created_by"),
    updatedBy: uuid("updated_by"),
    updatedByName: text("updated_by_name"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("kb_articles_org").on(t.orgId, t.storeId), index("kb_articles_revision").on(t.orgId, t.revision)],
);

/** Every saved state of an article: who changed what, when. Restoring one appends a new version. */
export const kbArticleVersions = pgTable(
  "kb_article_versions",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    articleId: uuid("article_id").notNull(),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    categoryId: uuid("category_id"),
    storeId: uuid("store_id"),
    tags: text("tags").array().notNull().default([]),
    /** title | body | category | store | tags | attachments | created | restored */
    changes: text("changes").array().notNull().default([]),
    note: text("note"),
    restoredFrom: integer("restored_from"),
    editedBy: uuid("edited_by"),
    editedByName: text("edited_by_name"),
    editedAt: timestamp("edited_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("kb_article_versions_key").on(t.articleId, t.version),
    index("kb_article_versions_org").on(t.orgId),
  ],
);

/** A file attached to an article, kept in DATA_DIR/kb-attachments under an unguessable name. */
export const kbAttachments = pgTable(
  "kb_attachments",
  {
    id: uuid("id").primaryKey(),
    orgId: uuid("org_id").notNull(),
    articleId: uuid("article_id").notNull(),
    fileName: text("file_name").notNull(),
    mime: text("mime").notNull(),
    size: integer("size").notNull(),
    storageName: text("storage_name").notNull(),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("kb_attachments_article").on(t.orgId, t.articleId)],
);
