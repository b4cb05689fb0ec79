import { TICKET_STATUS_LABELS, TICKET_STATUS_TRANSITIONS, TICKET_SEVERITIES, type TicketSeverity, type TicketStatus } from "@cairn/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, getRouteApi } from "@tanstack/react-router";
import { useState } from "react";
import { membersApi } from "../../api/members";
import { ticketKeys, ticketQuery, ticketsApi } from "../../api/tickets";
import { useOrg } from "../../app/org";
import { Loaded } from "../../components/Loaded";
import { Button } from "../../components/ui/Button";
import { Checkbox, Field, Select, Textarea } from "../../components/ui/Field";
import { Card, PageHeader } from "../../components/ui/PageHeader";
import { useToast } from "../../components/ui/Toast";
import { errorMessage } from "../../lib/api";
import { downloadWithAuth, uploadWithProgress } from "../projects/download";
import { Markdown } from "./Markdown";
import { SEVERITY_LABELS, nextDeadline, type Ticket } from "./model";
import { SeverityBadge, SlaBadge, StatusBadge } from "./TicketBits";

const route = getRouteApi("/app/o/$org/tickets/$ticketId");

/** One ticket: its SLA, the controls the caller may use (allowedActions), the conversation and files. */
export function TicketPage() {
  const { ticketId } = route.useParams();
  return (
    <Loaded query={ticketQuery(ticketId)} what="ticket">
      {(ticket) => <TicketView ticket={ticket} />}
    </Loaded>
  );
}

function useTicketChange(ticket: Ticket) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: (change: () => Promise<unknown>) => change(),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ticketKeys.all });
    },
    onError: (error) => toast.error(errorMessage(error), `${ticket.key} was not changed`),
  });
}

function TicketView({ ticket }: { ticket: Ticket }) {
  const { org, access } = useOrg();
  const change = useTicketChange(ticket);
  const toast = useToast();
  const can = (action: string) => ticket.allowedActions.includes(action);
  const deadline = nextDeadline(ticket);
  return (
    <div className="space-y-4">
      <PageHeader
        title={ticket.title}
        documentTitle={`${ticket.key} ${ticket.title}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono">{ticket.key}</span>
            <Link to="/o/$org/projects/$projectId" params={{ org: org.slug, projectId: ticket.project.id }} className="hover:underline">
              {ticket.project.name}
            </Link>
            <SeverityBadge ticket={ticket} />
            <StatusBadge ticket={ticket} />
            <SlaBadge ticket={ticket} />
          </span>
        }
        actions={
          <>
            {can("escalate") && !ticket.escalatedAt ? (
              <Button variant="secondary" onClick={() => change.mutate(() => ticketsApi.escalate(ticket.id))}>
                Escalate
              </Button>
            ) : null}
            {can("manage") && access.can("tasks.manage") && !ticket.linkedTask ? (
              <Button
                variant="secondary"
                onClick={() =>
                  change.mutate(async () => {
                    const task = await ticketsApi.makeTask(ticket.id);
                    toast.success(`Task ${task.key} is linked to ${ticket.key}.`);
                  })
                }
              >
                Make a task
              </Button>
            ) : null}
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-[1fr_18rem]">
        <div className="space-y-4">
          <Card title="Description">{ticket.description ? <Markdown text={ticket.description} /> : <p className="text-sm text-zinc-500">No description.</p>}</Card>
          <Conversation ticket={ticket} />
        </div>
        <div className="space-y-4">
          <Card title="Details">
            <dl className="space-y-2 text-sm">
              <Row label="Reported by">{ticket.reporter?.username ?? "—"}</Row>
              <Row label="Assignee">{ticket.assignee?.username ?? "Unassigned"}</Row>
              <Row label={deadline.label}>{new Date(deadline.at).toLocaleString()}</Row>
              {ticket.escalatedAt ? <Row label="Escalated">{new Date(ticket.escalatedAt).toLocaleString()}</Row> : null}
              {ticket.linkedTask ? (
                <Row label="Task">
                  <Link to="/o/$org/tasks/$taskId" params={{ org: org.slug, taskId: ticket.linkedTask.id }} className="font-mono hover:underline">
                    {ticket.linkedTask.key}
                  </Link>
                </Row>
              ) : null}
            </dl>
          </Card>
          {can("manage") || can("closeOrReopen") ? <Controls ticket={ticket} onChange={(run) => change.mutate(run)} busy={change.isPending} /> : null}
          <Files ticket={ticket} />
        </div>
      </div>
    </div>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex justify-between gap-3">
      <dt className="text-zinc-500">{label}</dt>
      <dd className="text-right text-zinc-900">{children}</dd>
    </div>
  );
}

/** Status, severity and assignee for handlers; close and reopen for the reporter. */
function Controls({ ticket, onChange, busy }: { ticket: Ticket; onChange: (run: () => Promise<unknown>) => void; busy: boolean }) {
  const { org } = useOrg();
  const manage = ticket.allowedActions.includes("manage");
  const handlers = useQuery({
    queryKey: ["tickets", "handlers", org.slug],
    queryFn: ({ signal }) => membersApi.list(org.slug, { permission: "tickets.manage", pageSize: 100 }, signal),
    enabled: manage,
  });
  const next = TICKET_STATUS_TRANSITIONS[ticket.status];
  if (!manage) {
    return (
      <Card title="Your ticket">
        <div className="flex flex-wrap gap-2">
          {ticket.status === "resolved" ? (
            <Button variant="secondary" disabled={busy} onClick={() => onChange(() => ticketsApi.update(ticket.id, { status: "open" }))}>
              Reopen
            </Button>
          ) : null}
          {ticket.status !== "closed" ? (
            <Button variant="secondary" disabled={busy} onClick={() => onChange(() => ticketsApi.update(ticket.id, { status: "closed" }))}>
              Close ticket
            </Button>
          ) : (
            <p className="text-sm text-zinc-500">This ticket is closed.</p>
          )}
        </div>
      </Card>
    );
  }
  return (
    <Card title="Handle">
      <div className="space-y-3">
        <Field label="Status">
          {(props) => (
            <Select {...props} value={ticket.status} disabled={busy || !next.length} onChange={(event) => onChange(() => ticketsApi.update(ticket.id, { status: event.target.value as TicketStatus }))}>
              <option value={ticket.status}>{TICKET_STATUS_LABELS[ticket.status]}</option>
              {next.map((status) => (
                <option key={status} value={status}>
                  {TICKET_STATUS_LABELS[status]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Severity">
          {(props) => (
            <Select {...props} value={ticket.severity} disabled={busy} onChange={(event) => onChange(() => ticketsApi.update(ticket.id, { severity: event.target.value as TicketSeverity }))}>
              {TICKET_SEVERITIES.map((severity) => (
                <option key={severity} value={severity}>
                  {SEVERITY_LABELS[severity]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Assignee">
          {(props) => (
            <Select {...props} value={ticket.assigneeId ?? ""} disabled={busy} onChange={(event) => onChange(() => ticketsApi.update(ticket.id, { assigneeId: event.target.value || null }))}>
              <option value="">Unassigned</option>
              {ticket.assignee && !handlers.data?.items.some((member) => member.user.id === ticket.assignee?.id) ? (
                <option value={ticket.assignee.id}>{ticket.assignee.username}</option>
              ) : null}
              {(handlers.data?.items ?? []).map((member) => (
                <option key={member.user.id} value={member.user.id}>
                  {member.user.username}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
    </Card>
  );
}

/** The conversation, oldest first; internal notes stand apart (amber, labelled) and only handlers see them. */
function Conversation({ ticket }: { ticket: Ticket }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const comments = useQuery({ queryKey: ticketKeys.comments(ticket.id), queryFn: ({ signal }) => ticketsApi.comments(ticket.id, signal) });
  const [body, setBody] = useState("");
  const [internal, setInternal] = useState(false);
  const noteAllowed = ticket.allowedActions.includes("addInternalNote");
  const send = useMutation({
    mutationFn: () => ticketsApi.comment(ticket.id, { body, internal: noteAllowed && internal }),
    onSuccess: () => {
      setBody("");
      void queryClient.invalidateQueries({ queryKey: ticketKeys.all });
    },
    onError: (error) => toast.error(errorMessage(error), "Your message was not sent"),
  });
  return (
    <Card title="Conversation">
      <ol className="space-y-3" aria-label="Conversation">
        {(comments.data?.items ?? []).map((comment) => (
          <li
            key={comment.id}
            data-internal={comment.internal ? "true" : "false"}
            className={comment.internal ? "rounded-md border border-dashed border-amber-300 bg-amber-50 p-3" : "rounded-md border border-zinc-200 p-3"}
          >
            <p className="mb-1 flex items-center gap-2 text-xs text-zinc-500">
              <span className="font-medium text-zinc-800">{comment.author?.username ?? "Someone"}</span>
              <span>{new Date(comment.createdAt).toLocaleString()}</span>
              {comment.internal ? <span className="font-semibold tracking-wide text-amber-800 uppercase">Internal note</span> : null}
            </p>
            <Markdown text={comment.body} />
          </li>
        ))}
        {comments.data && !comments.data.items.length ? <li className="text-sm text-zinc-500">No messages yet.</li> : null}
      </ol>
      {ticket.allowedActions.includes("comment") && ticket.status !== "closed" ? (
        <form
          className="mt-4 space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (body.trim()) send.mutate();
          }}
        >
          <Field label={internal && noteAllowed ? "Internal note (the customer never sees it)" : "Reply"} hint="Markdown: **bold**, `code`, lists, links.">
            {(props) => (
              <Textarea {...props} rows={4} value={body} onChange={(event) => setBody(event.target.value)} className={internal && noteAllowed ? "bg-amber-50" : undefined} />
            )}
          </Field>
          <div className="flex items-center justify-between gap-3">
            {noteAllowed ? <Checkbox label="Internal note" checked={internal} onChange={(event) => setInternal(event.target.checked)} /> : <span />}
            <Button type="submit" variant="primary" disabled={!body.trim() || send.isPending}>
              {internal && noteAllowed ? "Add note" : "Send reply"}
            </Button>
          </div>
        </form>
      ) : null}
    </Card>
  );
}

/** The ticket's files: anyone who sees the ticket reads and attaches. */
function Files({ ticket }: { ticket: Ticket }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const files = useQuery({ queryKey: ticketKeys.files(ticket.id), queryFn: ({ signal }) => ticketsApi.files(ticket.id, signal) });
  const upload = useMutation({
    mutationFn: (file: File) => uploadWithProgress(ticketsApi.uploadUrl(ticket.id), file, () => undefined),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ticketKeys.files(ticket.id) }),
    onError: (error) => toast.error(errorMessage(error), "The file was not attached"),
  });
  return (
    <Card title="Files">
      <ul className="space-y-1 text-sm">
        {(files.data?.items ?? []).map((file) => (
          <li key={file.id}>
            <button type="button" className="text-accent-700 hover:underline" onClick={() => void downloadWithAuth(file.downloadUrl, file.name).catch((error: unknown) => toast.error(errorMessage(error), "The download failed"))}>
              {file.name}
            </button>
          </li>
        ))}
        {files.data && !files.data.items.length ? <li className="text-zinc-500">No files.</li> : null}
      </ul>
      {ticket.allowedActions.includes("comment") ? (
        <label className="mt-3 block text-sm">
          <span className="sr-only">Attach a file</span>
          <input type="file" className="text-sm" onChange={(event) => { const file = event.target.files?.[0]; if (file) upload.mutate(file); event.target.value = ""; }} />
        </label>
      ) : null}
    </Card>
  );
}
