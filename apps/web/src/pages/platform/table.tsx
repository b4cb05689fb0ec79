import { Skeleton } from "../../components/ui/Skeleton";

/** The last header cell of a table whose rows end with buttons. */
export function ActionsHeader() {
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
