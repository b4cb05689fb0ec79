/**
 * Typed errors thrown by domain code. One handler (platform/http/problem.ts)
 * turns them into RFC 9457 problem+json; nothing else formats errors.
 */
export type FieldError = { path: string; message: string };

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], detail = "The request has invalid fields.") {
    super(400, "invalid", "Invalid input", detail, errors);
  }
}

export class NotAuthenticatedError extends AppError {
  constructor(detail = "Authentication credentials were not provided or are invalid.") {
    super(401, "not_authenticated", "Not authenticated", detail, undefined, { "WWW-Authenticate": "Bearer" });
  }
}

export class PermissionDeniedError extends AppError {
  constructor(
    readonly permission: string | null,
    detail?: string,
  ) {
    super(403, "permission_denied", "Permission denied", detail ?? (permission ? `You need the ${permission} permission.` : "You may not do this."));
  }
}

/** Also what an object of another organization answers: its existence is not revealed. */
export class NotFoundError extends AppError {
  constructor(what = "object") {
    super(404, "not_found", "Not found", `No such ${what}.`);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, code = "conflict", errors?: FieldError[]) {
    super(409, code, "Conflict", detail, errors);
  }
}

export class BusinessRuleError extends AppError {
  constructor(detail: string, code = "rule_violation", errors?: FieldError[]) {
    super(422, code, "Refused by a business rule", detail, errors);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(detail = "The request is too large.") {
    super(413, "too_large", "Payload too large", detail);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(detail = "This media type is not accepted.") {
    super(415, "unsupported_media_type", "Unsupported media type", detail);
  }
}

export class ThrottledError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    detail = "Too many requests.",
  ) {
    const wait = Math.max(1, Math.ceil(retryAfterSeconds));
    super(429, "throttled", "Too many requests", `${detail} Try again in ${wait} seconds.`, undefined, {
      "Retry-After": String(wait),
    });
  }
}
