import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { auditApi, auditKeys, type AuditListParams } from "../../api/audit";
import { memberPicker } from "../../api/members";
import { projectPicker } from "../../api/projects";
import { useOrg } from "../../app/org";
import type { Column } from "../../components/DataTable";
import { ListPage, defineOrgList, type ListFilter } from "../../components/ListPage";
import { choiceFilter, dateFilter, pickerFilter } from "../../components/listFilters";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { requirePermission } from "../../components/ui/NoPermission";
import { param } from "../../lib/listSearch";
import { formatDateTime, type AuditEntry } from "../projects/model";
import { EntryActor, EntryChanges, EntrySentence } from "./entries";

/** What entries are about (`?entityType=`), as the API records it. */
const ENTITY_TYPES = [
  "project",
  "payment",
  "member",
  "client",
  "team",
  "role",
  "profile",
  "organization",
  "task",
] as const;
const ENTITY_LABELS: Record<(typeof ENTITY_TYPES)[number], string> = {
  project: "Projects",
  payment: "Payments",
  member: "Members",
  client: "Clients",
  team: "Teams",
  role: "Roles",
  profile: "Profiles",
  organization: "Organization",
  task: "Tasks",
};

/** Actions people look for (`?action=`): a whole area (`payment.*`) or one kind of change. */
const ACTIONS = [
  "project.*",
  "project.created",
  "project.updated",
  "project.status_changed",
  "project.member_added",
  "project.member_removed",
  "project.manager_changed",
  "project.deleted",
  "payment.*",
  "payment.submitted",
  "payment.verified",
  "payment.rejected",
  "payment.withdrawn",
  "member.*",
  "member.added",
  "member.role_changed",
  "member.deactivated",
  "developer.verified",
  "client.*",
  "team.*",
  "role.*",
  "profile.viewed",
] as const;

const ACTION_LABELS = Object.fromEntries(
  ACTIONS.map((action) => {
    const [area = "", what = ""] = action.split(".");
    const label = what === "*" ? `Any ${area} change` : `${area} ${what.replace(/_/g, " ")}`;
    return [action, label.replace(/^\w/, (letter) => letter.toUpperCase())];
  }),
) as Record<(typeof ACTIONS)[number], string>;

/** `?entityId=`: one object's entries, from a link; shown as a chip that clears it. */
const entityIdSchema = param.text(64);
const entityFilter: ListFilter<typeof entityIdSchema> = {
  schema: entityIdSchema,
  Control: function EntityControl({ value, onChange }) {
    if (!value) return null;
    return (
      <Button size="sm" variant="secondary" icon="x" onClick={() => onChange(undefined)}>
        One object only
      </Button>
    );
  },
};

export const auditList = defineOrgList({
  orderings: [],
  filters: {
    entityType: choiceFilter({
      label: "About",
      anyLabel: "About anything",
      values: ENTITY_TYPES,
      labels: ENTITY_LABELS,
    }),
    action: choiceFilter({ label: "Action", anyLabel: "Any action", values: ACTIONS, labels: ACTION_LABELS }),
    actor: pickerFilter({
      label: "Who",
      anyLabel: "Anyone",
      permission: "members.view",
      picker: (org, access) => (access.can("members.view") ? memberPicker(org) : null),
    }),
    project: pickerFilter({ label: "Project", anyLabel: "Any project", picker: projectPicker }),
    since: dateFilter({ label: "Since", timestamp: true }),
    entityId: entityFilter,
  },
  query: (params, { org }) => {
    const query: AuditListParams = { ...params, org: org.slug };
    return { queryKey: auditKeys.list(query), queryFn: ({ signal }) => auditApi.list(query, signal) };
  },
  rowKey: (entry: AuditEntry) => entry.id,
  label: "Audit log",
  description: ({ org, access }) =>
    access.ownOnly("audit.view")
      ? `What happened on the projects you own or manage in ${org.name}, newest first.`
      : `Every change in ${org.name}, newest first: who did what, and when.`,
  emptyHint: () => "Changes to projects, payments, members, clients, teams and roles are recorded here.",
  empty: { icon: "list", title: "Nothing recorded yet" },
  noMatch: {
    title: "No entry matches",
    hint: "Try another filter or an earlier date, or clear the filters.",
  },
});

/** Where an entry leads: its project, or the client, team or member it is about. */
function About({ entry, org }: { entry: AuditEntry; org: string }): ReactNode {
  const type = ENTITY_LABELS[entry.entityType as keyof typeof ENTITY_LABELS] ?? entry.entityType;
  const badge = <Badge>{type.replace(/s$/, "")}</Badge>;
  if (entry.project)
    return (
      <span className="inline-flex min-w-0 items-center gap-1.5">
        {badge}
        <Link
          to="/o/$org/projects/$projectId"
          params={{ org, projectId: entry.project.id }}
          className="truncate text-zinc-700 hover:underline"
        >
          {entry.project.name}
        </Link>
      </span>
    );
  const link = "truncate text-zinc-700 hover:underline";
  const named = entry.entityName && entry.entityId ? { name: entry.entityName, id: entry.entityId } : null;
  if (named && entry.entityType === "team")
    return (
      <span className="inline-flex min-w-0 items-center gap-1.5">
        {badge}
        <Link to="/o/$org/teams/$teamId" params={{ org, teamId: named.id }} className={link}>
          {named.name}
        </Link>
      </span>
    );
  if (named && entry.entityType === "client")
    return (
      <span className="inline-flex min-w-0 items-center gap-1.5">
        {badge}
        <Link to="/o/$org/clients/$clientId" params={{ org, clientId: named.id }} className={link}>
          {named.name}
        </Link>
      </span>
    );
  return (
    <span className="inline-flex min-w-0 items-center gap-1.5">
      {badge}
      {named ? (
        <span className="truncate text-zinc-600">
          {entry.entityType === "role" ? named.name : `@${named.name}`}
        </span>
      ) : null}
    </span>
  );
}

function Audit() {
  const context = useOrg();
  const { org } = context;
  const place = { org: org.slug, inProject: false };
  const columns: Column<AuditEntry>[] = [
    {
      key: "when",
      header: "When",
      className: "whitespace-nowrap tabular-nums text-zinc-600",
      cell: (entry) => <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>,
    },
    {
      key: "what",
      header: "What happened",
      cell: (entry) => (
        <div className="min-w-0">
          <p className="text-zinc-800">
            <EntryActor entry={entry} /> <EntrySentence entry={entry} place={place} />
          </p>
          <EntryChanges entry={entry} />
        </div>
      ),
    },
    {
      key: "about",
      header: "About",
      hideBelow: "md",
      cell: (entry) => <About entry={entry} org={org.slug} />,
    },
    {
      key: "from",
      header: "From",
      hideBelow: "lg",
      className: "whitespace-nowrap text-xs text-zinc-500",
      cell: (entry) => entry.ip ?? "—",
    },
  ];
  return <ListPage list={auditList} context={context} columns={columns} />;
}

/** /o/$org/audit: the organization's audit log for holders of audit.view, its filters in the URL. */
export const AuditPage = requirePermission("audit.view", Audit);
