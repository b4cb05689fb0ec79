import { useEffect, useRef, useState, type ReactNode } from "react";
import { errorMessage } from "../lib/api";
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from "../lib/listSearch";
import { Alert } from "./ui/Alert";
import { Button } from "./ui/Button";
import { cn } from "./ui/cn";
import { Icon } from "./ui/Icon";
import { Skeleton } from "./ui/Skeleton";

export type Column<T> = {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** The API's ordering field; makes the header a sort toggle. */
  sortField?: string;
  className?: string;
  /** Hide below this width to keep tablets readable. */
  hideBelow?: "sm" | "md" | "lg";
};

/** Checkboxes on the rows: which are chosen, and how choosing changes that. */
export type RowSelection<T> = {
  selected: ReadonlySet<string>;
  /** Rows chosen (`true`) or let go; the header's box passes the whole page. */
  onChange: (rows: T[], selected: boolean) => void;
  /** A row the caller can do nothing with has no box. */
  canSelect?: (row: T) => boolean;
  /** The box's name: "Select SHOP-12". */
  label: (row: T) => string;
};

const hidden = { sm: "hidden sm:table-cell", md: "hidden md:table-cell", lg: "hidden lg:table-cell" };

export type DataTableProps<T> = {
  /** Names the table for screen readers. */
  label: string;
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  loading: boolean;
  /** Shown while refetching a new page over the old rows. */
  fetching?: boolean;
  error?: unknown;
  onRetry?: () => void;
  /** Rendered when the list is empty (say what to do next). */
  empty: ReactNode;
  ordering?: string;
  onOrderingChange?: (ordering: string | undefined) => void;
  page: number;
  pageSize?: number;
  total: number;
  onPageChange: (page: number) => void;
  onPageSizeChange?: (pageSize: number) => void;
  selection?: RowSelection<T> | undefined;
};

/**
 * The list every page uses: server-side pagination and sorting, skeleton rows while loading, an
 * empty state, an error with retry. State (page, ordering, filters) is owned by the page's URL.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  loading,
  fetching,
  error,
  onRetry,
  empty,
  ordering,
  onOrderingChange,
  page,
  pageSize = DEFAULT_PAGE_SIZE,
  total,
  onPageChange,
  onPageSizeChange,
  selection,
}: DataTableProps<T>) {
  const sortState = (field: string): "ascending" | "descending" | undefined =>
    ordering === field ? "ascending" : ordering === `-${field}` ? "descending" : undefined;
  const nextOrdering = (field: string) =>
    ordering === field ? `-${field}` : ordering === `-${field}` ? undefined : field;

  if (selection) columns = [selectColumn(selection, rows ?? [], rowKey), ...columns];

  if (error && !rows) {
    return (
      <Alert tone="error" title="The list could not be loaded.">
        {errorMessage(error)}{" "}
        {onRetry ? (
          <button type="button" className="font-medium underline" onClick={onRetry}>
            Try again
          </button>
        ) : null}
      </Alert>
    );
  }

  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xs">
      <div className={cn("overflow-x-auto transition-opacity", fetching && !loading && "opacity-60")}>
        <table
          className="w-full border-collapse text-left text-sm"
          aria-label={label}
          aria-busy={loading || fetching || undefined}
        >
          <thead className="border-b border-zinc-200 bg-zinc-50/80 text-xs font-medium text-zinc-500">
            <tr>
              {columns.map((column) => {
                const sort = column.sortField ? sortState(column.sortField) : undefined;
                return (
                  <th
                    key={column.key}
                    scope="col"
                    aria-sort={sort}
                    className={cn(
                      "h-9 px-3 font-medium whitespace-nowrap",
                      column.hideBelow && hidden[column.hideBelow],
                      column.className,
                    )}
                  >
                    {column.sortField && onOrderingChange ? (
                      <button
                        type="button"
                        className="-mx-1 inline-flex items-center gap-1 rounded px-1 py-0.5 hover:bg-zinc-200/60 hover:text-zinc-800"
                        onClick={() => onOrderingChange(nextOrdering(column.sortField ?? ""))}
                      >
                        {column.header}
                        <Icon
                          name={
                            sort === "ascending"
                              ? "arrowUp"
                              : sort === "descending"
                                ? "arrowDown"
                                : "chevronsUpDown"
                          }
                          className={cn("size-3.5", !sort && "text-zinc-300")}
                        />
                        <span className="sr-only">{sort ? `, sorted ${sort}` : ""}, click to sort</span>
                      </button>
                    ) : (
                      column.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {loading && !rows
              ? Array.from({ length: Math.min(pageSize, 8) }, (_, index) => (
                  <tr key={index}>
                    {columns.map((column) => (
                      <td
                        key={column.key}
                        className={cn("h-11 px-3", column.hideBelow && hidden[column.hideBelow])}
                      >
                        <Skeleton className="h-3.5 w-3/4" />
                      </td>
                    ))}
                  </tr>
                ))
              : rows?.map((row) => (
                  <tr key={rowKey(row)} className="hover:bg-zinc-50/70">
                    {columns.map((column) => (
                      <td
                        key={column.key}
                        className={cn(
                          "h-11 px-3 py-1.5 align-middle",
                          column.hideBelow && hidden[column.hideBelow],
                          column.className,
                        )}
                      >
                        {column.cell(row)}
                      </td>
                    ))}
                  </tr>
                ))}
          </tbody>
        </table>
        {!loading && rows && rows.length === 0 ? empty : null}
      </div>
      {rows && total > 0 ? (
        <Pagination
          page={page}
          pageSize={pageSize}
          total={total}
          onPageChange={onPageChange}
          onPageSizeChange={onPageSizeChange}
        />
      ) : null}
    </div>
  );
}

/** The first column when rows can be chosen: a box per row, and one in the header for the page. */
function selectColumn<T>(selection: RowSelection<T>, rows: T[], keyOf: (row: T) => string): Column<T> {
  const choosable = rows.filter((row) => selection.canSelect?.(row) ?? true);
  const chosen = choosable.filter((row) => selection.selected.has(keyOf(row)));
  const all = choosable.length > 0 && chosen.length === choosable.length;
  return {
    key: "select",
    className: "w-9 pr-0",
    header: (
      <input
        type="checkbox"
        aria-label="Select every row of this page"
        className="size-4 accent-accent-600 align-middle"
        disabled={choosable.length === 0}
        checked={all}
        ref={(box) => {
          if (box) box.indeterminate = chosen.length > 0 && !all;
        }}
        onChange={() => selection.onChange(choosable, !all)}
      />
    ),
    cell: (row) =>
      selection.canSelect?.(row) === false ? null : (
        <input
          type="checkbox"
          aria-label={`Select ${selection.label(row)}`}
          className="size-4 accent-accent-600 align-middle"
          checked={selection.selected.has(keyOf(row))}
          onChange={(event) => selection.onChange([row], event.target.checked)}
        />
      ),
  };
}

export function Pagination({
  page,
  pageSize,
  total,
  onPageChange,
  onPageSizeChange,
}: {
  page: number;
  pageSize: number;
  total: number;
  onPageChange: (page: number) => void;
  onPageSizeChange?: ((pageSize: number) => void) | undefined;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav
      className="flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-3 py-2 text-[13px] text-zinc-600"
      aria-label="Pagination"
    >
      <p aria-live="polite">
        {first}–{last} of {total}
      </p>
      <div className="flex items-center gap-3">
        {onPageSizeChange ? (
          <label className="flex items-center gap-1.5">
            <span>Rows per page</span>
            <select
              className="h-7 rounded-md border border-zinc-300 bg-white px-1.5 text-[13px]"
              value={pageSize}
              onChange={(event) => onPageSizeChange(Number(event.target.value))}
            >
              {PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <span>
          Page {page} of {pages}
        </span>
        <div className="flex gap-1">
          <Button
            size="sm"
            variant="secondary"
            onClick={() => onPageChange(page - 1)}
            disabled={page <= 1}
            aria-label="Previous page"
          >
            <Icon name="chevronLeft" />
          </Button>
          <Button
            size="sm"
            variant="secondary"
            onClick={() => onPageChange(page + 1)}
            disabled={page >= pages}
            aria-label="Next page"
          >
            <Icon name="chevronRight" />
          </Button>
        </div>
      </div>
    </nav>
  );
}

/** A search box that writes to the URL after the typing pauses, and follows the URL when it changes. */
export function SearchInput({
  value,
  onChange,
  placeholder = "Search…",
  label = "Search",
  delay = 300,
}: {
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  placeholder?: string;
  label?: string;
  delay?: number;
}) {
  const [text, setText] = useState(value ?? "");
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  }, [onChange]);
  const [prevValue, setPrevValue] = useState(value);
  if (value !== prevValue) {
    setPrevValue(value);
    setText(value ?? "");
  }
  useEffect(() => {
    if ((value ?? "") === text.trim()) return;
    const timer = setTimeout(() => latest.current(text.trim() || undefined), delay);
    return () => clearTimeout(timer);
  }, [text, value, delay]);
  return (
    <div className="relative w-full sm:w-64">
      <Icon
        name="search"
        className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-400"
      />
      <input
        type="search"
        aria-label={label}
        placeholder={placeholder}
        value={text}
        onChange={(event) => setText(event.target.value)}
        className="h-8.5 w-full rounded-md border border-zinc-300 bg-white pr-2.5 pl-8 text-sm shadow-xs placeholder:text-zinc-400 focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none"
      />
    </div>
  );
}
