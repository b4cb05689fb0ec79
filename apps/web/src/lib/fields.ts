import { z } from "zod";

/**
 * Form fields built from the API's own field schemas (@cairn/shared), so a form checks what the
 * server checks without writing the rule again. Inputs hold strings; these say how an empty one
 * is sent.
 */

/** `value` parsed by `schema`; its issues are reported on the field being checked. */
function parseInto<T>(schema: z.ZodType<T, unknown>, value: string, context: z.core.$RefinementCtx<string>) {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    context.addIssue({ code: "custom", message: issue.message, path: [...issue.path] });
  }
  return z.NEVER;
}

/** A text input checked (and transformed) by the API's schema for the field, as typed. */
export function checkedBy<T>(schema: z.ZodType<T, unknown>) {
  return z.string().transform((value, context): T => parseInto(schema, value, context));
}

/**
 * An optional text input checked by the API's schema for the field: empty (or blank) yields
 * null, anything else is trimmed and must pass `schema`, whose messages are shown next to it.
 */
export function blankOr<T>(schema: z.ZodType<T, unknown>) {
  return z.string().transform((value, context): T | null => {
    const text = value.trim();
    return text === "" ? null : parseInto(schema, text, context);
  });
}
