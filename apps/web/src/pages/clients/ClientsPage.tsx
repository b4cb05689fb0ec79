import { CLIENT_ORDERINGS } from "@cairn/shared";
import { useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { clientKeys, clientsApi, type Client } from "../../api/clients";
import { orgListQuery } from "../../api/lists";
import { useOrg } from "../../app/org";
import type { Column } from "../../components/DataTable";
import { ListPage, defineOrgList } from "../../components/ListPage";
import { actionsColumn } from "../../components/RowActions";
import { Icon } from "../../components/ui/Icon";
import { requirePermission } from "../../components/ui/NoPermission";
import { useToast } from "../../components/ui/Toast";
import { can } from "../projects/model";
import { ClientDialog } from "./ClientDialog";
import { useClientDelete } from "./useClientDelete";

export const clientsList = defineOrgList({
  orderings: CLIENT_ORDERINGS,
  query: orgListQuery(clientKeys.list, clientsApi.list),
  rowKey: (client: Client) => client.id,
  label: "Clients",
  description: ({ org }) => `Who ${org.name} works for.`,
  emptyHint: ({ access }) =>
    access.can("clients.manage")
      ? "Add the first client, then open projects for them."
      : "Sales adds clients; they appear here.",
  searchPlaceholder: "Search by name or company…",
  empty: { icon: "briefcase", title: "No clients yet" },
  noMatch: { title: "No client matches", hint: "Try another name or company." },
});

export const ClientsPage = requirePermission("clients.view", Clients);

function Clients() {
  const context = useOrg();
  const { org, access } = context;
  const queryClient = useQueryClient();
  const toast = useToast();
  const canManage = access.can("clients.manage");
  const [editing, setEditing] = useState<Client | null>(null);
  const [creating, setCreating] = useState(false);

  const deletion = useClientDelete();

  const columns: Column<Client>[] = [
    {
      key: "name",
      header: "Client",
      sortField: "name",
      cell: (client) => (
        <div className="min-w-0">
          <Link
            to="/o/$org/clients/$clientId"
            params={{ org: org.slug, clientId: client.id }}
            className="block truncate font-medium text-zinc-900 hover:underline"
          >
            {client.name}
          </Link>
          {client.company ? <p className="truncate text-xs text-zinc-500">{client.company}</p> : null}
        </div>
      ),
    },
    {
      key: "contact",
      header: "Contact",
      hideBelow: "md",
      cell: (client) => (
        <div className="min-w-0 text-zinc-600">
          <p className="truncate">{client.contactEmail ?? "—"}</p>
          {client.phone ? <p className="truncate text-xs text-zinc-500">{client.phone}</p> : null}
        </div>
      ),
    },
    {
      key: "customer",
      header: "Customer account",
      cell: (client) =>
        client.customer ? (
          <span className="text-zinc-700">@{client.customer.username}</span>
        ) : (
          <span className="text-zinc-400">Not linked</span>
        ),
    },
    {
      key: "salesperson",
      header: "Salesperson",
      hideBelow: "lg",
      cell: (client) => (
        <span className="text-zinc-600">{client.salesperson ? `@${client.salesperson.username}` : "—"}</span>
      ),
    },
    {
      key: "projects",
      header: "Projects",
      className: "text-right tabular-nums",
      cell: (client) =>
        client.projectCount > 0 && access.can("projects.view") ? (
          <Link
            to="/o/$org/projects"
            params={{ org: org.slug }}
            search={{ client: client.id }}
            className="text-accent-700 hover:underline"
          >
            {client.projectCount}
          </Link>
        ) : (
          <span className="text-zinc-600">{client.projectCount}</span>
        ),
    },
    actionsColumn(
      (client) => `Actions for ${client.name}`,
      (client) => [
        can(client, "update") && {
          key: "edit",
          label: "Edit…",
          icon: <Icon name="edit" className="size-4 text-zinc-500" />,
          onSelect: () => setEditing(client),
        },
        deletion.offered(client) && {
          key: "delete",
          label: "Delete…",
          tone: "danger",
          icon: <Icon name="x" className="size-4" />,
          onSelect: () => void deletion.ask(client),
        },
      ],
    ),
  ];

  return (
    <ListPage
      list={clientsList}
      context={context}
      columns={columns}
      action={canManage ? { label: "New client", onClick: () => setCreating(true) } : undefined}
    >
      <ClientDialog
        open={creating || editing !== null}
        client={editing}
        onClose={() => {
          setCreating(false);
          setEditing(null);
        }}
        onSaved={(client, created) => {
          toast.success(created ? `${client.name} is added.` : `${client.name} is saved.`);
          void queryClient.invalidateQueries({ queryKey: clientKeys.all });
        }}
      />
      {deletion.dialog}
    </ListPage>
  );
}
