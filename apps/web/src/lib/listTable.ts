import type { UseQueryResult } from "@tanstack/react-query";
import { compact, DEFAULT_PAGE_SIZE, type ListSearch } from "./listSearch";

type Page<T> = { items: T[]; total: number };

/** How a list page changes its URL state; filters reset to page 1 unless `keepPage`. */
export type ListUpdate<S> = (patch: Partial<S>, options?: { keepPage?: boolean }) => void;

/** What a route's `useNavigate()` offers that a list page needs: a new search from the previous one. */
export type SearchNavigate<S> = (options: { search: (previous: S) => S; replace?: boolean }) => Promise<void>;

/**
 * A list page's URL update: merges the patch into the search, drops empty
 * values, goes back to page 1 when a filter changes (unless `keepPage`), and
 * replaces the history entry unless the page itself changed.
 */
export function listUpdater<S extends ListSearch>(navigate: SearchNavigate<S>): ListUpdate<S> {
  return (patch, options = {}) =>
    void navigate({
      search: (previous) =>
        compact({ ...previous, ...(options.keepPage ? {} : { page: undefined }), ...patch }),
      replace: !("page" in patch),
    });
}

/**
 * Wires a list query and the page's URL state into DataTable: rows, loading
 * and error states, sorting and pagination. Every list page spreads this
 * instead of repeating the same dozen props.
 */
export function listTableProps<T, S extends ListSearch>(
  query: UseQueryResult<Page<T>>,
  search: S,
  update: ListUpdate<S>,
) {
  return {
    rows: query.data?.items,
    loading: query.isLoading,
    fetching: query.isFetching,
    error: query.error,
    onRetry: () => void query.refetch(),
    ordering: search.ordering,
    onOrderingChange: (ordering: string | undefined) =>
      update({ ordering } as Partial<S>, { keepPage: true }),
    page: search.page ?? 1,
    pageSize: search.pageSize ?? DEFAULT_PAGE_SIZE,
    total: query.data?.total ?? 0,
    onPageChange: (next: number) =>
      update({ page: next > 1 ? next : undefined } as Partial<S>, { keepPage: true }),
    onPageSizeChange: (size: number) =>
      update({ pageSize: size === DEFAULT_PAGE_SIZE ? undefined : size } as Partial<S>),
  };
}

/**
 * A page of a list the API answers whole (an organization's roles): searched, sorted and cut here
 * as the server would, so that it shows in the same list page as the others.
 */
export function localPage<T>(
  items: readonly T[],
  params: ListSearch & { page: number; pageSize: number },
  { text, sort }: { text: (row: T) => string; sort: Record<string, (row: T) => string | number> },
): Page<T> {
  const needle = params.search?.toLowerCase();
  const rows = needle ? items.filter((row) => text(row).toLowerCase().includes(needle)) : [...items];
  const descending = params.ordering?.startsWith("-") ?? false;
  const by = params.ordering ? sort[params.ordering.replace(/^-/, "")] : undefined;
  if (by) {
    rows.sort((a, b) => {
      const [x, y] = [by(a), by(b)];
      const order =
        typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return descending ? -order : order;
    });
  }
  const start = (params.page - 1) * params.pageSize;
  return { items: rows.slice(start, start + params.pageSize), total: rows.length };
}
