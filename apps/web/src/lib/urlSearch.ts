/**
 * How the router reads and writes `?a=1&b=x`: plain text, one value per key (a repeated key becomes
 * a list). TanStack Router's default JSON-encodes values, so a filter `verified=true` turned into
 * `?verified=%22true%22` and a search for `123` into `?search=%22123%22`; links stayed readable for
 * nobody. Each route's `validateSearch` (zod, lib/listSearch.ts) turns the text into typed values.
 */

/** `?page=2&status=active` → `{ page: "2", status: "active" }`. */
export function parseSearch(searchStr: string): Record<string, unknown> {
  const params = new URLSearchParams(searchStr.startsWith("?") ? searchStr.slice(1) : searchStr);
  const search: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    search[key] = values.length > 1 ? values : (values[0] ?? "");
  }
  return search;
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  return JSON.stringify(value);
}

/** `{ page: 2, verified: true, search: undefined }` → `?page=2&verified=true`; empty values are left out. */
export function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (item === undefined || item === null || item === "") continue;
      params.append(key, text(item));
    }
  }
  const query = params.toString();
  return query ? `?${query}` : "";
}
