import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.js";
import { allowedActions, authorize, requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError, PermissionDeniedError } from "../../platform/errors.js";
import type { Page } from "../../platform/http/pagination.js";
import { emitEvent } from "../../platform/events/events.js";
import { paymentRejected, paymentSubmitted, paymentVerified } from "./projects.events.js";
import { users } from "../accounts/index.js";
import { membershipRoles, rolePermissions } from "../access/index.js";
import { memberships } from "../access/index.js";
import { membersHolding } from "./holders.js";
import { formatCents, formatMoney, toCents } from "./money.js";
import { inMemberOrgs, resolveOrgFilter } from "./org-scope.js";
import { payments } from "./payments.table.js";
import { financeView, paymentPolicy, projectPolicy, type PaymentSubject } from "./projects.policy.js";
import type { PaymentListQuery } from "./projects.schemas.js";
import { findVisibleProject, paymentStatusOf, projectSubject, selectProjects, visibleProjects, type ProjectRow } from "./projects.queries.js";
import { projects } from "./projects.table.js";
import type { PaymentMethod, PaymentStatus } from "@cairn/shared";

export type PaymentView = {
  id: string;
  orgId: string;
  projectId: string;
  amount: string;
  currency: string;
  method: PaymentMethod;
  reference: string;
  paidOn: string;
  status: "pending" | "approved" | "rejected";
  recordedById: string | null;
  recordedBy: { id: string; username: string } | null;
  /** Who verified and their note are internal: absent for the customer of the project's client. */
  verifiedById?: string | null;
  verifiedBy?: { id: string; username: string } | null;
  verifiedAt: Date | null;
  note?: string;
  createdAt: Date;
  allowedActions: string[];
  /** In the cross-project list: the project it belongs to. */
  project?: { id: string; key: string; name: string };
  /** When recording: the approved and waiting total would pass the net price, by how much. */
  warning?: string;
};

const recorder = alias(users, "payment_recorder");
const verifier = alias(users, "payment_verifier");

function selectPayments(tx: Tx) {
  return tx
    .select({ payment: payments, recorderName: recorder.username, verifierName: verifier.username })
    .from(payments)
    .leftJoin(recorder, eq(recorder.id, payments.recordedById))
    .leftJoin(verifier, eq(verifier.id, payments.verifiedById));
}

type PaymentRow = Awaited<ReturnType<ReturnType<typeof selectPayments>["where"]>>[number];

const paymentSubject = (project: ProjectRow, payment: { recordedById: string | null }): PaymentSubject => ({
  ...projectSubject(project),
  recordedById: payment.recordedById,
});

function present(ctx: Ctx, project: ProjectRow, row: PaymentRow): PaymentView {
  const { payment } = row;
  const person = (id: string | null, username: string | null) => (id && username !== null ? { id, username } : null);
  const view: PaymentView = {
    ...payment,
    amount: formatMoney(payment.amount),
    currency: project.project.currency,
    recordedBy: person(payment.recordedById, row.recorderName),
    verifiedBy: person(payment.verifiedById, row.verifierName),
    allowedActions:
      payment.status === "pending" ? allowedActions(ctx.actor, paymentPolicy, paymentSubject(project, payment)).filter((action) => action !== "view") : [],
  };
  if (financeView(ctx.actor, projectSubject(project)) === "full") return view;
  const { verifiedById: _verifiedById, verifiedBy: _verifiedBy, note: _note, ...balance } = view;
  return balance;
}

/**
 * The customer of the project's client sees its approved payments only: a
 * pending or rejected payment does not exist for them (a 404). Anyone else
 * finds every payment of a project they see, and the policy then decides
 * (staff without projects.view_financials get a 403 naming it).
 */
const visiblePayments = (ctx: Ctx, project: ProjectRow) =>
  financeView(ctx.actor, projectSubject(project)) === "balance" ? eq(payments.status, "approved") : undefined;

/** The project's payment status as staff see it, for the audit trail (reads compute it: projects.queries.ts). */
async function fullPaymentStatus(tx: Tx, orgId: string, projectId: string, netPrice: string | null): Promise<PaymentStatus> {
  const [totals] = await tx
    .select({
      approved: sql<string>`coalesce(sum(${payments.amount}) filter (where ${payments.status} = 'approved'), 0)::text`,
      pending: sql<boolean>`coalesce(bool_or(${payments.status} = 'pending'), false)`,
    })
    .from(payments)
    .where(and(eq(payments.orgId, orgId), eq(payments.projectId, projectId)));
  return paymentStatusOf(formatMoney(totals?.approved), formatMoney(netPrice), totals?.pending ?? false);
}

/** Active members who may verify payments in the organization: told when one awaits them. */
const verifiersOf = (tx: Tx, orgId: string) => membersHolding(tx, orgId, ["payments.verify"]);

/**
 * The people among `userIds` who see all of the project's money (projects.view_financials
 * over the organization, or the superuser): a verdict carries the amount and the
 * verifier's note, which the owner or manager of a project (a verified developer,
 * say) may not read. Read in the change's transaction, like `verifiersOf`.
 */
async function seeingAllMoney(tx: Tx, orgId: string, userIds: string[]): Promise<string[]> {
  if (!userIds.length) return [];
  const staff = await tx
    .selectDistinct({ userId: membershipRoles.userId })
    .from(membershipRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, membershipRoles.roleId))
    .innerJoin(memberships, and(eq(memberships.orgId, membershipRoles.orgId), eq(memberships.userId, membershipRoles.userId)))
    .where(
      and(
        eq(membershipRoles.orgId, orgId),
        inArray(membershipRoles.userId, userIds),
        eq(rolePermissions.permission, "projects.view_financials"),
        eq(rolePermissions.scope, "all"),
        eq(memberships.isActive, true),
      ),
    );
  const superusers = await tx
    .select({ userId: users.id })
    .from(users)
    .where(and(inArray(users.id, userIds), eq(users.isSuperuser, true)));
  const allowed = new Set([...staff, ...superusers].map((row) => row.userId));
  return userIds.filter((id) => allowed.has(id));
}

export async function listPayments(ctx: Ctx, projectId: string): Promise<PaymentView[]> {
  const project = await findVisibleProject(ctx, projectId);
  authorize(ctx.actor, projectPolicy, "viewPayments", projectSubject(project));
  const rows = await selectPayments(ctx.tx)
    .where(and(eq(payments.orgId, project.project.orgId), eq(payments.projectId, projectId), visiblePayments(ctx, project)))
    .orderBy(desc(payments.paidOn), desc(payments.createdAt));
  return rows.map((row) => present(ctx, project, row));
}

/** Sales records a payment: pending until a verifier decides. */
export async function recordPayment(
  ctx: Ctx,
  projectId: string,
  input: { amount: string; method: PaymentMethod; reference?: string; paidOn?: string },
): Promise<PaymentView> {
  const actor = requireUser(ctx.actor);
  const project = await findVisibleProject(ctx, projectId, { forUpdate: true });
  const { orgId } = project.project;
  authorize(ctx.actor, projectPolicy, "addPayment", projectSubject(project));
  const [payment] = await ctx.tx
    .insert(payments)
    .values({
      orgId,
      projectId,
      amount: input.amount,
      method: input.method,
      reference: input.reference ?? "",
      paidOn: input.paidOn ?? new Date().toISOString().slice(0, 10),
      recordedById: actor.userId,
    })
    .returning({ id: payments.id });
  if (!payment) throw new Error("payment insert returned nothing");
  await recordAudit(ctx, {
    orgId,
    action: "payment.submitted",
    entityType: "payment",
    entityId: payment.id,
    changes: { projectId: [null, projectId], amount: [null, input.amount], method: [null, input.method], status: [null, "pending"] },
  });
  await emitEvent(ctx, paymentSubmitted, {
    orgId,
    recipients: (await verifiersOf(ctx.tx, orgId)).filter((id) => id !== actor.userId),
    data: { paymentId: payment.id, projectId, projectKey: project.project.key, amount: input.amount, currency: project.project.currency },
  });
  const view = await getPaymentIn(ctx, project, payment.id);
  const warning = await overNetPrice(ctx.tx, project);
  return warning ? { ...view, warning } : view;
}

/**
 * Sales are told (not stopped: an advance or a fee can be real) when the approved and
 * waiting payments of a project pass its net price, and by how much.
 */
async function overNetPrice(tx: Tx, project: ProjectRow): Promise<string | null> {
  const { orgId, id, netPrice, currency } = project.project;
  const [totals] = await tx
    .select({ counted: sql<string>`coalesce(sum(${payments.amount}) filter (where ${payments.status} in ('approved', 'pending')), 0)::text` })
    .from(payments)
    .where(and(eq(payments.orgId, orgId), eq(payments.projectId, id)));
  const counted = toCents(formatMoney(totals?.counted));
  const net = toCents(formatMoney(netPrice));
  if (counted <= net) return null;
  const excess = formatCents(counted - net);
  return `With this payment, approved and waiting payments come to ${formatMoney(totals?.counted)} ${currency}: ${excess} over the net price of ${formatMoney(netPrice)}.`;
}

async function getPaymentIn(ctx: Ctx, project: ProjectRow, paymentId: string): Promise<PaymentView> {
  const [row] = await selectPayments(ctx.tx).where(and(eq(payments.orgId, project.project.orgId), eq(payments.id, paymentId), visiblePayments(ctx, project)));
  if (!row) throw new NotFoundError("payment");
  return present(ctx, project, row);
}

/** A payment of a project the caller sees; the project id comes from the payment, inside the caller's organizations. */
async function findPayment(ctx: Ctx, paymentId: string, options: { forUpdate?: boolean } = {}) {
  const [row] = await ctx.tx
    .select({ projectId: payments.projectId })
    .from(payments)
    .where(and(eq(payments.id, paymentId), inMemberOrgs(requireUser(ctx.actor), payments.orgId)));
  if (!row) throw new NotFoundError("payment");
  const project = await findVisibleProject(ctx, row.projectId, options).catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError("payment") : error;
  });
  return { project, payment: await getPaymentIn(ctx, project, paymentId) };
}

export async function getPayment(ctx: Ctx, paymentId: string): Promise<PaymentView> {
  const { project, payment } = await findPayment(ctx, paymentId);
  authorize(ctx.actor, paymentPolicy, "view", paymentSubject(project, payment));
  return payment;
}

/** A verifier approves or rejects a pending payment, never one they recorded themselves. */
export async function verifyPayment(ctx: Ctx, paymentId: string, input: { decision: "approve" | "reject"; note?: string }): Promise<PaymentView> {
  const actor = requireUser(ctx.actor);
  const { project, payment } = await findPayment(ctx, paymentId, { forUpdate: true });
  authorize(ctx.actor, paymentPolicy, "verify", paymentSubject(project, payment));
  if (payment.status !== "pending") throw new ConflictError(`This payment was already ${payment.status}.`, "already_decided");
  const status = input.decision === "approve" ? "approved" : "rejected";
  const { orgId } = project.project;
  const statusBefore = await fullPaymentStatus(ctx.tx, orgId, project.project.id, project.project.netPrice);
  await ctx.tx
    .update(payments)
    .set({ status, verifiedById: actor.userId, verifiedAt: new Date(), note: input.note ?? "", updatedAt: new Date() })
    .where(and(eq(payments.orgId, orgId), eq(payments.id, paymentId)));
  const projectStatus = await fullPaymentStatus(ctx.tx, orgId, project.project.id, project.project.netPrice);
  const name = status === "approved" ? "payment.verified" : "payment.rejected";
  await recordAudit(ctx, {
    orgId,
    action: name,
    entityType: "payment",
    entityId: paymentId,
    changes: {
      // The project and the amount, so the entry reads on its own ("approved 5,000.00 on Shop").
      projectId: [project.project.id, project.project.id],
      amount: [payment.amount, payment.amount],
      status: ["pending", status],
      note: [null, input.note ?? ""],
      projectPaymentStatus: [statusBefore, projectStatus],
    },
  });
  const concerned = new Set([payment.recordedById, project.project.ownerId, project.project.managerId]);
  concerned.delete(actor.userId);
  await emitEvent(ctx, input.decision === "approve" ? paymentVerified : paymentRejected, {
    orgId,
    recipients: await seeingAllMoney(ctx.tx, orgId, [...concerned].filter((id): id is string => id !== null)),
    data: { paymentId, projectId: project.project.id, projectKey: project.project.key, amount: payment.amount, currency: payment.currency, note: input.note ?? "" },
  });
  return getPaymentIn(ctx, project, paymentId);
}

/**
 * DELETE /api/payments/{id}: the person who recorded a payment takes it back while it
 * waits for a verifier; a decided payment stays (409), its history is the record.
 */
export async function withdrawPayment(ctx: Ctx, paymentId: string): Promise<void> {
  const { project, payment } = await findPayment(ctx, paymentId, { forUpdate: true });
  authorize(ctx.actor, paymentPolicy, "withdraw", paymentSubject(project, payment));
  if (payment.status !== "pending") {
    throw new ConflictError(`This payment was ${payment.status} already: only a waiting payment can be withdrawn.`, "payment_decided");
  }
  const { orgId } = project.project;
  await ctx.tx.delete(payments).where(and(eq(payments.orgId, orgId), eq(payments.id, paymentId)));
  await recordAudit(ctx, {
    orgId,
    action: "payment.withdrawn",
    entityType: "payment",
    entityId: paymentId,
    changes: { projectId: [project.project.id, project.project.id], amount: [payment.amount, null], status: ["pending", null] },
  });
}

/**
 * GET /api/payments: the payments the caller may see across projects, newest first by
 * default; `?status=pending` is the verifier's queue. Staff who see all of a project's money
 * see every payment of the projects they see; the customer of a client, the approved
 * payments of their client's projects. Three queries a page, whatever its size.
 */
export async function listAllPayments(ctx: Ctx, query: PaymentListQuery): Promise<Page<PaymentView>> {
  const actor = requireUser(ctx.actor);
  const full = actor.isSuperuser ? null : actor.orgs.filter((org) => org.grants["projects.view_financials"] === "all").map((org) => org.orgId);
  const customerOf = actor.orgs.filter((org) => org.grants["projects.view_financials"] === "own").map((org) => org.orgId);
  if (full !== null && !full.length && !customerOf.length) throw new PermissionDeniedError("projects.view_financials");
  const staffMoney = full === null ? sql`true` : full.length ? inArray(payments.orgId, full) : sql`false`;
  const customerMoney = customerOf.length
    ? and(
        inArray(payments.orgId, customerOf),
        eq(payments.status, "approved"),
        sql`${projects.clientId} in (select c.id from clients c where c.customer_user_id = ${actor.userId})`,
      )
    : sql`false`;
  const conditions: SQL[] = [visibleProjects(actor), sql`(${staffMoney} or ${customerMoney})`];
  if (query.status) conditions.push(eq(payments.status, query.status));
  if (query.project) conditions.push(eq(payments.projectId, query.project));
  if (query.client) conditions.push(eq(projects.clientId, query.client));
  if (query.org) conditions.push(eq(payments.orgId, await resolveOrgFilter(ctx, query.org)));
  const column = query.ordering.endsWith("amount") ? payments.amount : payments.createdAt;
  const rows = await selectPayments(ctx.tx)
    .innerJoin(projects, and(eq(projects.id, payments.projectId), eq(projects.orgId, payments.orgId)))
    .where(and(...conditions))
    .orderBy(query.ordering.startsWith("-") ? desc(column) : asc(column), desc(payments.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  const [total] = await ctx.tx
    .select({ value: count() })
    .from(payments)
    .innerJoin(projects, and(eq(projects.id, payments.projectId), eq(projects.orgId, payments.orgId)))
    .where(and(...conditions));
  const ids = [...new Set(rows.map((row) => row.payment.projectId))];
  const projectRows = ids.length ? await selectProjects(ctx.tx, actor.userId).where(inArray(projects.id, ids)) : [];
  const byId = new Map(projectRows.map((row) => [row.project.id, row]));
  const items = rows.flatMap((row) => {
    const project = byId.get(row.payment.projectId);
    if (!project) return [];
    const { id, key, name } = project.project;
    return [{ ...present(ctx, project, row), project: { id, key, name } }];
  });
  return { items, page: query.page, pageSize: query.pageSize, total: total?.value ?? 0 };
}
