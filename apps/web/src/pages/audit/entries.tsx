import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { roleName } from "../../lib/roles";
import {
  METHOD_LABELS,
  PAYMENT_STATUS_LABELS,
  STATUS_LABELS,
  formatMoney,
  type AuditEntry,
  type PaymentMethod,
  type PaymentStatus,
  type ProjectStatus,
} from "../projects/model";

/**
 * An audit entry in words: "@sam rejected a payment of 40.00 USD: “Not on the statement”". The API
 * stores ids and names them as they are now (`project`, `entityName`, `people`); what an entry
 * recorded at the time (a deleted client's name) fills in. Shared by a project's activity and the
 * organization's audit log, which also says which project or client an entry is about.
 */

/** Where the sentence is read: inside the project it is about, or in the organization's log. */
export type EntryPlace = { org: string; inProject: boolean };

type Words = { entry: AuditEntry; place: EntryPlace };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** A change's value after (or, once deleted, before). */
function recorded(entry: AuditEntry, field: string): unknown {
  const change = entry.changes[field];
  return change ? (change[1] ?? change[0]) : undefined;
}

/** A person the entry names by id: "@bob", or "someone" when the id is no user's. */
function person(entry: AuditEntry, id: unknown): ReactNode {
  const name = typeof id === "string" ? entry.people[id] : undefined;
  return <strong className="font-medium text-zinc-900">{name ? `@${name}` : "someone"}</strong>;
}

/** The entity the entry is about, by the name it has now or had. */
function entityName(entry: AuditEntry): string {
  return entry.entityName ?? text(recorded(entry, "name")) ?? text(recorded(entry, "key")) ?? "(deleted)";
}

/** The member an organization-level entry is about: "@bob", or the member's name at the time. */
function member({ entry }: Words): ReactNode {
  return (
    <strong className="font-medium text-zinc-900">
      {entry.entityName ? `@${entry.entityName}` : "a former member"}
    </strong>
  );
}

/** "the project" inside it; its name, linked, in the organization's log. */
function project({ entry, place }: Words): ReactNode {
  if (place.inProject) return "the project";
  if (!entry.project)
    return <strong className="font-medium">{text(recorded(entry, "name")) ?? "a project"}</strong>;
  return (
    <Link
      to="/o/$org/projects/$projectId"
      params={{ org: place.org, projectId: entry.project.id }}
      className="font-medium text-zinc-900 hover:underline"
    >
      {entry.project.name}
    </Link>
  );
}

/** " on <project>" for a payment in the organization's log; nothing inside the project. */
function onProject(words: Words): ReactNode {
  return words.place.inProject ? null : <> on {project(words)}</>;
}

/** "a payment of 400.00 USD" (the amount hidden from readers without financials). */
function payment({ entry }: Words): ReactNode {
  const amount = text(recorded(entry, "amount"));
  if (!amount || amount === "[hidden]") return "a payment";
  const method = text(recorded(entry, "method"));
  const how =
    method && method in METHOD_LABELS ? ` (${METHOD_LABELS[method as PaymentMethod].toLowerCase()})` : "";
  return (
    <>
      a payment of <span className="tabular-nums">{formatMoney(amount)}</span>
      {how}
    </>
  );
}

function named(kind: string): (words: Words) => ReactNode {
  return ({ entry }) => (
    <>
      {kind} <strong className="font-medium text-zinc-900">{entityName(entry)}</strong>
    </>
  );
}

const roles = (value: unknown) =>
  Array.isArray(value) && value.length ? value.map((key) => roleName(String(key))).join(", ") : "no role";

const statusLabel = (value: unknown) =>
  typeof value === "string" && value in STATUS_LABELS ? STATUS_LABELS[value as ProjectStatus] : String(value);

/** The sentence of each action, after the actor's name. Unknown actions read from their code. */
const SENTENCES: Record<string, (words: Words) => ReactNode> = {
  "project.created": (words) => <>created {project(words)}</>,
  "project.updated": (words) => <>edited {project(words)}</>,
  "project.deleted": (words) => <>deleted {project(words)}</>,
  "project.status_changed": (words) => (
    <>
      moved {project(words)} from {statusLabel(words.entry.changes.status?.[0])} to{" "}
      {statusLabel(words.entry.changes.status?.[1])}
    </>
  ),
  "project.member_added": (words) => (
    <>
      added {person(words.entry, words.entry.changes.member?.[1])} to {project(words)}
      {text(words.entry.changes.role?.[1]) ? ` as ${String(words.entry.changes.role?.[1])}` : ""}
    </>
  ),
  "project.member_removed": (words) => (
    <>
      removed {person(words.entry, words.entry.changes.member?.[0])} from {project(words)}
    </>
  ),
  "project.member_role_changed": (words) => (
    <>
      made {person(words.entry, words.entry.changes.member?.[1])} {String(words.entry.changes.role?.[1])} of{" "}
      {project(words)}
    </>
  ),
  "project.manager_changed": (words) => {
    const [, after] = words.entry.changes.managerId ?? [null, null];
    return after ? (
      <>
        made {person(words.entry, after)} the manager of {project(words)}
      </>
    ) : (
      <>left {project(words)} without a manager</>
    );
  },
  "project.file_uploaded": (words) => (
    <>
      uploaded <strong className="font-medium">{text(recorded(words.entry, "name")) ?? "a file"}</strong> to{" "}
      {project(words)}
    </>
  ),
  "project.file_deleted": (words) => (
    <>
      deleted the file{" "}
      <strong className="font-medium">{text(recorded(words.entry, "name")) ?? "a file"}</strong> of{" "}
      {project(words)}
    </>
  ),
  "payment.submitted": (words) => (
    <>
      recorded {payment(words)}
      {onProject(words)}
    </>
  ),
  "payment.verified": (words) => (
    <>
      approved {payment(words)}
      {onProject(words)}
    </>
  ),
  "payment.rejected": (words) => {
    const note = text(words.entry.changes.note?.[1]);
    return (
      <>
        rejected {payment(words)}
        {onProject(words)}
        {note ? <>: “{note}”</> : null}
      </>
    );
  },
  "payment.withdrawn": (words) => (
    <>
      withdrew {payment(words)}
      {onProject(words)}
    </>
  ),
  "member.added": (words) => (
    <>
      added {member(words)} to the organization as {roles(words.entry.changes.roles?.[1])}
    </>
  ),
  "member.role_changed": (words) => (
    <>
      changed the roles of {member(words)} to {roles(words.entry.changes.roles?.[1])}
    </>
  ),
  "member.deactivated": (words) => <>deactivated {member(words)}</>,
  "member.reactivated": (words) => <>reactivated {member(words)}</>,
  "member.invitation_sent": (words) => <>sent {member(words)} their invitation again</>,
  "developer.verified": (words) => <>verified {member(words)} as a developer</>,
  "developer.unverified": (words) => <>took the verified developer role from {member(words)}</>,
  "client.created": named("added the client"),
  "client.updated": named("edited the client"),
  "client.deleted": named("deleted the client"),
  "team.created": named("created the team"),
  "team.updated": named("edited the team"),
  "team.deleted": named("deleted the team"),
  "team.member_added": (words) => (
    <>
      added {person(words.entry, words.entry.changes.member?.[1])} to {named("the team")(words)}
    </>
  ),
  "team.member_removed": (words) => (
    <>
      removed {person(words.entry, words.entry.changes.member?.[0])} from {named("the team")(words)}
    </>
  ),
  "role.created": named("created the role"),
  "role.updated": named("edited the role"),
  "role.deleted": named("deleted the role"),
  "organization.updated": () => "edited the organization's settings",
  "profile.updated": (words) => <>edited the profile of {member(words)}</>,
  "profile.viewed": (words) => <>viewed the private profile of {member(words)}</>,
};

/** What an entry says happened, after the actor's name. */
export function EntrySentence({ entry, place }: { entry: AuditEntry; place: EntryPlace }) {
  const sentence = SENTENCES[entry.action];
  if (sentence) return <>{sentence({ entry, place })}</>;
  return <>{entry.action.replace(/^[a-z]+\./, "").replace(/[._]/g, " ")}</>;
}

/** Actions whose sentence says it all; the others list the fields that changed. */
const TOLD = new Set(
  Object.keys(SENTENCES).filter((action) => !/\.(updated|created|status_changed)$/.test(action)),
);

function show(entry: AuditEntry, field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string" && UUID.test(value))
    return entry.people[value] ? `@${entry.people[value]}` : "…";
  if (field === "status" && typeof value === "string") return statusLabel(value);
  if (field === "paymentStatus" && typeof value === "string" && value in PAYMENT_STATUS_LABELS)
    return PAYMENT_STATUS_LABELS[value as PaymentStatus];
  if (Array.isArray(value)) return value.map((item) => show(entry, field, item)).join(", ") || "—";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return String(value);
  return JSON.stringify(value);
}

/** "dueDate" → "due date". */
const fieldLabel = (field: string) =>
  field
    .replace(/Id$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();

/** The fields an entry changed, before → after (a few; ids as the people they are). */
export function EntryChanges({ entry, max = 6 }: { entry: AuditEntry; max?: number }) {
  if (TOLD.has(entry.action)) return null;
  const changes = Object.entries(entry.changes)
    .filter(([field]) => field !== "projectId")
    .filter(([field, [before, after]]) => show(entry, field, before) !== show(entry, field, after))
    .slice(0, max);
  if (!changes.length) return null;
  return (
    <ul className="mt-0.5 space-y-0.5 text-xs text-zinc-500">
      {changes.map(([field, [before, after]]) => (
        <li key={field}>
          {fieldLabel(field)}:{" "}
          <span className="line-through decoration-zinc-300">{show(entry, field, before)}</span> →{" "}
          <span className="text-zinc-700">{show(entry, field, after)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The actor: "@sam", or "Cairn" when the system acted (a job, a schedule). */
export function EntryActor({ entry }: { entry: AuditEntry }) {
  return (
    <span className="font-medium text-zinc-900">{entry.actor ? `@${entry.actor.username}` : "Cairn"}</span>
  );
}
