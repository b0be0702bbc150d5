export { knowledgeRoutes } from "./routes.ts";
export { type KnowledgeSearch, searchKnowledge } from "./service.ts";
