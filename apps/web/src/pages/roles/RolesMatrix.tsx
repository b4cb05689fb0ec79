import { Fragment } from "react";
import { Badge } from "../../components/ui/Badge";
import { Icon } from "../../components/ui/Icon";
import type { groupByArea } from "../../lib/roles";
import type { Role } from "../../lib/types";

/** Rows are permissions grouped by area, columns are roles: who may do what, at a glance. */
export function RolesMatrix({
  roles,
  areas,
  onOpen,
}: {
  roles: Role[];
  areas: ReturnType<typeof groupByArea>;
  onOpen: (role: Role) => void;
}) {
  const grants = new Map(roles.map((role) => [role.key, new Set(role.permissions)]));
  const own = new Map(roles.map((role) => [role.key, new Set(role.ownScoped)]));
  return (
    <div className="-m-4 overflow-x-auto">
      <table className="w-full border-separate border-spacing-0 text-[13px]" aria-label="Permissions by role">
        <thead>
          <tr>
            <th
              scope="col"
              className="sticky left-0 z-10 min-w-56 border-b border-zinc-200 bg-white px-4 py-2 text-left text-xs font-medium text-zinc-500"
            >
              Permission
            </th>
            {roles.map((role) => (
              <th
                key={role.key}
                scope="col"
                className="min-w-22 border-b border-zinc-200 px-1.5 py-2 align-bottom"
              >
                <button
                  type="button"
                  onClick={() => onOpen(role)}
                  className="w-full rounded px-1 py-0.5 text-center text-xs leading-tight font-medium text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900"
                  title={role.description}
                >
                  {role.name}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {areas.map((area) => (
            <Fragment key={area.area}>
              <tr>
                <th
                  scope="colgroup"
                  colSpan={roles.length + 1}
                  className="sticky left-0 bg-zinc-50 px-4 py-1.5 text-left text-xs font-semibold tracking-wide text-zinc-600"
                >
                  {area.label}
                </th>
              </tr>
              {area.permissions.map((permission) => (
                <tr key={permission.codename} className="group">
                  <th
                    scope="row"
                    className="sticky left-0 z-10 border-b border-zinc-100 bg-white px-4 py-1.5 text-left font-normal group-hover:bg-zinc-50"
                  >
                    <span className="block text-zinc-800">{permission.description}</span>{" "}
                    <code className="text-[11px] text-zinc-500">{permission.codename}</code>
                  </th>
                  {roles.map((role) => {
                    const granted = grants.get(role.key)?.has(permission.codename) ?? false;
                    const ownOnly = own.get(role.key)?.has(permission.codename) ?? false;
                    return (
                      <td
                        key={role.key}
                        className="border-b border-zinc-100 px-1.5 py-1.5 text-center group-hover:bg-zinc-50"
                      >
                        {granted ? (
                          ownOnly ? (
                            <Badge tone="amber">own</Badge>
                          ) : (
                            <Icon name="check" className="mx-auto size-4 text-emerald-600" />
                          )
                        ) : (
                          <span className="text-zinc-300" aria-hidden="true">
                            ·
                          </span>
                        )}
                        <span className="sr-only">
                          {granted ? (ownOnly ? "granted on own objects" : "granted") : "not granted"}
                        </span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
