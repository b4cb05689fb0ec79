import type { UseQueryResult } from "@tanstack/react-query";
import { compact, DEFAULT_PAGE_SIZE, type ListSearch } from "./listSearch";

type Page<T> = { items: T[]; total: number };

/** How a list page changes its URL state; filters reset to page 1 unless `keepPage`. */
export type ListUpdate<S> = (patch: Partial<S>, options?: { keepPage?: boolean }) => void;

/** What a route's `useNavigate()` offers that a list page needs: a new search from the previous one. */
type SearchNavigate<S> = (options: { search: (previous: S) => S; replace?: boolean }) => Promise<void>;

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
