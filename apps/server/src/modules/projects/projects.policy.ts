import { allOf, allow, anyOf, can, definePolicy, deny, grantIn, requires, requiresOwn, type Rule, type Scoped } from "../../platform/access/engine.js";
import type { Actor, UserActor } from "../../platform/access/actor.js";

/** What the rules need to know about a project. */
export type ProjectSubject = Scoped & {
  ownerId: string | null;
  managerId: string | null;
  /** The customer user of the project's client, if any: they see its financials. */
  customerUserId: string | null;
};

/** A payment is judged with its project. */
export type PaymentSubject = ProjectSubject & { recordedById: string | null };

/** "Own projects": the caller created it or manages it. */
export const ownsOrManages = (actor: UserActor, project: ProjectSubject) =>
  project.ownerId === actor.userId || project.managerId === actor.userId;

const isClientCustomer = (actor: UserActor, project: ProjectSubject) =>
  project.customerUserId !== null && project.customerUserId === actor.userId;

const change: Rule<ProjectSubject> = anyOf(requires("projects.change_any"), requiresOwn("projects.change_own", ownsOrManages));
const financials: Rule<ProjectSubject> = requires("projects.view_financials", isClientCustomer);

/**
 * Who may do what with one project. Which projects a caller sees at all is the
 * visibility predicate of projects.queries.ts (organization or team visibility);
 * these rules apply to a project already visible.
 */
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
}>("project", {
  view: requires("projects.view"),
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

export const paymentPolicy = definePolicy<{ view: PaymentSubject; verify: PaymentSubject }>("payment", {
  view: financials,
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
