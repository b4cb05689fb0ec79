import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError, type FieldError } from "../errors.js";

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
  instance?: string;
};

const PROBLEM_TYPE_BASE = "https://cairn.dev/problems/";

export function sendProblem(reply: FastifyReply, problem: Omit<Problem, "type">, headers: Record<string, string> = {}) {
  const body: Problem = { type: `${PROBLEM_TYPE_BASE}${problem.code}`, ...problem };
  return reply.code(problem.status).headers(headers).type("application/problem+json; charset=utf-8").send(body);
}

/** Fastify's own errors that are the client's fault, by code. */
const clientErrors: Record<string, { status: number; code: string; title: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "too_large", title: "Payload too large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: "unsupported_media_type", title: "Unsupported media type" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: "invalid", title: "Invalid input" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "invalid", title: "Invalid input" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: "invalid", title: "Invalid input" },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: "too_large", title: "Payload too large" },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: "unsupported_media_type", title: "Unsupported media type" },
  FST_PARTS_LIMIT: { status: 413, code: "too_large", title: "Payload too large" },
  FST_FILES_LIMIT: { status: 413, code: "too_large", title: "Payload too large" },
};

/**
 * The one error handler: typed domain errors, validation failures and
 * Fastify's own errors become RFC 9457 problem+json. Stack traces and
 * internal messages never leave the process outside development.
 */
export function registerProblemHandler(app: FastifyInstance, options: { exposeInternals: boolean }) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.status === 401 || error.status === 403) {
        request.log.info({ code: error.code, status: error.status }, "access refused");
      }
      return sendProblem(
        reply,
        { title: error.title, status: error.status, detail: error.message, code: error.code, ...(error.errors ? { errors: error.errors } : {}) },
        error.headers,
      );
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((issue) => ({
        path: issue.instancePath.replace(/^\//, "").replace(/\//g, "."),
        message: issue.message ?? "Invalid value.",
      }));
      return sendProblem(reply, {
        title: "Invalid input",
        status: 400,
        detail: `The request has invalid fields (${error.validationContext ?? "body"}).`,
        code: "invalid",
        errors,
      });
    }
    const known = error.code ? clientErrors[error.code] : undefined;
    if (known) return sendProblem(reply, { ...known, detail: error.message });
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500 && !isResponseSerializationError(error)) {
      return sendProblem(reply, {
        title: "Bad request",
        status: error.statusCode,
        detail: error.message,
        code: error.statusCode === 404 ? "not_found" : "bad_request",
      });
    }
    request.log.error({ err: error }, "unhandled error");
    return sendProblem(reply, {
      title: "Internal server error",
      status: 500,
      code: "internal",
      detail: options.exposeInternals ? `${error.message}\n${error.stack ?? ""}` : "Something went wrong on our side. The error has been logged.",
    });
  });
}
