import type { UseQueryResult } from "@tanstack/react-query";
import { DEFAULT_PAGE_SIZE, type ListSearch } from "./listSearch";

type Page<T> = { items: T[]; total: number };

/** How a list page changes its URL state; filters reset to page 1 unless `keepPage`. */
export type ListUpdate<S> = (patch: Partial<S>, options?: { keepPage?: boolean }) => void;

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
