import { sql } from "drizzle-orm";
import { allOf, anyOf, definePolicy, fact, requires, through, type Rule, type Scoped, type ScopedRule } from "../../platform/access/engine.js";
import { clients } from "../clients/index.js";
import { ownsOrManages, projects, type ProjectColumns, type ProjectSubject } from "../projects/index.js";
import type { tickets } from "./tickets.table.js";

/** What the rules need to know about a ticket: its people, and its project as the caller sees it. */
export type TicketSubject = Scoped & {
  projectId: string;
  reporterId: string | null;
  assigneeId: string | null;
  /** The ticket's project, read for the caller. */
  project: ProjectSubject;
};

/** The columns of `tickets` the rules' SQL reads: lists pass the table itself. */
export type TicketColumns = Pick<typeof tickets, "orgId" | "projectId" | "reporterId">;

type TicketFact = ScopedRule<TicketSubject, TicketColumns>;

const isReporter: TicketFact = fact("reporter", (actor, ticket) => ticket.reporterId === actor.userId, (t, me) => sql`${t.reporterId} = ${me}`);

/** The ticket is on a project of the client the caller is the customer of. */
const onOwnClientsProject: TicketFact = fact(
  "client",
  (actor, ticket) => ticket.project.customerUserId !== null && ticket.project.customerUserId === actor.userId,
  (t, me) =>
    sql`${t.projectId} in (select ${projects.id} from ${projects} where ${projects.clientId} in (select ${clients.id} from ${clients} where ${clients.customerUserId} = ${me}))`,
);

/** The ticket's project is the caller's own: they created or manage it (one uncorrelated subquery in a list). */
const onOwnProject: TicketFact = through<TicketSubject, ProjectSubject, TicketColumns, ProjectColumns>(
  "project.own",
  ownsOrManages,
  (ticket) => ticket.project,
  projects,
  (t, inner) => (inner === null ? sql`true` : sql`${t.projectId} in (select ${projects.id} from ${projects} where ${inner})`),
);

/** Who handles a ticket: tickets.manage (support everywhere, project managers on their own projects, admins). */
const manage: TicketFact = requires("tickets.manage", onOwnProject);

/** The customer side: tickets.add (scope own: the projects of their client), on their client's projects or reported by them. */
const customerSide: TicketFact = allOf(requires("tickets.add", onOwnClientsProject), anyOf(onOwnClientsProject, isReporter));

/**
 * Who sees a ticket (API.md "Support tickets"): its handlers, and the customer
 * side: the customer of the project's client and whoever reported it. Lists
 * use the same rule as SQL, so a ticket is listed exactly when it may be opened.
 */
const view: TicketFact = anyOf(manage, customerSide);

/** The reporter may close their own ticket, or reopen it once resolved; handlers may do anything. */
const closeOrReopen: Rule<TicketSubject> = anyOf(manage, allOf(requires("tickets.add", onOwnClientsProject), isReporter));

export const ticketPolicy = definePolicy<
  {
    view: TicketSubject;
    manage: TicketSubject;
    closeOrReopen: TicketSubject;
    comment: TicketSubject;
    addInternalNote: TicketSubject;
    escalate: TicketSubject;
  },
  { view: TicketColumns }
>("ticket", { view, manage, closeOrReopen, comment: view, addInternalNote: manage, escalate: manage });

/** Opening a ticket on a project: tickets.add (scope own: a project of the caller's client). */
export const ticketCreationPolicy = definePolicy<{ create: TicketSubject }>("ticket", {
  create: requires("tickets.add", onOwnClientsProject),
});

/** An organization's service levels: members read them, tickets.configure changes them. */
export const slaPolicy = definePolicy<{ view: Scoped; configure: Scoped }>("organization", {
  view: requires("members.view"),
  configure: requires("tickets.configure"),
});
