import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, getRouteApi, useNavigate } from "@tanstack/react-router";
import { useState, type ReactNode } from "react";
import { clientKeys, clientQuery, type Client } from "../../api/clients";
import { paymentKeys, paymentsApi, type PaymentListParams } from "../../api/payments";
import { projectKeys, projectsApi, type ProjectListParams } from "../../api/projects";
import { useOrg } from "../../app/org";
import { Loaded } from "../../components/Loaded";
import { Avatar } from "../../components/ui/Avatar";
import { Badge } from "../../components/ui/Badge";
import { Button, buttonClass } from "../../components/ui/Button";
import { Icon } from "../../components/ui/Icon";
import { RequirePermission } from "../../components/ui/NoPermission";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { SkeletonText } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { PAYMENT_LABELS, PAYMENT_TONES } from "../projects/ProjectPayments";
import {
  PAYMENT_STATUS_LABELS,
  PAYMENT_STATUS_TONES,
  STATUS_LABELS,
  STATUS_TONES,
  can,
  formatDate,
  formatMoney,
} from "../projects/model";
import { ClientDialog } from "./ClientDialog";
import { useClientDelete } from "./useClientDelete";

const route = getRouteApi("/app/o/$org/clients/$clientId");

/** How many projects and payments the page shows; the lists link to the rest. */
const SHOWN = 20;

/** /o/$org/clients/$clientId: who the client is, their projects, their payments and their customer account. */
export function ClientDetailPage() {
  const { clientId } = route.useParams();
  return (
    <RequirePermission permission="clients.view">
      <Loaded query={clientQuery(clientId)} what="client">
        {(client) => <ClientView client={client} />}
      </Loaded>
    </RequirePermission>
  );
}

function ClientView({ client }: { client: Client }) {
  const { org, access } = useOrg();
  const queryClient = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const deletion = useClientDelete(() => void navigate({ to: "/o/$org/clients", params: { org: org.slug } }));

  return (
    <>
      <PageHeader
        documentTitle={client.name}
        title={client.name}
        description={
          <>
            <Link to="/o/$org/clients" params={{ org: org.slug }} className="hover:underline">
              Clients
            </Link>
            {client.company ? ` · ${client.company}` : ""}
          </>
        }
        actions={
          <>
            {can(client, "update") ? (
              <Button icon="edit" onClick={() => setEditing(true)}>
                Edit
              </Button>
            ) : null}
            {deletion.offered(client) ? (
              <Button variant="ghost" loading={deletion.deleting} onClick={() => void deletion.ask(client)}>
                Delete
              </Button>
            ) : null}
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="min-w-0 space-y-4 lg:col-span-2">
          {access.can("projects.view") ? <ClientProjects client={client} /> : null}
          {access.can("projects.view_financials") ? <ClientPayments client={client} /> : null}
        </div>
        <div className="min-w-0 space-y-4">
          <CustomerCard client={client} />
          <Card title="Contact">
            <dl className="space-y-3 text-sm">
              <Fact label="Email">
                {client.contactEmail ? (
                  <a href={`mailto:${client.contactEmail}`} className="text-accent-700 hover:underline">
                    {client.contactEmail}
                  </a>
                ) : null}
              </Fact>
              <Fact label="Phone">{client.phone}</Fact>
              <Fact label="Salesperson">{client.salesperson ? `@${client.salesperson.username}` : null}</Fact>
              <Fact label="Notes">
                {client.notes ? <span className="whitespace-pre-line">{client.notes}</span> : null}
              </Fact>
              <Fact label="Client since">{formatDate(client.createdAt)}</Fact>
            </dl>
          </Card>
        </div>
      </div>
      <ClientDialog
        open={editing}
        client={client}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          toast.success(`${saved.name} is saved.`);
          queryClient.setQueryData(clientKeys.detail(client.id), saved);
          void queryClient.invalidateQueries({ queryKey: clientKeys.all });
        }}
      />
      {deletion.dialog}
    </>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="text-zinc-800">{children ?? "—"}</dd>
    </div>
  );
}

/** The customer user: who signs in to follow these projects and their approved payments. */
function CustomerCard({ client }: { client: Client }) {
  const { customer } = client;
  return (
    <Card title="Customer account">
      {customer ? (
        <div className="flex items-center gap-3">
          <Avatar name={customer.username} seed={customer.id} />
          <div className="min-w-0">
            <p className="truncate text-sm font-medium text-zinc-900">@{customer.username}</p>
            <p className="text-[13px] text-zinc-500">
              Signs in to follow these projects and their approved payments.
            </p>
          </div>
        </div>
      ) : (
        <p className="text-sm text-zinc-500">
          No customer account yet.{" "}
          {can(client, "update")
            ? "Link one (Edit) so the client can follow their projects in Cairn."
            : "Sales can link one so the client follows their projects in Cairn."}
        </p>
      )}
    </Card>
  );
}

/** The client's projects (GET /api/projects?client=), with their status and payment status. */
function ClientProjects({ client }: { client: Client }) {
  const { org, access } = useOrg();
  const params: ProjectListParams = {
    org: org.slug,
    client: client.id,
    pageSize: SHOWN,
    ordering: "-createdAt",
  };
  const projects = useQuery({
    queryKey: projectKeys.list(params),
    queryFn: ({ signal }) => projectsApi.list(params, signal),
  });
  const more = (projects.data?.total ?? 0) > SHOWN;
  return (
    <Card
      title="Projects"
      description={projects.data ? `${projects.data.total} in all` : undefined}
      actions={
        access.can("projects.add") ? (
          <Link
            to="/o/$org/projects/new"
            params={{ org: org.slug }}
            className={buttonClass("secondary", "sm")}
          >
            <Icon name="plus" />
            New project
          </Link>
        ) : null
      }
    >
      {projects.isLoading ? (
        <SkeletonText lines={3} />
      ) : !projects.data ? (
        <p className="text-sm text-red-700">{errorMessage(projects.error)}</p>
      ) : projects.data.items.length === 0 ? (
        <p className="text-sm text-zinc-500">No project for {client.name} yet.</p>
      ) : (
        <ul className="-my-2 divide-y divide-zinc-100" aria-label={`Projects of ${client.name}`}>
          {projects.data.items.map((project) => (
            <li key={project.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
              <Link
                to="/o/$org/projects/$projectId"
                params={{ org: org.slug, projectId: project.id }}
                className="min-w-0 flex-1 truncate font-medium text-zinc-900 hover:underline"
              >
                {project.name}
              </Link>
              <Badge tone={STATUS_TONES[project.status]}>{STATUS_LABELS[project.status]}</Badge>
              {project.paymentStatus ? (
                <Badge tone={PAYMENT_STATUS_TONES[project.paymentStatus]}>
                  {PAYMENT_STATUS_LABELS[project.paymentStatus]}
                </Badge>
              ) : null}
              {project.netPrice !== undefined ? (
                <span className="w-32 text-right text-zinc-600 tabular-nums">
                  {formatMoney(project.netPrice, project.currency)}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {more ? (
        <Link
          to="/o/$org/projects"
          params={{ org: org.slug }}
          search={{ client: client.id }}
          className="mt-3 inline-block text-[13px] font-medium text-accent-700 hover:underline"
        >
          All {projects.data?.total} projects
        </Link>
      ) : null}
    </Card>
  );
}

/** Payments on the client's projects (GET /api/payments?client=), newest first. */
function ClientPayments({ client }: { client: Client }) {
  const { org } = useOrg();
  const params: PaymentListParams = { org: org.slug, client: client.id, pageSize: SHOWN };
  const payments = useQuery({
    queryKey: paymentKeys.list(params),
    queryFn: ({ signal }) => paymentsApi.list(params, signal),
  });
  return (
    <Card title="Payments" description={payments.data ? `${payments.data.total} recorded` : undefined}>
      {payments.isLoading ? (
        <SkeletonText lines={3} />
      ) : !payments.data ? (
        <p className="text-sm text-red-700">{errorMessage(payments.error)}</p>
      ) : payments.data.items.length === 0 ? (
        <p className="text-sm text-zinc-500">No payment recorded for {client.name} yet.</p>
      ) : (
        <ul className="-my-2 divide-y divide-zinc-100" aria-label={`Payments of ${client.name}`}>
          {payments.data.items.map((payment) => (
            <li key={payment.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 text-sm">
              <span className="w-32 font-medium text-zinc-900 tabular-nums">
                {formatMoney(payment.amount, payment.currency)}
              </span>
              <Link
                to="/o/$org/projects/$projectId"
                params={{ org: org.slug, projectId: payment.project.id }}
                className="min-w-0 flex-1 truncate text-zinc-700 hover:underline"
              >
                {payment.project.name}
              </Link>
              <span className="text-zinc-500 tabular-nums">{formatDate(payment.paidOn)}</span>
              <Badge tone={PAYMENT_TONES[payment.status]}>{PAYMENT_LABELS[payment.status]}</Badge>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
