export { categoryOf } from "./category.ts";
export { CLASSIFY_INPUT_CHARS, CONFIDENCE_THRESHOLD, classify, combinedTag, isConfident, warmUp } from "./classify.ts";
export { extractEntities } from "./entities.ts";
