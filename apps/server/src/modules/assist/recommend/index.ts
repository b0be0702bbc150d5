export { recommendationRoutes } from "./routes.ts";
export { recommendFor } from "./service.ts";
