/**
 * URL search parameters of list pages: `?page=2&pageSize=50&search=ann&role=admin&ordering=-joinedAt`.
 * Pages build their `validateSearch` from these helpers, so a bookmarked or shared link always parses,
 * and anything malformed falls back to the default instead of breaking the page.
 */

export const PAGE_SIZES = [10, 20, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 20;

export type ListSearch = {
  page?: number;
  pageSize?: number;
  search?: string;
  ordering?: string;
};

export function pageParam(value: unknown): number | undefined {
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isInteger(number) && number > 1 ? number : undefined;
}

export function pageSizeParam(value: unknown): number | undefined {
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return (PAGE_SIZES as readonly number[]).includes(number) && number !== DEFAULT_PAGE_SIZE
    ? number
    : undefined;
}

export function stringParam(value: unknown, max = 100): string | undefined {
  if (typeof value === "number") return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim().slice(0, max);
  return trimmed || undefined;
}

export function enumParam<const T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === "string" && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : undefined;
}

/** `field` or `-field`, for fields the list can sort by. */
export function orderingParam(value: unknown, fields: readonly string[]): string | undefined {
  if (typeof value !== "string") return undefined;
  const field = value.startsWith("-") ? value.slice(1) : value;
  return fields.includes(field) ? value : undefined;
}

export function parseListSearch(raw: Record<string, unknown>, orderings: readonly string[]): ListSearch {
  return {
    page: pageParam(raw.page),
    pageSize: pageSizeParam(raw.pageSize),
    search: stringParam(raw.search),
    ordering: orderingParam(raw.ordering, orderings),
  };
}

/** Drops undefined keys so URLs stay short. */
export function compact<T extends Record<string, unknown>>(search: T): T {
  return Object.fromEntries(
    Object.entries(search).filter(([, value]) => value !== undefined && value !== ""),
  ) as T;
}
