import type { ReactNode } from "react";
import { useOrg } from "../../app/org";
import type { Permission } from "@cairn/shared";
import { PERMISSIONS } from "@cairn/shared";
import { EmptyState } from "./EmptyState";

/** A page the caller may not open says so plainly, naming the permission it needs. */
export function NoPermission({ permission, orgName }: { permission: Permission; orgName?: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white">
      <EmptyState icon="lock" title={`You need the ${permission} permission`}>
        <p>
          This page requires <code className="rounded bg-zinc-100 px-1 font-mono text-xs">{permission}</code>{" "}
          ({PERMISSIONS[permission].toLowerCase()}){orgName ? ` in ${orgName}` : ""}. Ask an administrator of
          the organization if you need it.
        </p>
      </EmptyState>
    </div>
  );
}

/** A page of the organization that opens only for holders of `permission`; anyone else is told why. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { org, access } = useOrg();
  return access.can(permission) ? children : <NoPermission permission={permission} orgName={org.name} />;
}

/** `export const ClientsPage = requirePermission("clients.view", Clients)`. */
export function requirePermission(permission: Permission, Page: () => ReactNode): () => ReactNode {
  return function Guarded() {
    return (
      <RequirePermission permission={permission}>
        <Page />
      </RequirePermission>
    );
  };
}
