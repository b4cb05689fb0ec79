import { and, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.js";
import { allowedActions, authorize, requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError } from "../../platform/errors.js";
import { emitEvent } from "../../platform/events/events.js";
import { users } from "../accounts/accounts.table.js";
import { membershipRoles, rolePermissions } from "../access/access.table.js";
import { memberships } from "../orgs/orgs.table.js";
import { formatMoney } from "./money.js";
import { inMemberOrgs } from "./org-scope.js";
import { payments, type PAYMENT_METHODS } from "./payments.table.js";
import { paymentPolicy, projectPolicy, type PaymentSubject } from "./projects.policy.js";
import { findVisibleProject, projectSubject, type ProjectRow } from "./projects.queries.js";
import { projects, type PaymentStatus } from "./projects.table.js";

export type PaymentView = {
  id: string;
  orgId: string;
  projectId: string;
  amount: string;
  currency: string;
  method: (typeof PAYMENT_METHODS)[number];
  reference: string;
  paidOn: string;
  status: "pending" | "approved" | "rejected";
  recordedById: string | null;
  recordedBy: { id: string; username: string } | null;
  verifiedById: string | null;
  verifiedBy: { id: string; username: string } | null;
  verifiedAt: Date | null;
  note: string;
  createdAt: Date;
  allowedActions: string[];
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
  return {
    ...payment,
    amount: formatMoney(payment.amount),
    currency: project.project.currency,
    recordedBy: person(payment.recordedById, row.recorderName),
    verifiedBy: person(payment.verifiedById, row.verifierName),
    allowedActions: payment.status === "pending" ? allowedActions(ctx.actor, paymentPolicy, paymentSubject(project, payment)).filter((action) => action !== "view") : [],
  };
}

/**
 * The project's payment status follows its payments: anything awaiting a
 * verifier makes it `pending_verification`; otherwise the latest decision
 * rules (`verified` or `rejected`); without payments it is `unpaid`.
 */
async function refreshPaymentStatus(tx: Tx, orgId: string, projectId: string): Promise<PaymentStatus> {
  const [pending] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orgId, orgId), eq(payments.projectId, projectId), eq(payments.status, "pending")))
    .limit(1);
  let status: PaymentStatus = "unpaid";
  if (pending) status = "pending_verification";
  else {
    const [latest] = await tx
      .select({ status: payments.status })
      .from(payments)
      .where(and(eq(payments.orgId, orgId), eq(payments.projectId, projectId)))
      .orderBy(sql`${payments.verifiedAt} desc nulls last`, desc(payments.createdAt))
      .limit(1);
    if (latest) status = latest.status === "approved" ? "verified" : "rejected";
  }
  await tx.update(projects).set({ paymentStatus: status }).where(and(eq(projects.orgId, orgId), eq(projects.id, projectId)));
  return status;
}

/** Active members who may verify payments in the organization: told when one awaits them. */
async function verifiersOf(tx: Tx, orgId: string): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ userId: membershipRoles.userId })
    .from(membershipRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, membershipRoles.roleId))
    .innerJoin(memberships, and(eq(memberships.orgId, membershipRoles.orgId), eq(memberships.userId, membershipRoles.userId)))
    .where(and(eq(membershipRoles.orgId, orgId), eq(rolePermissions.permission, "payments.verify"), eq(memberships.isActive, true)));
  return rows.map((row) => row.userId);
}

export async function listPayments(ctx: Ctx, projectId: string): Promise<PaymentView[]> {
  const project = await findVisibleProject(ctx, projectId);
  authorize(ctx.actor, projectPolicy, "viewPayments", projectSubject(project));
  const rows = await selectPayments(ctx.tx)
    .where(and(eq(payments.orgId, project.project.orgId), eq(payments.projectId, projectId)))
    .orderBy(desc(payments.paidOn), desc(payments.createdAt));
  return rows.map((row) => present(ctx, project, row));
}

/** Sales records a payment: pending until a verifier decides. */
export async function recordPayment(
  ctx: Ctx,
  projectId: string,
  input: { amount: string; method: (typeof PAYMENT_METHODS)[number]; reference?: string; paidOn?: string },
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
  await refreshPaymentStatus(ctx.tx, orgId, projectId);
  await recordAudit(ctx, {
    orgId,
    action: "payment.submitted",
    entityType: "payment",
    entityId: payment.id,
    changes: { projectId: [null, projectId], amount: [null, input.amount], method: [null, input.method], status: [null, "pending"] },
  });
  await emitEvent(ctx, {
    name: "payment.submitted",
    orgId,
    recipients: (await verifiersOf(ctx.tx, orgId)).filter((id) => id !== actor.userId),
    data: { paymentId: payment.id, projectId, projectKey: project.project.key, amount: input.amount, currency: project.project.currency },
  });
  return getPaymentIn(ctx, project, payment.id);
}

async function getPaymentIn(ctx: Ctx, project: ProjectRow, paymentId: string): Promise<PaymentView> {
  const [row] = await selectPayments(ctx.tx).where(and(eq(payments.orgId, project.project.orgId), eq(payments.id, paymentId)));
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
  await ctx.tx
    .update(payments)
    .set({ status, verifiedById: actor.userId, verifiedAt: new Date(), note: input.note ?? "", updatedAt: new Date() })
    .where(and(eq(payments.orgId, orgId), eq(payments.id, paymentId)));
  const projectStatus = await refreshPaymentStatus(ctx.tx, orgId, project.project.id);
  const name = status === "approved" ? "payment.verified" : "payment.rejected";
  await recordAudit(ctx, {
    orgId,
    action: name,
    entityType: "payment",
    entityId: paymentId,
    changes: { status: ["pending", status], note: [null, input.note ?? ""], projectPaymentStatus: [project.project.paymentStatus, projectStatus] },
  });
  const concerned = new Set([payment.recordedById, project.project.ownerId, project.project.managerId]);
  concerned.delete(actor.userId);
  await emitEvent(ctx, {
    name,
    orgId,
    recipients: [...concerned].filter((id): id is string => id !== null),
    data: { paymentId, projectId: project.project.id, projectKey: project.project.key, amount: payment.amount, currency: payment.currency, note: input.note ?? "" },
  });
  return getPaymentIn(ctx, project, paymentId);
}
