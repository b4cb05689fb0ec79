import { Skeleton } from "../../components/ui/Skeleton";

/** A column of a platform table: its label, and whether it holds numbers (right-aligned). */
export type Column = string | { label: string; numeric: true };

/** The header row of a platform table; `actions` adds the (unlabelled) column of the rows' buttons. */
export function TableHead({ columns, actions = false }: { columns: Column[]; actions?: boolean }) {
  return (
    <thead className="border-b border-zinc-200 bg-zinc-50/80 text-xs text-zinc-500">
      <tr>
        {columns.map((column) => {
          const label = typeof column === "string" ? column : column.label;
          return (
            <th
              key={label}
              scope="col"
              className={`px-3 py-2 font-medium ${typeof column === "string" ? "text-left" : "text-right"}`}
            >
              {label}
            </th>
          );
        })}
        {actions ? <ActionsHeader /> : null}
      </tr>
    </thead>
  );
}

/** The last header cell of a table whose rows end with buttons. */
function ActionsHeader() {
  return (
    <th scope="col" className="px-3 py-2 text-right font-medium">
      <span className="sr-only">Actions</span>
    </th>
  );
}

/** One placeholder row while a table's rows load. */
export function LoadingRow({ columns }: { columns: number }) {
  return (
    <tr>
      <td colSpan={columns} className="px-3 py-3">
        <Skeleton className="h-5 w-full" />
      </td>
    </tr>
  );
}
