import { Icon } from "../../components/ui/Icon";
import { groupByArea } from "../../lib/roles";
import type { PermissionInfo } from "../../lib/types";

/** A role's grants: which permissions, and which of them on the holder's own objects only. */
export type Grants = { permissions: string[]; ownScoped: string[] };

/**
 * The permissions of a role, by area: a checkbox each (and one per area for all of it), and for a
 * granted permission that knows "own objects" (the catalog's `own`), whether it covers everything
 * or only those, as the default roles grant some ("own projects"). Read only, what is granted.
 */
export function RolePermissions({
  catalog,
  grants,
  onChange,
  error,
}: {
  catalog: PermissionInfo[];
  grants: Grants;
  /** Absent: read only. */
  onChange?: (grants: Grants) => void;
  error?: string | undefined;
}) {
  const selected = new Set(grants.permissions);
  const own = new Set(grants.ownScoped);
  // Kept in the catalog's order; an own scope only for what stays granted.
  const change = (nextSelected: Set<string>, nextOwn: Set<string> = own) => {
    const permissions = catalog.map((item) => item.codename).filter((codename) => nextSelected.has(codename));
    onChange?.({ permissions, ownScoped: permissions.filter((codename) => nextOwn.has(codename)) });
  };
  const readOnly = !onChange;

  return (
    <fieldset>
      <legend className="mb-2 flex w-full items-baseline justify-between text-[13px] font-medium text-zinc-800">
        Permissions
        <span className="font-normal text-zinc-500">
          {selected.size} of {catalog.length}
        </span>
      </legend>
      {error ? <p className="mb-2 text-[13px] text-red-600">{error}</p> : null}
      <div className="grid gap-3 md:grid-cols-2">
        {groupByArea(catalog).map((area) => {
          const codenames = area.permissions.map((item) => item.codename);
          const all = codenames.every((codename) => selected.has(codename));
          const some = codenames.some((codename) => selected.has(codename));
          return (
            <div key={area.area} className="rounded-md border border-zinc-200">
              <div className="flex items-center justify-between border-b border-zinc-100 bg-zinc-50/70 px-3 py-1.5">
                <span className="text-xs font-semibold tracking-wide text-zinc-600">{area.label}</span>
                {readOnly ? null : (
                  // A checkbox of its own making: a 24 px target (WCAG 2.5.8), mixed while some are granted.
                  <button
                    type="button"
                    role="checkbox"
                    aria-checked={all ? true : some ? "mixed" : false}
                    aria-label={`All ${area.label} permissions`}
                    onClick={() => {
                      const next = new Set(selected);
                      for (const codename of codenames) {
                        if (all) next.delete(codename);
                        else next.add(codename);
                      }
                      change(next);
                    }}
                    className="-mr-1.5 inline-flex h-6 items-center gap-1.5 rounded px-1.5 text-xs text-zinc-600 hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-accent-500/40 focus-visible:outline-none"
                  >
                    <span
                      aria-hidden="true"
                      className={`flex size-3.5 items-center justify-center rounded-[3px] border ${all || some ? "border-accent-600 bg-accent-600 text-white" : "border-zinc-400 bg-white"}`}
                    >
                      {all ? (
                        <Icon name="check" className="size-3" />
                      ) : some ? (
                        <span className="h-0.5 w-2 bg-white" />
                      ) : null}
                    </span>
                    All
                  </button>
                )}
              </div>
              <ul className="space-y-1.5 px-3 py-2">
                {area.permissions.map((item) => (
                  <PermissionRow
                    key={item.codename}
                    item={item}
                    granted={selected.has(item.codename)}
                    ownOnly={own.has(item.codename)}
                    onGrant={
                      readOnly
                        ? undefined
                        : (granted) => {
                            const next = new Set(selected);
                            if (granted) next.add(item.codename);
                            else next.delete(item.codename);
                            change(next);
                          }
                    }
                    onScope={
                      readOnly
                        ? undefined
                        : (ownOnly) => {
                            const next = new Set(own);
                            if (ownOnly) next.add(item.codename);
                            else next.delete(item.codename);
                            change(selected, next);
                          }
                    }
                  />
                ))}
              </ul>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

function PermissionRow({
  item,
  granted,
  ownOnly,
  onGrant,
  onScope,
}: {
  item: PermissionInfo;
  granted: boolean;
  ownOnly: boolean;
  onGrant?: ((granted: boolean) => void) | undefined;
  onScope?: ((ownOnly: boolean) => void) | undefined;
}) {
  const limited = granted && ownOnly;
  const scopeNote = limited ? (
    <span className="mt-0.5 block text-[11px] text-amber-800">
      Own only: {item.own ?? "their own objects"}.
    </span>
  ) : null;
  const text = (
    <span className="min-w-0">
      <span className={granted || onGrant ? "text-zinc-800" : "text-zinc-500"}>{item.description}</span>
      {limited ? (
        <span className="ml-1.5 rounded bg-amber-50 px-1 text-[11px] text-amber-800 ring-1 ring-amber-200">
          own only
        </span>
      ) : null}
      {onGrant ? null : <span className="sr-only">{granted ? " (granted)" : " (not granted)"}</span>}{" "}
      <code className="block text-[11px] text-zinc-500">{item.codename}</code>
      {scopeNote}
    </span>
  );
  if (!onGrant) {
    return (
      <li className="flex items-start gap-2 text-[13px]">
        {granted ? (
          <Icon name="check" className="mt-0.5 size-4 shrink-0 text-emerald-600" />
        ) : (
          <Icon name="x" className="mt-0.5 size-4 shrink-0 text-zinc-300" />
        )}
        {text}
      </li>
    );
  }
  return (
    <li className="flex items-start gap-2">
      <label className="flex min-w-0 flex-1 items-start gap-2 text-[13px]">
        <input
          type="checkbox"
          name="permissions"
          value={item.codename}
          className="mt-0.5 size-4 shrink-0 accent-accent-600"
          checked={granted}
          onChange={(event) => onGrant(event.target.checked)}
        />
        {text}
      </label>
      {granted && item.own && onScope ? (
        <select
          aria-label={`Scope of ${item.codename}`}
          title={`All: every one in the organization. Own only: ${item.own}.`}
          value={ownOnly ? "own" : "all"}
          onChange={(event) => onScope(event.target.value === "own")}
          className="h-7 shrink-0 rounded border border-zinc-300 bg-white px-1.5 text-xs text-zinc-700"
        >
          <option value="all">All</option>
          <option value="own">Own only</option>
        </select>
      ) : null}
    </li>
  );
}
