import { unsafeTextReason } from "@cairn/shared";
import type { FastifySchemaCompiler } from "fastify";
import { z } from "zod";
import { safeParse, type $ZodIssue, type $ZodType } from "zod/v4/core";
import type { FieldError } from "../errors.js";

/**
 * The validator of every route, for every present and future schema. Before a route's
 * own zod schema runs, two rules hold for the whole API:
 *
 * - No string anywhere in the body, the query or the path (keys included) may hold a
 *   NUL or a lone surrogate: PostgreSQL text cannot store the first, and the second is
 *   not Unicode (JSON allows `"\uD800"`; the audit log's JSON column does not).
 * - A JSON body may not carry fields its schema does not name: a misspelt field is
 *   refused with a 400 naming it instead of being dropped in silence.
 *
 * Errors come back as field errors (`{path, message}`), which the problem handler turns
 * into the usual 400 problem+json.
 */
export type RequestFieldError = FieldError & { instancePath: string };

const MAX_DEPTH = 64;

/** Every string of a parsed request part that may not be accepted, with its dotted path. */
export function findUnsafeText(value: unknown, path: string[] = [], found: FieldError[] = [], depth = 0): FieldError[] {
  if (found.length >= 20 || depth > MAX_DEPTH) return found;
  if (typeof value === "string") {
    const reason = unsafeTextReason(value);
    if (reason) found.push({ path: path.join("."), message: reason });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => findUnsafeText(item, [...path, String(index)], found, depth + 1));
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const keyReason = unsafeTextReason(key);
      if (keyReason) found.push({ path: [...path, "(key)"].join("."), message: `A field name is not valid text. ${keyReason}` });
      else findUnsafeText(item, [...path, key], found, depth + 1);
    }
  }
  return found;
}

/** The schema a JSON body is checked against: its top-level object refuses unknown keys. */
export function strictBody(schema: $ZodType): $ZodType {
  if (schema instanceof z.ZodObject) return schema.strict();
  // `body: x.optional()`: a route that takes its value from a cookie when there is no body.
  if (schema instanceof z.ZodOptional) return (strictBody(schema.unwrap()) as z.ZodType).optional();
  if (schema instanceof z.ZodPipe && schema.in instanceof z.ZodObject) {
    return schema.in.strict().pipe(schema.out as z.ZodType<unknown, Record<string, unknown>>);
  }
  return schema;
}

function issueErrors(issue: $ZodIssue): FieldError[] {
  const base = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ path: [...base, key].join("."), message: "Unknown field: remove it." }));
  }
  return [{ path: base.join("."), message: issue.message }];
}

function toValidation(errors: FieldError[]): RequestFieldError[] {
  return errors.map((error) => ({ ...error, instancePath: `/${error.path.replace(/\./g, "/")}` }));
}

export const validatorCompiler: FastifySchemaCompiler<$ZodType> = ({ schema, httpPart }) => {
  const effective = httpPart === "body" ? strictBody(schema) : schema;
  return (data: unknown) => {
    if (httpPart !== "headers") {
      const unsafe = findUnsafeText(data);
      if (unsafe.length) return { error: toValidation(unsafe) as unknown as Error };
    }
    const result = safeParse(effective, data);
    if (result.error) return { error: toValidation(result.error.issues.flatMap(issueErrors)) as unknown as Error };
    return { value: result.data };
  };
};
