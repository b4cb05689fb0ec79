import { z } from "zod";

/** `?page=1&pageSize=20` (max 100), as API.md says for every list. */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export type PageQuery = z.infer<typeof pageQuery>;

export type Page<T> = { items: T[]; page: number; pageSize: number; total: number };

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
  });
}

/** `?ordering=name` or `?ordering=-name`, limited to the fields a list allows. */
export function orderingQuery<const F extends readonly [string, ...string[]]>(fields: F) {
  const values = fields.flatMap((field) => [field, `-${field}`]) as [string, ...string[]];
  return z.enum(values).optional();
}

export function parseOrdering(value: string | undefined): { field: string; descending: boolean } | null {
  if (!value) return null;
  return value.startsWith("-") ? { field: value.slice(1), descending: true } : { field: value, descending: false };
}

/** Query-string booleans: `true`, `false`, `1`, `0`. */
export const queryBoolean = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");
