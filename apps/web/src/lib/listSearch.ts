/**
 * URL search parameters of list pages: `?page=2&pageSize=50&search=ann&role=admin&ordering=-joinedAt`.
 * A list declares its parameters once as a zod schema built from {@link param} (see
 * components/ListPage.tsx); the router validates every address with it, so a bookmarked or shared
 * link always parses, and anything malformed falls back to the default instead of breaking the page.
 */
import { z } from "zod";

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

export type ListSearch = {
  page?: number | undefined;
  pageSize?: number | undefined;
  search?: string | undefined;
  ordering?: string | undefined;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One URL parameter each. The router hands over text (lib/urlSearch.ts); every builder accepts it,
 * or the typed value a link passes, and turns whatever it cannot read into `undefined`.
 */
export const param = {
  /** Free text, trimmed and cut to `max` characters. */
  text: (max = 100) =>
    z
      .union([z.string(), z.number().transform(String)])
      .transform((value) => value.trim().slice(0, max) || undefined)
      .optional()
      .catch(undefined),
  /** One of a few known values (a status, a role key). */
  oneOf: <const T extends readonly [string, ...string[]]>(values: T) =>
    z.enum(values).optional().catch(undefined),
  /** Some of a few known values, the key repeated: `?status=todo&status=done`. */
  manyOf: <const T extends readonly [string, ...string[]]>(values: T) =>
    z
      .union([z.string(), z.array(z.string())])
      .transform((value) => {
        const wanted = new Set(Array.isArray(value) ? value : [value]);
        const known: T[number][] = values.filter((item: T[number]) => wanted.has(item));
        return known.length ? known : undefined;
      })
      .optional()
      .catch(undefined),
  /** An object's id (a UUID), e.g. the project a list is narrowed to. */
  id: () => z.string().regex(UUID).optional().catch(undefined),
  /** An id, or one of a few words that stand for someone (`?assignee=me`, `none`). */
  idOr: <const T extends readonly [string, ...string[]]>(words: T) =>
    z
      .union([z.string().regex(UUID), z.enum(words)])
      .optional()
      .catch(undefined),
  /** A calendar date, `YYYY-MM-DD`. */
  date: () =>
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine((value) => !Number.isNaN(Date.parse(value)))
      .optional()
      .catch(undefined),
  /** An ISO-8601 timestamp (`2026-11-30T08:00:00.000Z`). */
  timestamp: () => z.iso.datetime({ offset: true }).optional().catch(undefined),
  /** `true` or `false`, kept as text because the API takes it so (`?verified=true`). */
  flag: () =>
    z
      .union([z.enum(["true", "false"]), z.boolean().transform((value) => (value ? "true" : "false"))])
      .optional()
      .catch(undefined),
  /** Page 2 and on; page 1 is the default and stays out of the URL. */
  page: () => z.coerce.number().int().min(2).optional().catch(undefined),
  /** One of {@link PAGE_SIZES}, the default left out. */
  pageSize: () =>
    z.coerce
      .number()
      .refine((size) => (PAGE_SIZES as readonly number[]).includes(size) && size !== DEFAULT_PAGE_SIZE)
      .optional()
      .catch(undefined),
  /** `field` or `-field`, for fields the list can sort by. */
  ordering: (fields: readonly string[]) =>
    z
      .string()
      .refine((value) => fields.includes(value.startsWith("-") ? value.slice(1) : value))
      .optional()
      .catch(undefined),
};

/** The parameters every list has (page, page size, search, ordering) plus its own filters. */
export function listSearchSchema<F extends z.ZodRawShape>(orderings: readonly string[], filters: F) {
  return z.object({
    page: param.page(),
    pageSize: param.pageSize(),
    search: param.text(),
    ordering: param.ordering(orderings),
    ...filters,
  });
}

export function stringParam(value: unknown, max = 100): string | undefined {
  return param.text(max).parse(value);
}

export function enumParam<const T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === "string" && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

/** Drops undefined keys so URLs stay short. */
export function compact<T extends Record<string, unknown>>(search: T): T {
  return Object.fromEntries(
    Object.entries(search).filter(([, value]) => value !== undefined && value !== ""),
  ) as T;
}
