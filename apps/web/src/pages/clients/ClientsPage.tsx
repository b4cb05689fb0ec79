import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { useOrg } from "../../app/org";
import { DataTable, SearchInput, type Column } from "../../components/DataTable";
import { Button } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/ConfirmDialog";
import { EmptyState } from "../../components/ui/EmptyState";
import { Icon } from "../../components/ui/Icon";
import { Menu } from "../../components/ui/Menu";
import { NoPermission } from "../../components/ui/NoPermission";
import { PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { api, errorMessage, type Page } from "../../lib/api";
import { DEFAULT_PAGE_SIZE, compact, parseListSearch, type ListSearch } from "../../lib/listSearch";
import { listTableProps, listUpdater } from "../../lib/listTable";
import { can, clientsKey, type Client } from "../projects/model";
import { ClientDialog } from "./ClientDialog";

const ORDERINGS = ["name", "createdAt"] as const;

export type ClientsSearch = ListSearch;

export function validateClientsSearch(raw: Record<string, unknown>): ClientsSearch {
  return compact(parseListSearch(raw, ORDERINGS));
}

const route = getRouteApi("/app/o/$org/clients");

export function ClientsPage() {
  const { org, access } = useOrg();
  if (!access.can("clients.view")) return <NoPermission permission="clients.view" orgName={org.name} />;
  return <Clients />;
}

function Clients() {
  const { org, access } = useOrg();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const canManage = access.can("clients.manage");
  const [editing, setEditing] = useState<Client | null>(null);
  const [creating, setCreating] = useState(false);

  const page = search.page ?? 1;
  const pageSize = search.pageSize ?? DEFAULT_PAGE_SIZE;
  const query = { org: org.slug, page, pageSize, search: search.search, ordering: search.ordering };
  const clients = useQuery({
    queryKey: [...clientsKey, "list", query],
    queryFn: ({ signal }) => api<Page<Client>>("/api/clients", { query, signal }),
    placeholderData: keepPreviousData,
  });
  const update = listUpdater<ClientsSearch>(navigate);

  const remove = useMutation({
    mutationFn: (client: Client) => api<void>(`/api/clients/${client.id}`, { method: "DELETE" }),
    onSuccess: (_, client) => {
      toast.success(`${client.name} is deleted.`);
      void queryClient.invalidateQueries({ queryKey: clientsKey });
    },
    onError: (error) => toast.error(errorMessage(error), "The client was not deleted"),
  });
  const askDelete = async (client: Client) => {
    const ok = await confirm({
      title: `Delete ${client.name}?`,
      body:
        client.projectCount > 0
          ? `${client.name} still has ${client.projectCount} project${client.projectCount === 1 ? "" : "s"}; the server refuses to delete a client with projects.`
          : "This cannot be undone.",
      confirmLabel: "Delete client",
    });
    if (ok) remove.mutate(client);
  };

  const columns: Column<Client>[] = [
    {
      key: "name",
      header: "Client",
      sortField: "name",
      cell: (client) => (
        <div className="min-w-0">
          <p className="truncate font-medium text-zinc-900">{client.name}</p>
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
    {
      key: "actions",
      header: <span className="sr-only">Actions</span>,
      className: "w-12 text-right",
      cell: (client) => {
        const items = [
          ...(can(client, "update")
            ? [
                {
                  key: "edit",
                  label: "Edit…",
                  icon: <Icon name="edit" className="size-4 text-zinc-500" />,
                  onSelect: () => setEditing(client),
                },
              ]
            : []),
          ...(can(client, "delete")
            ? [
                {
                  key: "delete",
                  label: "Delete…",
                  tone: "danger" as const,
                  icon: <Icon name="x" className="size-4" />,
                  onSelect: () => void askDelete(client),
                },
              ]
            : []),
        ];
        return items.length ? (
          <Menu
            label={`Actions for ${client.name}`}
            align="end"
            items={items}
            trigger={
              <span className="inline-flex size-7 items-center justify-center rounded-md text-zinc-500 hover:bg-zinc-200/70">
                <Icon name="more" />
              </span>
            }
          />
        ) : null;
      },
    },
  ];

  return (
    <>
      <PageHeader
        title="Clients"
        description={`Who ${org.name} works for.`}
        actions={
          canManage ? (
            <Button variant="primary" icon="plus" onClick={() => setCreating(true)}>
              New client
            </Button>
          ) : null
        }
      />
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <SearchInput
          value={search.search}
          onChange={(value) => update({ search: value })}
          label="Search clients"
          placeholder="Search by name or company…"
        />
      </div>
      <DataTable
        label="Clients"
        columns={columns}
        rowKey={(client) => client.id}
        {...listTableProps(clients, search, update)}
        empty={
          search.search ? (
            <EmptyState
              icon="search"
              title="No client matches"
              action={
                <Button size="sm" onClick={() => update({ search: undefined })}>
                  Clear search
                </Button>
              }
            >
              Try another name or company.
            </EmptyState>
          ) : (
            <EmptyState
              icon="briefcase"
              title="No clients yet"
              action={
                canManage ? (
                  <Button variant="primary" icon="plus" size="sm" onClick={() => setCreating(true)}>
                    New client
                  </Button>
                ) : null
              }
            >
              {canManage
                ? "Add the first client, then open projects for them."
                : "Sales adds clients; they appear here."}
            </EmptyState>
          )
        }
      />
      <ClientDialog
        open={creating || editing !== null}
        client={editing}
        onClose={() => {
          setCreating(false);
          setEditing(null);
        }}
        onSaved={(client, created) => {
          toast.success(created ? `${client.name} is added.` : `${client.name} is saved.`);
          void queryClient.invalidateQueries({ queryKey: clientsKey });
        }}
      />
    </>
  );
}
