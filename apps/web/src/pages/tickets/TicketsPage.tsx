import { TICKET_SEVERITIES, TICKET_STATUSES, TICKET_STATUS_LABELS, type TicketSeverity } from "@cairn/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { projectPicker, projectsApi } from "../../api/projects";
import { ticketKeys, ticketsApi, type TicketListParams } from "../../api/tickets";
import { useOrg } from "../../app/org";
import type { Column } from "../../components/DataTable";
import { ListPage, defineOrgList } from "../../components/ListPage";
import { choiceFilter, pickerFilter } from "../../components/listFilters";
import { Button } from "../../components/ui/Button";
import { Dialog, DialogFooter } from "../../components/ui/Dialog";
import { Field, Input, Select, Textarea } from "../../components/ui/Field";
import { NoPermission } from "../../components/ui/NoPermission";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { uploadWithProgress } from "../projects/download";
import { SEVERITY_LABELS, SLA_LABELS, type Ticket } from "./model";
import { SeverityBadge, SlaBadge, StatusBadge } from "./TicketBits";

const SLA_FILTERS = ["breached", "at_risk", "on_track"] as const;

/**
 * The tickets an organization's caller sees, with the filters in the URL (bookmarkable): for the
 * support team the queue (mine, unassigned, breached, at risk, severity, project) ordered by what
 * is due first; for a customer "Support", their client's tickets and a button to open one.
 */
export const ticketsList = defineOrgList({
  orderings: ["createdAt", "severity", "resolutionDueAt", "updatedAt"],
  filters: {
    assignee: choiceFilter({ label: "Assignee", anyLabel: "Anyone", values: ["me", "none"], labels: { me: "Mine", none: "Unassigned" }, permission: "tickets.manage" }),
    sla: choiceFilter({ label: "SLA", anyLabel: "Any SLA state", values: SLA_FILTERS, labels: { breached: SLA_LABELS.breached, at_risk: SLA_LABELS.at_risk, on_track: SLA_LABELS.on_track } }),
    severity: choiceFilter({ label: "Severity", anyLabel: "Any severity", values: TICKET_SEVERITIES, labels: SEVERITY_LABELS }),
    status: choiceFilter({ label: "Status", anyLabel: "Any status", values: TICKET_STATUSES, labels: TICKET_STATUS_LABELS }),
    project: pickerFilter({ label: "Project", anyLabel: "Any project", picker: projectPicker }),
  },
  query: (params, { org }) => {
    const query: TicketListParams = { ...params, org: org.slug, status: params.status ? [params.status] : undefined };
    return { queryKey: ticketKeys.list(query), queryFn: ({ signal }) => ticketsApi.list(query, signal) };
  },
  rowKey: (ticket: Ticket) => ticket.id,
  label: "Tickets",
  searchPlaceholder: "Search by title or key (SHOP-T12)",
  description: ({ access }) =>
    access.can("tickets.manage")
      ? "The support queue: what breached or is at risk first, then by severity."
      : "Problems reported on your projects, and the support team's answers.",
  emptyHint: ({ access }) => (access.can("tickets.add") ? "Open a ticket when something on a project does not work as it should." : "Tickets customers open appear here."),
  empty: { icon: "list", title: "No tickets yet" },
  noMatch: { title: "No ticket matches", hint: "Try another filter, or clear them." },
});

/** The customer's page: the same list, titled for them. */
const supportList = { ...ticketsList, label: "Support", empty: { icon: "list" as const, title: "No tickets yet" } };

export function TicketsPage() {
  const context = useOrg();
  const { access, org } = context;
  const [opening, setOpening] = useState(false);
  if (!access.can("tickets.manage") && !access.can("tickets.add")) return <NoPermission permission="tickets.add" orgName={org.name} />;
  const handler = access.can("tickets.manage");
  const columns: Column<Ticket>[] = [
    {
      key: "title",
      header: "Ticket",
      cell: (ticket) => (
        <div className="min-w-0">
          <Link to="/o/$org/tickets/$ticketId" params={{ org: org.slug, ticketId: ticket.id }} className="block truncate font-medium text-zinc-900 hover:underline">
            {ticket.title}
          </Link>
          <p className="truncate text-xs text-zinc-500">
            {ticket.key} · {ticket.project.name}
          </p>
        </div>
      ),
    },
    { key: "severity", header: "Severity", cell: (ticket) => <SeverityBadge ticket={ticket} />, sortField: "severity" },
    { key: "status", header: "Status", cell: (ticket) => <StatusBadge ticket={ticket} /> },
    { key: "sla", header: "SLA", cell: (ticket) => <SlaBadge ticket={ticket} />, sortField: "resolutionDueAt" },
    { key: "assignee", header: "Assignee", cell: (ticket) => ticket.assignee?.username ?? <span className="text-zinc-500">Unassigned</span>, hideBelow: "md" },
    { key: "createdAt", header: "Opened", cell: (ticket) => new Date(ticket.createdAt).toLocaleDateString(), sortField: "createdAt", hideBelow: "lg" },
  ];
  return (
    <ListPage
      list={handler ? ticketsList : supportList}
      context={context}
      columns={columns}
      action={access.can("tickets.add") ? { label: "New ticket", onClick: () => setOpening(true) } : undefined}
    >
      <NewTicketDialog open={opening} onClose={() => setOpening(false)} />
    </ListPage>
  );
}

/** Opening a ticket: a project of the caller's (a customer: their client's), what is wrong, how bad, and files. */
function NewTicketDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { org, access } = useOrg();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [projectId, setProjectId] = useState("");
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [severity, setSeverity] = useState<TicketSeverity>("medium");
  const [files, setFiles] = useState<File[]>([]);
  const projects = useQuery({
    queryKey: ["tickets", "projects", org.slug],
    queryFn: ({ signal }) => projectsApi.list({ org: org.slug, ordering: "name", pageSize: 100 }, signal),
    enabled: open,
  });
  // A customer may only report on their client's projects: those are the ones whose balance they see.
  const choices = (projects.data?.items ?? []).filter((project) => access.can("tickets.manage") || project.paymentStatus !== undefined);
  const create = useMutation({
    mutationFn: async () => {
      const ticket = await ticketsApi.create({ projectId, title, description, severity });
      for (const file of files) await uploadWithProgress(ticketsApi.uploadUrl(ticket.id), file, () => undefined);
      return ticket;
    },
    onSuccess: (ticket) => {
      void queryClient.invalidateQueries({ queryKey: ticketKeys.all });
      toast.success(`${ticket.key} is open. We will answer by ${new Date(ticket.firstResponseDueAt).toLocaleString()}.`);
      onClose();
      setTitle("");
      setDescription("");
      setFiles([]);
      void navigate({ to: "/o/$org/tickets/$ticketId", params: { org: org.slug, ticketId: ticket.id } });
    },
    onError: (error) => toast.error(errorMessage(error), "The ticket was not opened"),
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New ticket"
      description="Tell us what does not work; attach screenshots or logs if you have them."
      footer={
        <DialogFooter>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" disabled={!projectId || !title.trim() || create.isPending} onClick={() => create.mutate()}>
            Open ticket
          </Button>
        </DialogFooter>
      }
    >
      <div className="space-y-3">
        <Field label="Project">
          {(props) => (
            <Select {...props} value={projectId} onChange={(event) => setProjectId(event.target.value)}>
              <option value="">Choose a project</option>
              {choices.map((project) => (
                <option key={project.id} value={project.id}>
                  {project.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Title">{(props) => <Input {...props} value={title} maxLength={300} onChange={(event) => setTitle(event.target.value)} />}</Field>
        <Field label="What happened" hint="Markdown: **bold**, `code`, lists.">
          {(props) => <Textarea {...props} rows={5} value={description} onChange={(event) => setDescription(event.target.value)} />}
        </Field>
        <Field label="Severity">
          {(props) => (
            <Select {...props} value={severity} onChange={(event) => setSeverity(event.target.value as TicketSeverity)}>
              {TICKET_SEVERITIES.map((value) => (
                <option key={value} value={value}>
                  {SEVERITY_LABELS[value]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Attachments" hint="Up to 25 MB each.">
          {(props) => <input {...props} type="file" multiple className="text-sm" onChange={(event) => setFiles([...(event.target.files ?? [])])} />}
        </Field>
      </div>
    </Dialog>
  );
}
