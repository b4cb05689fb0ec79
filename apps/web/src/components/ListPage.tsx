import { keepPreviousData, useQuery, type QueryClient } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { useState, type ReactNode } from "react";
import type { z } from "zod";
import type { OrgContextValue } from "../app/org";
import { compact, listSearchSchema, DEFAULT_PAGE_SIZE, type ListSearch } from "../lib/listSearch";
import { listTableProps, listUpdater, type ListUpdate } from "../lib/listTable";
import { DataTable, SearchInput, type Column, type RowSelection } from "./DataTable";
import { Button } from "./ui/Button";
import { EmptyState } from "./ui/EmptyState";
import type { IconName } from "./ui/Icon";
import { PageHeader } from "./ui/PageHeader";

/**
 * A filter above a list: its URL parameter (a zod schema from lib/listSearch.ts `param`) and the
 * control that shows and changes it (components/listFilters.tsx builds the usual ones).
 */
export type ListFilter<S extends z.ZodType = z.ZodType> = {
  schema: S;
  /** Shown under "More filters", for lists with many (the tasks). */
  secondary?: boolean | undefined;
  // A method, so that a filter of one value type is still a ListFilter (bivariant parameters).
  Control(
    this: void,
    props: { value: z.output<S>; onChange: (value: z.output<S> | undefined) => void },
  ): ReactNode;
};

type Filters = Record<string, ListFilter>;

/** The list's URL state: page, page size, search and ordering, and a value per filter. */
export type ListSearchOf<F extends Filters> = ListSearch & {
  [K in keyof F]?: z.output<F[K]["schema"]>;
};

/** What the list's query receives: the URL state with the page and page size defaults applied. */
export type ListParams<F extends Filters> = ListSearchOf<F> & { page: number; pageSize: number };

/** A page of rows: the key it is cached under and how to fetch it (an api module's list). */
export type ListQuery<T> = {
  queryKey: readonly unknown[];
  queryFn: (context: { signal: AbortSignal; client: QueryClient }) => Promise<{ items: T[]; total: number }>;
};

export type ListDefinition<T, F extends Filters, C> = {
  /** Fields the API sorts by; columns with a matching `sortField` become sort toggles. */
  orderings: readonly string[];
  filters: F;
  /** The query of one page; `context` is what the page passes (its organization, mostly). */
  query: (params: ListParams<F>, context: C) => ListQuery<T>;
  rowKey: (row: T) => string;
  /** The page's title; it names the table too, and, lowercased, the search box ("Search clients"). */
  label: string;
  /** One line under the title. */
  description?: (context: C) => ReactNode;
  /** Under the empty state's title: what to do next, for this caller. */
  emptyHint?: (context: C) => ReactNode;
  /** The search box's placeholder; a list without it has no search box. */
  searchPlaceholder?: string;
  /** The empty list: what is missing ("No clients yet") and an icon. */
  empty: { icon: IconName; title: string };
  /** No row matches the search and filters ("No client matches"), and a hint. */
  noMatch: { title: string; hint?: string };
  /** For the router's `validateSearch`: any URL parses, and what is not valid is dropped. */
  validateSearch: (raw: Record<string, unknown>) => ListSearchOf<F>;
};

/**
 * Declares a list page: its URL parameters (a zod schema from the orderings and filters), its query,
 * and its texts. The route takes `validateSearch`; the page renders {@link ListPage} with it.
 */
export function defineList<T, F extends Filters = Record<never, ListFilter>, C = void>(
  definition: DefinitionInput<T, F, C>,
): ListDefinition<T, F, C> {
  const filters = (definition.filters ?? {}) as F;
  const schema = listSearchSchema(
    definition.orderings,
    Object.fromEntries(Object.entries(filters).map(([key, filter]) => [key, filter.schema])),
  );
  return {
    ...definition,
    filters,
    validateSearch: (raw) => compact(schema.parse(raw)) as ListSearchOf<F>,
  };
}

type DefinitionInput<T, F extends Filters, C> = Omit<
  ListDefinition<T, F, C>,
  "validateSearch" | "filters"
> & {
  filters?: F;
};

/** A list of an organization's objects: its query and texts receive the organization and the caller's access. */
export function defineOrgList<T, F extends Filters = Record<never, ListFilter>>(
  definition: DefinitionInput<T, F, OrgContextValue>,
): ListDefinition<T, F, OrgContextValue> {
  return defineList<T, F, OrgContextValue>(definition);
}

/** The page's main action, in the header and in the empty state ("New client"). */
export type ListAction =
  { label: string; onClick: () => void } | { label: string; render: (size: "sm" | "md") => ReactNode };

function ActionButton({ action, size }: { action: ListAction; size: "sm" | "md" }) {
  if ("render" in action) return action.render(size);
  return (
    <Button variant="primary" icon="plus" size={size} onClick={action.onClick}>
      {action.label}
    </Button>
  );
}

export type ListPageProps<T, F extends Filters, C> = {
  list: ListDefinition<T, F, C>;
  /** Or, for columns that depend on what the rows hold, a function of the loaded rows. */
  columns: Column<T>[] | ((rows: T[] | undefined) => Column<T>[]);
  /** Omitted when the caller may not: the buttons follow the caller's permissions. */
  action?: ListAction | undefined;
  /** Other buttons of the header (an export), before the main action. */
  headerActions?: ReactNode;
  /** Dialogs, or more of the page under the list. */
  children?: ReactNode;
  /** Checkboxes on the rows, for actions on several at once. */
  selection?: RowSelection<T> | undefined;
  /** Inside another page that has its own title (a project's tab): no header of its own. */
  headless?: boolean;
} & (C extends void ? { context?: undefined } : { context: C });

/**
 * The one list page: a header with the main action, search and filters whose state lives in the
 * URL, a clear-filters button, the table with its skeleton, sorting and pagination, and two empty
 * states: "nothing yet, here is what to do next" and "no results for these filters".
 */
export function ListPage<T, F extends Filters, C>({
  list,
  context,
  columns,
  action,
  headerActions,
  children,
  selection,
  headless = false,
}: ListPageProps<T, F, C>) {
  type Search = ListSearchOf<F>;
  // The route validated the URL with `list.validateSearch`, so it holds this list's state.
  const search = useSearch({ strict: false }) as unknown as Search;
  const navigate = useNavigate();
  const update: ListUpdate<Search> = listUpdater<Search>(({ search: next, replace }) =>
    navigate({ to: ".", search: next as never, replace }),
  );
  const params = { ...search, page: search.page ?? 1, pageSize: search.pageSize ?? DEFAULT_PAGE_SIZE };
  const query = useQuery({ ...list.query(params, context as C), placeholderData: keepPreviousData });

  const filterKeys = Object.keys(list.filters) as (keyof F & string)[];
  const filtered = Boolean(search.search) || filterKeys.some((key) => search[key] !== undefined);
  const cleared = Object.fromEntries(["search", ...filterKeys].map((key) => [key, undefined]));
  const clearFilters = () => update(cleared as Partial<Search>);
  const secondaryKeys = filterKeys.filter((key) => list.filters[key]?.secondary);
  const moreActive = secondaryKeys.filter((key) => search[key] !== undefined).length;
  const [more, setMore] = useState(moreActive > 0);
  const control = (key: keyof F & string) => {
    const { Control } = list.filters[key] as ListFilter;
    return (
      <Control
        key={key}
        value={search[key]}
        onChange={(value: unknown) => update({ [key]: value } as Partial<Search>)}
      />
    );
  };

  return (
    <>
      {headless ? null : (
        <PageHeader
          title={list.label}
          description={list.description?.(context as C)}
          actions={
            headerActions || action ? (
              <>
                {headerActions}
                {action ? <ActionButton action={action} size="md" /> : null}
              </>
            ) : null
          }
        />
      )}
      <div className="mb-3 flex flex-wrap items-center gap-2">
        {list.searchPlaceholder ? (
          <SearchInput
            value={search.search}
            onChange={(value) => update({ search: value } as Partial<Search>)}
            label={`Search ${list.label.toLowerCase()}`}
            placeholder={list.searchPlaceholder}
          />
        ) : null}
        {filterKeys.filter((key) => !list.filters[key]?.secondary).map(control)}
        {secondaryKeys.length ? (
          <Button
            variant="ghost"
            size="sm"
            aria-expanded={more}
            onClick={() => setMore((open) => !open)}
            icon={more ? "chevronDown" : "chevronRight"}
          >
            {moreActive ? `More filters (${moreActive})` : "More filters"}
          </Button>
        ) : null}
        {filtered ? (
          <Button variant="ghost" size="sm" onClick={clearFilters}>
            Clear filters
          </Button>
        ) : null}
      </div>
      {more && secondaryKeys.length ? (
        <div className="-mt-1 mb-3 flex flex-wrap items-center gap-2 rounded-md bg-zinc-100/70 p-2">
          {secondaryKeys.map(control)}
        </div>
      ) : null}
      <DataTable
        label={list.label}
        columns={typeof columns === "function" ? columns(query.data?.items) : columns}
        rowKey={list.rowKey}
        selection={selection}
        {...listTableProps(query, search, update)}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title={list.noMatch.title}
              action={
                <Button size="sm" onClick={clearFilters}>
                  Clear filters
                </Button>
              }
            >
              {list.noMatch.hint ?? "Try another name, or clear the filters."}
            </EmptyState>
          ) : (
            <EmptyState
              icon={list.empty.icon}
              title={list.empty.title}
              action={action ? <ActionButton action={action} size="sm" /> : null}
            >
              {list.emptyHint?.(context as C)}
            </EmptyState>
          )
        }
      />
      {children}
    </>
  );
}
