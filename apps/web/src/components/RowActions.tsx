import type { Column } from "./DataTable";
import { Icon } from "./ui/Icon";
import { Menu, type MenuItem } from "./ui/Menu";

/**
 * The last column of a list: a "…" menu of what the caller may do with the row. Items that are
 * `false` (not allowed) are left out, and a row with none shows no menu.
 */
export function actionsColumn<T>(
  label: (row: T) => string,
  items: (row: T) => (MenuItem | false)[],
): Column<T> {
  return {
    key: "actions",
    header: <span className="sr-only">Actions</span>,
    className: "w-12 text-right",
    cell: (row) => {
      const allowed = items(row).filter((item): item is MenuItem => item !== false);
      return allowed.length ? (
        <Menu
          label={label(row)}
          align="end"
          items={allowed}
          trigger={
            <span className="inline-flex size-7 items-center justify-center rounded-md text-zinc-500 hover:bg-zinc-200/70">
              <Icon name="more" />
            </span>
          }
        />
      ) : null;
    },
  };
}
