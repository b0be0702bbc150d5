import {
  ApiError,
  CategoryListQuery,
  CreateCategoryRequest,
  LibraryCategory,
  LibraryCategoryList,
  UpdateCategoryRequest,
} from "@yunxi/contracts";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../../platform/context.ts";
import { actorOf } from "../../identity/index.ts";
import { createCategory, deleteCategory, listCategories, updateCategory } from "./categories.ts";

const IdParams = z.strictObject({ id: z.string().max(64) });
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError };

/** The category trees of canned replies and knowledge articles: everyone reads, supervisors and above change. */
export function libraryCategoryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/library/categories",
    {
      schema: { tags: ["library"], querystring: CategoryListQuery, response: { 200: LibraryCategoryList, ...errors } },
    },
    async (request) => ({ items: await listCategories(ctx.db, actorOf(request).orgId, request.query.kind) }),
  );

  r.post(
    "/api/library/categories",
    {
      schema: { tags: ["library"], body: CreateCategoryRequest, response: { 201: LibraryCategory, ...errors } },
    },
    async (request, reply) => reply.status(201).send(await createCategory(ctx, actorOf(request), request.body)),
  );

  r.patch(
    "/api/library/categories/:id",
    {
      schema: {
        tags: ["library"],
        params: IdParams,
        body: UpdateCategoryRequest,
        response: { 200: LibraryCategory, ...errors },
      },
    },
    async (request) => updateCategory(ctx, actorOf(request), request.params.id, request.body),
  );

  r.delete(
    "/api/library/categories/:id",
    { schema: { tags: ["library"], params: IdParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await deleteCategory(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
