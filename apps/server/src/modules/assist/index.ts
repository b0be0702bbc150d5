export {
  CLASSIFY_INPUT_CHARS,
  CONFIDENCE_THRESHOLD,
  categoryOf,
  classify,
  combinedTag,
  extractEntities,
  isConfident,
} from "./classifier/index.ts";
export { assistRoutes } from "./routes.ts";
