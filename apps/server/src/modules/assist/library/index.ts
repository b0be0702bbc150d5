export { listCategories } from "./categories.ts";
export { libraryCategoryRoutes } from "./routes.ts";
export { indexWords, normalize, queryWords, segmenter } from "./text.ts";
