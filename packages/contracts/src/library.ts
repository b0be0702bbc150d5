import { z } from "zod";
import { PlatformId } from "./platforms.ts";

/**
 * The assist library: canned replies (话术库) and the knowledge base (知识库).
 * Both are organised in category trees of their own and searched with jieba
 * segmentation on the server (see docs/decisions/0008-assist-library.md).
 */

export const libraryKinds = ["replies", "kb"] as const;
export const LibraryKind = z.enum(libraryKinds);
export type LibraryKind = z.infer<typeof LibraryKind>;

const Id = z.string().max(64);
const Instant = z.iso.datetime({ offset: true });

// ── Template variables ───────────────────────────────────────────────────

/** The variables a canned reply may contain, written `{买家昵称}` in its text; filled from the conversation. */
export const templateVariables = ["买家昵称", "订单号", "快递单号", "快递公司", "承诺发货时间", "商品名"] as const;
export const TemplateVariable = z.enum(templateVariables);
export type TemplateVariable = z.infer<typeof TemplateVariable>;

/** What the conversation knows: each value fills one variable; null or absent means unknown. */
export const TemplateContext = z.object({
  buyerName: z.string().nullable().optional(),
  orderNo: z.string().nullable().optional(),
  trackingNo: z.string().nullable().optional(),
  carrier: z.string().nullable().optional(),
  /** Already formatted in the org's time zone (`11月12日 18:00前`). */
  promisedShipTime: z.string().nullable().optional(),
  productName: z.string().nullable().optional(),
});
export type TemplateContext = z.infer<typeof TemplateContext>;

const contextKeyOf: Record<TemplateVariable, keyof TemplateContext> = {
  买家昵称: "buyerName",
  订单号: "orderNo",
  快递单号: "trackingNo",
  快递公司: "carrier",
  承诺发货时间: "promisedShipTime",
  商品名: "productName",
};

/** `{买家昵称}` or `｛买家昵称｝` (full-width braces, as IMEs type them), with spaces inside tolerated. */
const variablePattern = /[{｛]\s*(买家昵称|订单号|快递单号|快递公司|承诺发货时间|商品名)\s*[}｝]/g;

/** The variables a text uses, each once, in order of first use. */
export function variablesIn(text: string): TemplateVariable[] {
  const found = new Set<TemplateVariable>();
  for (const m of text.matchAll(variablePattern)) found.add(m[1] as TemplateVariable);
  return [...found];
}

/**
 * Fill a canned reply's variables from the conversation. Known values replace their
 * placeholder; a variable without a value stays as written and is listed in `missing`,
 * so the composer can flag it (and `unfilledVariables` can refuse to send it).
 */
export function fillTemplate(text: string, context: TemplateContext): { text: string; missing: TemplateVariable[] } {
  const missing = new Set<TemplateVariable>();
  const filled = text.replace(variablePattern, (whole, name: TemplateVariable) => {
    const value = context[contextKeyOf[name]];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    missing.add(name);
    return whole;
  });
  return { text: filled, missing: [...missing] };
}

/** The placeholders still in a text about to be sent: a reply with any of them must not go out. */
export const unfilledVariables = (text: string): TemplateVariable[] => variablesIn(text);

// ── Categories ───────────────────────────────────────────────────────────

/** One node of a category tree; `path` joins the names from the root (`鞋子/售后/退换货`). */
export const LibraryCategory = z.object({
  id: z.string(),
  kind: LibraryKind,
  parentId: z.string().nullable(),
  name: z.string(),
  path: z.string(),
  sortOrder: z.number().int(),
});
export type LibraryCategory = z.infer<typeof LibraryCategory>;

export const LibraryCategoryList = z.object({ items: z.array(LibraryCategory) });
export type LibraryCategoryList = z.infer<typeof LibraryCategoryList>;

/** Names may not contain `/`, which separates the levels of a path (Excel's 分类 column). */
const CategoryName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[^/／>＞]+$/, "A category name cannot contain / or >");

export const CategoryListQuery = z.strictObject({ kind: LibraryKind });

export const CreateCategoryRequest = z.strictObject({
  kind: LibraryKind,
  name: CategoryName,
  parentId: Id.nullable().optional(),
  sortOrder: z.number().int().min(0).max(10_000).optional(),
});
export type CreateCategoryRequest = z.infer<typeof CreateCategoryRequest>;

export const UpdateCategoryRequest = z.strictObject({
  name: CategoryName.optional(),
  parentId: Id.nullable().optional(),
  sortOrder: z.number().int().min(0).max(10_000).optional(),
});
export type UpdateCategoryRequest = z.infer<typeof UpdateCategoryRequest>;

// ── Canned replies ───────────────────────────────────────────────────────

/** Where a reply applies: every store of the org, every store of one platform, or one store. */
export const replyScopes = ["org", "platform", "store"] as const;
export const ReplyScope = z.enum(replyScopes);
export type ReplyScope = z.infer<typeof ReplyScope>;

/** Against the clock: not yet valid (a campaign to come), valid now, or past its end. */
export const replyStatuses = ["scheduled", "active", "expired"] as const;
export const ReplyStatus = z.enum(replyStatuses);
export type ReplyStatus = z.infer<typeof ReplyStatus>;

export const CannedReply = z.object({
  id: z.string(),
  title: z.string(),
  keywords: z.array(z.string()),
  text: z.string(),
  categoryId: z.string().nullable(),
  /** `鞋子/售后`; "" without a category. */
  categoryPath: z.string(),
  scope: ReplyScope,
  platform: PlatformId.nullable(),
  storeId: z.string().nullable(),
  /** `淘宝-旗舰店` for a store reply. */
  storeLabel: z.string().nullable(),
  /** A personal reply belongs to one agent and only they see it; shared replies are managed by supervisors. */
  personal: z.boolean(),
  ownerId: z.string().nullable(),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  status: ReplyStatus,
  variables: z.array(TemplateVariable),
  usageCount: z.number().int(),
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CannedReply = z.infer<typeof CannedReply>;

const replyFields = {
  title: z.string().trim().max(100),
  keywords: z.array(z.string().trim().min(1).max(40)).max(20),
  text: z.string().trim().min(1).max(2000),
  categoryId: Id.nullable(),
  /** With a store: taken from the store. */
  platform: PlatformId.nullable(),
  storeId: Id.nullable(),
  validFrom: Instant.nullable(),
  validUntil: Instant.nullable(),
};

export const CreateCannedReplyRequest = z.strictObject({
  ...replyFields,
  title: replyFields.title.optional(),
  keywords: replyFields.keywords.optional(),
  categoryId: replyFields.categoryId.optional(),
  platform: replyFields.platform.optional(),
  storeId: replyFields.storeId.optional(),
  validFrom: replyFields.validFrom.optional(),
  validUntil: replyFields.validUntil.optional(),
  /** Personal (mine only) or shared (supervisors and above). Default: shared. */
  personal: z.boolean().optional(),
});
export type CreateCannedReplyRequest = z.infer<typeof CreateCannedReplyRequest>;

export const UpdateCannedReplyRequest = z.strictObject({
  title: replyFields.title.optional(),
  keywords: replyFields.keywords.optional(),
  text: replyFields.text.optional(),
  categoryId: replyFields.categoryId.optional(),
  platform: replyFields.platform.optional(),
  storeId: replyFields.storeId.optional(),
  validFrom: replyFields.validFrom.optional(),
  validUntil: replyFields.validUntil.optional(),
});
export type UpdateCannedReplyRequest = z.infer<typeof UpdateCannedReplyRequest>;

/** The admin list: every reply the actor may see, including scheduled and expired ones. */
export const CannedReplyListQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  categoryId: Id.optional(),
  /** shared: the org's; mine: my personal ones; all (default): both. */
  owner: z.enum(["all", "shared", "mine"]).default("all"),
  scope: ReplyScope.optional(),
  platform: PlatformId.optional(),
  storeId: Id.optional(),
  status: ReplyStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type CannedReplyListQuery = z.infer<typeof CannedReplyListQuery>;

export const CannedReplyList = z.object({ items: z.array(CannedReply), total: z.number().int() });
export type CannedReplyList = z.infer<typeof CannedReplyList>;

/**
 * The composer's search: `q` is what follows `/` (or a keyword typed alone, `抖音-尺码`,
 * `尺码`); empty lists the most used. Only replies valid now, for the conversation's
 * store and platform (or the given store), store first, then platform, then org.
 */
export const CannedReplySearchQuery = z.strictObject({
  q: z.string().max(100).default(""),
  conversationId: Id.optional(),
  storeId: Id.optional(),
  /** keyword: keyword matches only (a word typed without `/`); all: keywords, titles and texts. */
  match: z.enum(["all", "keyword"]).default("all"),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type CannedReplySearchQuery = z.infer<typeof CannedReplySearchQuery>;

export const replyMatchKinds = ["keyword", "keyword_prefix", "text", "none"] as const;
export const ReplyMatchKind = z.enum(replyMatchKinds);
export type ReplyMatchKind = z.infer<typeof ReplyMatchKind>;

export const CannedReplyHit = z.object({
  reply: CannedReply,
  match: ReplyMatchKind,
  /** The text with the conversation's values filled in (variables without a value left as written). */
  filledText: z.string(),
  /** Variables the conversation has no value for: the composer flags them before sending. */
  missing: z.array(TemplateVariable),
});
export type CannedReplyHit = z.infer<typeof CannedReplyHit>;

export const CannedReplySearchResult = z.object({
  items: z.array(CannedReplyHit),
  /** The values found for the conversation (absent without a conversation). */
  context: TemplateContext.nullable(),
  tookMs: z.number(),
});
export type CannedReplySearchResult = z.infer<typeof CannedReplySearchResult>;

/** Counted when an agent inserts a reply (and again if sent). */
export const RecordReplyUsageRequest = z.strictObject({ conversationId: Id.optional() });

export const ReplyUsage = z.object({ id: z.string(), usageCount: z.number().int() });

export const FillTemplateRequest = z.strictObject({ text: z.string().max(5000), conversationId: Id });
export const FillTemplateResult = z.object({
  text: z.string(),
  missing: z.array(TemplateVariable),
  context: TemplateContext,
});
export type FillTemplateResult = z.infer<typeof FillTemplateResult>;

/** Excel import/export: `personal=true` works on my personal replies, otherwise the org's shared ones. */
export const ReplyExcelQuery = z.strictObject({ personal: z.enum(["true", "false"]).default("false") });

/** The columns of the spreadsheet, as CS teams keep it; the first five are the usual layout. */
export const replyExcelColumns = [
  "分类",
  "关键词",
  "平台",
  "店铺",
  "话术内容",
  "标题",
  "生效时间",
  "失效时间",
] as const;

export const importRefusalCodes = [
  "text_missing",
  "text_too_long",
  "unknown_platform",
  "unknown_store",
  "ambiguous_store",
  "store_platform_mismatch",
  "bad_date",
  "window_empty",
  "keyword_too_long",
  "too_many_keywords",
  "title_too_long",
  "bad_category",
  "duplicate_row",
] as const;
export const ImportRefusalCode = z.enum(importRefusalCodes);
export type ImportRefusalCode = z.infer<typeof ImportRefusalCode>;

export const ImportRefusal = z.object({
  /** The spreadsheet's row number (1 is the header). */
  row: z.number().int(),
  column: z.string().nullable(),
  code: ImportRefusalCode,
  /** The offending value, as read. */
  value: z.string().nullable(),
  message: z.string(),
});
export type ImportRefusal = z.infer<typeof ImportRefusal>;

export const ReplyImportReport = z.object({
  /** Data rows read (blank rows skipped). */
  rows: z.number().int(),
  imported: z.number().int(),
  /** Rows identical to a reply that already exists: left as they are. */
  unchanged: z.number().int(),
  categoriesCreated: z.number().int(),
  refused: z.array(ImportRefusal),
});
export type ReplyImportReport = z.infer<typeof ReplyImportReport>;

// ── Knowledge base ───────────────────────────────────────────────────────

export const KbAttachment = z.object({
  id: z.string(),
  fileName: z.string(),
  mime: z.string(),
  size: z.number().int(),
  /** Download URL (signed-in users of the org). */
  url: z.string(),
  createdAt: z.string(),
});
export type KbAttachment = z.infer<typeof KbAttachment>;

const Editor = z.object({ id: z.string(), name: z.string() }).nullable();

/** An article. `body` is Markdown (a safe subset, see the web's renderer); `plainText` is for inserting into a reply. */
export const KbArticle = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  plainText: z.string(),
  categoryId: z.string().nullable(),
  categoryPath: z.string(),
  /** null: every store of the org. */
  storeId: z.string().nullable(),
  storeLabel: z.string().nullable(),
  tags: z.array(z.string()),
  version: z.number().int(),
  attachments: z.array(KbAttachment),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: Editor,
});
export type KbArticle = z.infer<typeof KbArticle>;

export const KbArticleSummary = KbArticle.omit({ body: true, plainText: true, attachments: true }).extend({
  /** A short piece of the text around the first match (or the beginning). */
  snippet: z.string(),
});
export type KbArticleSummary = z.infer<typeof KbArticleSummary>;

const articleFields = {
  title: z.string().trim().min(1).max(200),
  body: z.string().max(100_000),
  categoryId: Id.nullable(),
  storeId: Id.nullable(),
  tags: z.array(z.string().trim().min(1).max(30)).max(20),
};

export const CreateKbArticleRequest = z.strictObject({
  title: articleFields.title,
  body: articleFields.body,
  categoryId: articleFields.categoryId.optional(),
  storeId: articleFields.storeId.optional(),
  tags: articleFields.tags.optional(),
});
export type CreateKbArticleRequest = z.infer<typeof CreateKbArticleRequest>;

export const UpdateKbArticleRequest = z.strictObject({
  title: articleFields.title.optional(),
  body: articleFields.body.optional(),
  categoryId: articleFields.categoryId.optional(),
  storeId: articleFields.storeId.optional(),
  tags: articleFields.tags.optional(),
  /** The version the editor started from: a save over someone else's newer version answers 409. */
  baseVersion: z.number().int().min(1).optional(),
  /** What changed, in the editor's words (kept with the version). */
  note: z.string().trim().max(200).optional(),
});
export type UpdateKbArticleRequest = z.infer<typeof UpdateKbArticleRequest>;

export const KbArticleListQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  categoryId: Id.optional(),
  storeId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type KbArticleListQuery = z.infer<typeof KbArticleListQuery>;

export const KbArticleList = z.object({ items: z.array(KbArticleSummary), total: z.number().int() });
export type KbArticleList = z.infer<typeof KbArticleList>;

/** The side panel's search: articles for the conversation's store (or every store the actor serves). */
export const KbSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  conversationId: Id.optional(),
  storeId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
export type KbSearchQuery = z.infer<typeof KbSearchQuery>;

export const kbMatchKinds = ["words", "any_word", "characters"] as const;
export const KbMatchKind = z.enum(kbMatchKinds);

export const KbSearchHit = z.object({
  article: KbArticleSummary,
  score: z.number(),
  /** words: every word of the query (or a synonym); any_word: some of them; characters: the typo-tolerant fallback. */
  match: KbMatchKind,
  /** The words to highlight in the snippet. */
  highlights: z.array(z.string()),
});
export type KbSearchHit = z.infer<typeof KbSearchHit>;

export const KbSearchResult = z.object({ items: z.array(KbSearchHit), tookMs: z.number() });
export type KbSearchResult = z.infer<typeof KbSearchResult>;

export const KbVersion = z.object({
  version: z.number().int(),
  title: z.string(),
  /** What changed against the previous version: title, body, category, store, tags, attachments, restored. */
  changes: z.array(z.string()),
  note: z.string().nullable(),
  /** Set when this version restored an earlier one. */
  restoredFrom: z.number().int().nullable(),
  editedBy: Editor,
  editedAt: z.string(),
});
export type KbVersion = z.infer<typeof KbVersion>;

export const KbVersionList = z.object({ items: z.array(KbVersion) });
export type KbVersionList = z.infer<typeof KbVersionList>;

export const KbVersionDetail = KbVersion.extend({
  body: z.string(),
  categoryId: z.string().nullable(),
  storeId: z.string().nullable(),
  tags: z.array(z.string()),
});
export type KbVersionDetail = z.infer<typeof KbVersionDetail>;

export const AttachmentUploadQuery = z.strictObject({ name: z.string().trim().min(1).max(200) });

// ── Realtime ─────────────────────────────────────────────────────────────

/** What a `library.changed` event says changed; screens that show it refetch. */
export const LibraryChange = z.object({ library: LibraryKind });
