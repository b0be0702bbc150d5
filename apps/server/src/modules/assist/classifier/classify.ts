import type { Classification, ClassifyContext, Intent, MessageEntities, ProductCategory } from "@yunxi/contracts";
import { categoryOf } from "./category.ts";
import { extractEntities } from "./entities.ts";
import { features } from "./features.ts";
import { type IntentModel, loadModel, predictFeatures } from "./model.ts";
import { sentimentOf, urgencyOf } from "./sentiment.ts";

/**
 * AI pre-review of one buyer message: intent (the trained model), product category, entities,
 * sentiment and urgency (rules). Offline and cheap (tens of microseconds): the model is read from
 * the repository once, on first use.
 */

/**
 * Below this the intent is a best guess: still returned, but automations should not act on it
 * alone. On the held-out split nine in ten messages score above it, and of those 94 % are
 * right (figures: classifier/README.md).
 */
export const CONFIDENCE_THRESHOLD = 0.5;

/** Characters of a message that are looked at; the rest of a huge message is ignored. */
export const CLASSIFY_INPUT_CHARS = 2000;

let model: IntentModel | undefined;
const intentModel = (): IntentModel => {
  model ??= loadModel();
  return model;
};

/** The combined tag a conversation shows: `售后-退换货-鞋子类目`, or the intent alone. */
export const combinedTag = (intent: Intent, category: ProductCategory | null): string =>
  category ? `${intent}-${category}` : intent;

export const isConfident = (classification: Pick<Classification, "confidence">): boolean =>
  classification.confidence >= CONFIDENCE_THRESHOLD;

const WORDLIKE = /[\p{L}\p{N}]/u;
const LINK = /https?:\/\/\S+/gi;
/** Base64, hex, tokens: long runs of letters and digits that are no one's words. */
const BLOB = /[A-Za-z0-9+/=_-]{32,}/g;

/** Control characters (but tab and line breaks), DEL, U+FFFD (what a decoder makes of bad bytes), lone surrogates. */
function isBroken(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x20) return c !== 0x09 && c !== 0x0a && c !== 0x0d;
  if ((c >= 0x7f && c <= 0x9f) || c === 0xfffd) return true;
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const previous = text.charCodeAt(i - 1);
    return !(previous >= 0xd800 && previous <= 0xdbff);
  }
  return false;
}

/**
 * Text that cannot be a buyer's words: empty, only emoji and punctuation, only a link or an
 * encoded blob, or binary (≥ 5 % broken characters).
 */
function unreadable(text: string): boolean {
  if (!WORDLIKE.test(text.replace(LINK, " ").replace(BLOB, " "))) return true;
  let broken = 0;
  for (let i = 0; i < text.length; i++) if (isBroken(text, i)) broken++;
  return broken > 0 && broken >= text.length * 0.05;
}

const readable = (text: string): string => {
  let out = "";
  for (let i = 0; i < text.length; i++) if (!isBroken(text, i)) out += text[i];
  return out;
};

const noEntities = (): MessageEntities => ({
  sizes: [],
  body: null,
  colours: [],
  orderNumbers: [],
  trackingNumbers: [],
  phones: [],
  amounts: [],
  datetimes: [],
});

export function classify(text: string, context?: ClassifyContext): Classification {
  const input = text.slice(0, CLASSIFY_INPUT_CHARS);
  if (unreadable(input)) {
    const category = categoryOf("", context);
    return {
      text,
      intent: "其他",
      confidence: 1,
      category,
      tag: combinedTag("其他", category),
      entities: noEntities(),
      urgency: 0,
      sentiment: sentimentOf(readable(input)),
    };
  }
  const m = intentModel();
  const prediction = predictFeatures(m, features(input));
  // Nothing the model has ever seen (another language, random letters): 其他, with the low
  // confidence the model's prior gives it.
  const best = prediction.knownFeatures === 0 ? m.labels.indexOf("其他") : prediction.best;
  const intent = m.labels[best]!;
  const category = categoryOf(input, context);
  const sentiment = sentimentOf(input);
  return {
    text,
    intent,
    confidence: Math.round(prediction.probabilities[best]! * 1000) / 1000,
    category,
    tag: combinedTag(intent, category),
    entities: extractEntities(input),
    urgency: urgencyOf(input, intent, sentiment),
    sentiment,
  };
}

/** Load the model now rather than on the first message (server start-up). */
export function warmUp(): void {
  intentModel();
}
