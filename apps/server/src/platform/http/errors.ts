import type { ErrorCode } from "@yunxi/contracts";
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

/** An error the API answers as `{ error: { code, message } }` with its status. */
export class AppError extends Error {
  readonly statusCode: number;
  readonly code: ErrorCode;
  constructor(statusCode: number, code: ErrorCode, message: string) {
    super(message);
    this.name = "AppError";
    this.statusCode = statusCode;
    this.code = code;
  }
}

export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found`);
export const forbidden = (message = "You do not have permission to do this") => new AppError(403, "forbidden", message);
export const conflict = (message: string) => new AppError(409, "conflict", message);
export const badRequest = (message: string) => new AppError(400, "bad_request", message);

const fastifyCodes: Record<string, { status: number; code: ErrorCode }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "payload_too_large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: "unsupported_media_type" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: "bad_request" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "bad_request" },
};

function describeValidation(error: FastifyError): string {
  if (!hasZodFastifySchemaValidationErrors(error)) return error.message;
  const where = error.validationContext ?? "request";
  return error.validation
    .slice(0, 5)
    .map((v) => {
      const field = v.instancePath.replace(/^\//, "").replaceAll("/", ".");
      return `${where}${field ? `.${field}` : ""}: ${v.message}`;
    })
    .join("; ");
}

/** One error shape for every route: validation, framework and domain errors alike. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.statusCode).send({ error: { code: error.code, message: error.message } });
    }
    if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
      return reply.status(400).send({ error: { code: "validation_failed", message: describeValidation(error) } });
    }
    const known = error.code ? fastifyCodes[error.code] : undefined;
    if (known) return reply.status(known.status).send({ error: { code: known.code, message: error.message } });
    if (error.statusCode === 429) {
      return reply.status(429).send({ error: { code: "rate_limited", message: "Too many requests, slow down" } });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ error: { code: "bad_request", message: error.message } });
    }
    request.log.error({ err: error }, "unhandled error");
    return reply.status(500).send({ error: { code: "internal", message: "Internal error" } });
  });
}
