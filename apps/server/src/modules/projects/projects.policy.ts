import { sql } from "drizzle-orm";
import { allOf, allow, anyOf, can, definePolicy, deny, fact, grantIn, requires, requiresOwn, type Rule, type Scoped, type ScopedRule } from "../../platform/access/engine.js";
import type { Actor } from "../../platform/access/actor.js";
import { clients } from "../clients/index.js";
import { teamMembers, teams } from "../teams/index.js";
import { projectMembers, type projects } from "./projects.table.js";

/** What the rules need to know about a project. */
export type ProjectSubject = Scoped & {
  ownerId: string | null;
  managerId: string | null;
  /** The customer user of the project's client, if any: they see its financials. */
  customerUserId: string | null;
  /** `organization`: every member with projects.view sees it; `team`: its team and its people only. */
  visibility: "organization" | "team";
  /** The manager of the project's team, if it has one. */
  teamManagerId: string | null;
  /** Whether the caller the project was read for is one of its members. */
  viewerIsMember: boolean;
  /** Whether the caller the project was read for is on the project's team. */
  viewerInTeam: boolean;
};

/** A payment is judged with its project. */
export type PaymentSubject = ProjectSubject & { recordedById: string | null };

/** The columns of `projects` the rules' SQL reads: lists pass the table itself. */
export type ProjectColumns = Pick<typeof projects, "orgId" | "id" | "visibility" | "ownerId" | "managerId" | "teamId" | "clientId">;

/*
 * Facts about a project and the caller, each told of one project and, beside
 * it, as SQL over a list of projects. The "is it mine" tests are uncorrelated
 * `in` subqueries, run once per query rather than once per row.
 */
type ProjectFact = ScopedRule<ProjectSubject, ProjectColumns>;

const orgWide: ProjectFact = fact("organization", (_actor, project) => project.visibility === "organization", (p) => sql`${p.visibility} = 'organization'`);
const owns: ProjectFact = fact("owner", (actor, project) => project.ownerId === actor.userId, (p, me) => sql`${p.ownerId} = ${me}`);
const manages: ProjectFact = fact("manager", (actor, project) => project.managerId === actor.userId, (p, me) => sql`${p.managerId} = ${me}`);
const onProject: ProjectFact = fact(
  "member",
  (_actor, project) => project.viewerIsMember,
  (p, me) => sql`${p.id} in (select ${projectMembers.projectId} from ${projectMembers} where ${projectMembers.userId} = ${me})`,
);
const onTeam: ProjectFact = fact(
  "team",
  (actor, project) => project.viewerInTeam || (project.teamManagerId !== null && project.teamManagerId === actor.userId),
  (p, me) =>
    sql`${p.teamId} in (select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.userId} = ${me} union all select ${teams.id} from ${teams} where ${teams.managerId} = ${me})`,
);
const isClientCustomer: ProjectFact = fact(
  "customer",
  (actor, project) => project.customerUserId !== null && project.customerUserId === actor.userId,
  (p, me) => sql`${p.clientId} in (select ${clients.id} from ${clients} where ${clients.customerUserId} = ${me})`,
);

/** "Own projects": the caller created it or manages it. */
export const ownsOrManages: ProjectFact = anyOf(owns, manages);

/**
 * Who sees a project: in organizations where they hold projects.view, every
 * `organization` project; a `team` project only for admins (teams.manage over
 * every team), its owner, manager and members, its team and the team's
 * manager, and the customer of its client. projects.view of scope `own` shows
 * the caller's own projects only. The superuser sees all. Lists use the same
 * rule as SQL (`visibleProjects` in projects.queries.ts).
 */
export const view: ProjectFact = allOf(
  requires("projects.view", ownsOrManages),
  anyOf(requires("teams.manage"), orgWide, owns, manages, onProject, onTeam, isClientCustomer),
);

const change: Rule<ProjectSubject> = anyOf(requires("projects.change_any"), requiresOwn("projects.change_own", ownsOrManages));
const financials: Rule<ProjectSubject> = requires("projects.view_financials", isClientCustomer);

/** Who may do what with one project; `view` also scopes every list of projects. */
export const projectPolicy = definePolicy<{
  view: ProjectSubject;
  viewFinancials: ProjectSubject;
  update: ProjectSubject;
  changeStatus: ProjectSubject;
  delete: ProjectSubject;
  manageMembers: ProjectSubject;
  viewPayments: ProjectSubject;
  addPayment: ProjectSubject;
  uploadFile: ProjectSubject;
  deleteFile: ProjectSubject;
  viewAudit: ProjectSubject;
}, { view: ProjectColumns }>("project", {
  view,
  viewFinancials: financials,
  update: change,
  changeStatus: change,
  delete: requires("projects.delete"),
  manageMembers: change,
  viewPayments: financials,
  addPayment: allOf(requires("payments.add"), financials),
  uploadFile: change,
  deleteFile: change,
  viewAudit: requires("audit.view", ownsOrManages),
});

/** Rules that apply before a project exists, in the organization it would live in. */
export const projectCreationPolicy = definePolicy<{ create: Scoped; setFinancials: Scoped; attachClient: Scoped }>("project", {
  create: requires("projects.add"),
  /** Cost, discount and currency are set only by people who may see them. */
  setFinancials: requires("projects.view_financials"),
  /** A project is opened for a client by people who work with clients (sales, managers, admins). */
  attachClient: requires("clients.view"),
});

export const paymentPolicy = definePolicy<{ view: PaymentSubject; verify: PaymentSubject; withdraw: PaymentSubject }>("payment", {
  view: financials,
  /** The person who recorded a payment takes it back while it waits (a typo, a duplicate). */
  withdraw: allOf(requires("payments.add"), (actor, payment) =>
    payment.recordedById === actor.userId
      ? allow
      : deny("payments.add", "Withdrawing is for the person who recorded the payment: You need the payments.add permission and to have recorded it."),
  ),
  verify: allOf(requires("payments.verify"), (actor, payment) =>
    payment.recordedById === actor.userId ? deny(null, "Nobody verifies a payment they recorded themselves.") : allow,
  ),
});

/**
 * How much of a project's money the caller sees:
 * - `full`: projects.view_financials over the whole organization (finance,
 *   sales, managers, admins, the superuser): every payment, notes, who
 *   verified, what is pending;
 * - `balance`: the customer of the project's client (projects.view_financials
 *   on their own client's projects): cost, discount, net price, currency and
 *   the approved payments, never what is pending or rejected, notes or who
 *   verified;
 * - `none`: no financial field at all, `paymentStatus` included.
 */
export type FinanceView = "full" | "balance" | "none";

export function financeView(actor: Actor, project: ProjectSubject): FinanceView {
  if (actor.kind !== "user" || !can(actor, projectPolicy, "viewFinancials", project)) return "none";
  return grantIn(actor, project.orgId, "projects.view_financials") === "all" ? "full" : "balance";
}
