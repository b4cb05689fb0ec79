import type { ImportRowError } from "@cairn/shared";
import { useState } from "react";
import { DataTable, type Column } from "../../../components/DataTable";
import { DEFAULT_PAGE_SIZE } from "../../../lib/listSearch";

type Numbered = ImportRowError & { index: number };

const COLUMNS: Column<Numbered>[] = [
  {
    key: "row",
    header: "Row",
    className: "w-20 tabular-nums",
    cell: (error) => error.row,
  },
  {
    key: "column",
    header: "Column",
    className: "w-40",
    cell: (error) => <code className="font-mono text-xs text-zinc-700">{error.column}</code>,
  },
  { key: "message", header: "Problem", cell: (error) => error.message },
];

/**
 * The bad rows of a file (a dry run's, or an import's first 1000), a page at a time: a file may have
 * thousands. Row numbers are lines of the file (the header is row 1), as a spreadsheet shows them.
 */
export function ImportErrors({ errors, label }: { errors: ImportRowError[]; label: string }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(DEFAULT_PAGE_SIZE);
  const start = (page - 1) * pageSize;
  const rows = errors
    .slice(start, start + pageSize)
    .map((error, offset) => ({ ...error, index: start + offset }));
  return (
    <DataTable
      label={label}
      columns={COLUMNS}
      rows={rows}
      rowKey={(error) => String(error.index)}
      loading={false}
      empty={null}
      page={page}
      pageSize={pageSize}
      total={errors.length}
      onPageChange={setPage}
      onPageSizeChange={(size) => {
        setPageSize(size);
        setPage(1);
      }}
    />
  );
}
