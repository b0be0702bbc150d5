import { z } from "zod";

/**
 * AI pre-review: what the intent classifier says about a buyer message. The labels
 * are the taxonomy CS teams tag with; use them exactly (finer labels may be added
 * below them, never renamed).
 */
export const intents = [
  "售前-商品咨询",
  "售前-尺码推荐",
  "售前-库存到货",
  "售前-价格优惠",
  "物流-发货时间",
  "物流-物流查询",
  "物流-修改地址",
  "售后-退换货",
  "售后-退款进度",
  "售后-质量问题",
  "售后-错发漏发",
  "售后-使用指导",
  "投诉",
  "其他-发票",
  "其他-问候",
  "其他",
] as const;
export const Intent = z.enum(intents);
export type Intent = z.infer<typeof Intent>;

/** Product categories as the combined tag names them (`售后-退换货-鞋子类目`). */
export const productCategories = [
  "服装类目",
  "鞋子类目",
  "箱包类目",
  "美妆类目",
  "数码类目",
  "家电类目",
  "食品类目",
  "家居类目",
  "母婴类目",
] as const;
export const ProductCategory = z.enum(productCategories);
export type ProductCategory = z.infer<typeof ProductCategory>;

/** What is known about the conversation: the product card or the order's items decide the category. */
export const ClassifyContext = z.strictObject({
  /** Title of the product card or the product asked about. */
  productTitle: z.string().max(500).optional(),
  /** A category name as the store or platform calls it (`鞋靴`, `3C`, `鞋子类目` …). */
  category: z.string().max(100).optional(),
  /** Titles of the items of the buyer's order, when the conversation is about one. */
  orderItems: z
    .array(z.strictObject({ title: z.string().max(500) }))
    .max(50)
    .optional(),
});
export type ClassifyContext = z.infer<typeof ClassifyContext>;

export const ClassifyRequest = z.strictObject({
  text: z.string().max(10_000),
  context: ClassifyContext.optional(),
});
export type ClassifyRequest = z.infer<typeof ClassifyRequest>;

export const DateTimeMentionKind = z.enum(["date", "time", "duration", "event"]);

export const MessageEntities = z.object({
  /** Sizes as written, normalised: `XL`, `42码`, `170/88A`, `均码`. */
  sizes: z.array(z.string()),
  /** Height and weight given for a size recommendation (`身高175体重130斤` → 175 cm, 65 kg). */
  body: z.object({ heightCm: z.number().nullable(), weightKg: z.number().nullable() }).nullable(),
  colours: z.array(z.string()),
  /** Platform order numbers (long digit strings, Pinduoduo's `yymmdd-…`). */
  orderNumbers: z.array(z.string()),
  /** Carrier waybill numbers (`SF1…`, `YT…`, or digits after 快递单号/运单号). */
  trackingNumbers: z.array(z.string()),
  /** Mainland mobile numbers, masked: `138****8000`. */
  phones: z.array(z.string()),
  /** Money amounts in yuan. */
  amounts: z.array(z.object({ text: z.string(), yuan: z.number() })),
  /** Dates, times of day, durations (`3天`, `48小时`) and shopping events (`双11`), as written. */
  datetimes: z.array(z.object({ text: z.string(), kind: DateTimeMentionKind })),
});
export type MessageEntities = z.infer<typeof MessageEntities>;

export const MessageSentiment = z.object({
  /** An angry or upset buyer (complaint words, insults, `!!!`, angry emoji). */
  negative: z.boolean(),
  /** -1 (furious) … 0 (neutral) … 1 (pleased). */
  score: z.number().min(-1).max(1),
  /** The words or signs that decided it. */
  cues: z.array(z.string()),
});
export type MessageSentiment = z.infer<typeof MessageSentiment>;

export const Classification = z.object({
  /** The text as it was given. */
  text: z.string(),
  intent: Intent,
  /** The model's probability of `intent`, 0 … 1; below the threshold the label is a best guess. */
  confidence: z.number().min(0).max(1),
  category: ProductCategory.nullable(),
  /** The combined tag the conversation shows: `售后-退换货-鞋子类目`, or the intent alone. */
  tag: z.string(),
  entities: MessageEntities,
  /** 0 … 1: how soon a human should look (angry buyers, complaints, broken goods rank high). */
  urgency: z.number().min(0).max(1),
  sentiment: MessageSentiment,
});
export type Classification = z.infer<typeof Classification>;
