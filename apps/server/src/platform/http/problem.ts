import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isResponseSerializationError } from "fastify-type-provider-zod";
import { AppError, type FieldError } from "../errors.js";
import { mapDatabaseError } from "./database-errors.js";

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
  FST_ERR_BAD_URL: { status: 400, code: "invalid_url", title: "Bad request" },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: "uri_too_long", title: "URI too long" },
  FST_REQ_FILE_TOO_LARGE: { status: 413, code: "too_large", title: "Payload too large" },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: "unsupported_media_type", title: "Unsupported media type" },
  FST_PARTS_LIMIT: { status: 413, code: "too_large", title: "Payload too large" },
  FST_FILES_LIMIT: { status: 413, code: "too_large", title: "Payload too large" },
};

type ValidationIssue = { instancePath?: string; path?: string; message?: string };

/** Field errors of a failed schema validation (ours, see validation.ts, or Fastify's own). */
function validationErrors(issues: ValidationIssue[]): FieldError[] {
  return issues.map((issue) => ({
    path: issue.path ?? (issue.instancePath ?? "").replace(/^\//, "").replace(/\//g, "."),
    message: issue.message ?? "Invalid value.",
  }));
}

function appProblem(error: AppError): Omit<Problem, "type"> {
  return { title: error.title, status: error.status, detail: error.message, code: error.code, ...(error.errors ? { errors: error.errors } : {}) };
}

/** What the client may read of an error that is its own fault, or null for our faults. */
function clientProblem(error: FastifyError): Omit<Problem, "type"> | null {
  if (error instanceof AppError) return appProblem(error);
  if (Array.isArray(error.validation) && error.validation.length) {
    return {
      title: "Invalid input",
      status: 400,
      detail: `The request has invalid fields (${error.validationContext ?? "body"}).`,
      code: "invalid",
      errors: validationErrors(error.validation),
    };
  }
  const mapped = mapDatabaseError(error);
  if (mapped) return appProblem(mapped);
  const known = error.code ? clientErrors[error.code] : undefined;
  // Fastify's own messages for these are safe: they name the limit or the header, never our data.
  if (known) return { ...known, detail: error.message };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500 && !isResponseSerializationError(error)) {
    return { title: "Bad request", status: error.statusCode, detail: error.message, code: error.statusCode === 404 ? "not_found" : "bad_request" };
  }
  return null;
}

/**
 * The one error handler: typed domain errors, validation failures, the database's
 * refusals and Fastify's own errors become RFC 9457 problem+json. Whatever the mode,
 * no response carries SQL, bound values or a stack: unexpected errors are logged in
 * full (to the server log only) and answered with their request id.
 */
export function registerProblemHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const problem = clientProblem(error);
    if (problem) {
      if (problem.status === 401 || problem.status === 403) {
        request.log.info({ code: problem.code, status: problem.status }, "access refused");
      }
      if (error instanceof AppError) return sendProblem(reply, problem, error.headers);
      return sendProblem(reply, problem);
    }
    request.log.error({ err: error }, "unhandled error");
    return sendProblem(reply, {
      title: "Internal server error",
      status: 500,
      code: "internal",
      detail: `Something went wrong on our side. The error has been logged with request id ${request.id}.`,
    });
  });
}

/** Fastify's errors that happen before a route is found (a malformed or too long path). */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = clientProblem(error) ?? { title: "Bad request", status: 400, code: "bad_request", detail: "The request could not be read." };
  void sendProblem(reply, { ...problem, detail: problem.status === 414 ? "The address is too long." : "The address is not valid." });
}
