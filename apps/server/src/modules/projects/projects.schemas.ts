import { PAYMENT_DECISIONS, PAYMENT_METHODS, PAYMENT_STATUSES, PROJECT_MEMBER_ROLES, PROJECT_PRIORITIES, PROJECT_STATUSES, PROJECT_VISIBILITIES } from "@cairn/shared";
import { z } from "zod";

/**
 * Responses of the projects API: one zod schema types and documents each. The payloads
 * (createProjectInput, createPaymentInput, …) are @cairn/shared's, which the web forms check too.
 */

const ref = z.object({ id: z.uuid(), name: z.string() });
const person = z.object({ id: z.uuid(), username: z.string() });
const money = z.string().regex(/^-?\d+\.\d{2}$/).describe('Exact decimal, e.g. "1250.00"');

export const projectOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    status: z.enum(PROJECT_STATUSES),
    priority: z.enum(PROJECT_PRIORITIES),
    visibility: z.enum(PROJECT_VISIBILITIES),
    clientId: z.uuid().nullable(),
    teamId: z.uuid().nullable(),
    ownerId: z.uuid().nullable(),
    managerId: z.uuid().nullable(),
    client: ref.nullable(),
    team: ref.nullable(),
    owner: person.nullable(),
    manager: person.nullable(),
    startDate: z.string().nullable(),
    dueDate: z.string().nullable(),
    archived: z.boolean(),
    memberCount: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
    cost: money
      .optional()
      .describe("This and the other financial fields only with projects.view_financials (or to the customer of the project's client); absent otherwise"),
    discount: money.optional(),
    netPrice: money.optional().describe("cost − discount, computed by the database"),
    currency: z.string().optional(),
    paymentStatus: z
      .enum(PAYMENT_STATUSES)
      .optional()
      .describe(
        "From the approved total against netPrice; `pending` = nothing approved, something waiting (never shown to the customer of the client, whose status counts approved money only). A financial field",
      ),
    paidAmount: money.optional().describe("Sum of approved payments"),
    amountPaid: money.optional().describe("The same as paidAmount (the web's name)"),
    statusTransitions: z.array(z.enum(PROJECT_STATUSES)).describe("Statuses the caller may move the project to"),
    allowedActions: z
      .array(z.string())
      .describe(
        "What the caller may do: update, changeStatus, delete, manageMembers, viewFinancials, viewPayments, addPayment, uploadFile, …; viewTeam and viewClient when the caller may open the project's team or clients (link them only then)",
      ),
  })
  .meta({ id: "Project" });

export const projectMemberOut = z
  .object({ userId: z.uuid(), username: z.string(), displayName: z.string(), role: z.enum(PROJECT_MEMBER_ROLES), addedAt: z.date() })
  .meta({ id: "ProjectMember" });

export const projectDetailOut = projectOut.extend({ members: z.array(projectMemberOut) }).meta({ id: "ProjectDetail" });

export const paymentOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    projectId: z.uuid(),
    amount: money,
    currency: z.string(),
    method: z.enum(PAYMENT_METHODS),
    reference: z.string(),
    paidOn: z.string(),
    status: z.enum(PAYMENT_DECISIONS),
    recordedById: z.uuid().nullable(),
    recordedBy: person.nullable(),
    verifiedById: z.uuid().nullable().optional().describe("Who verified: internal, absent for the customer of the project's client"),
    verifiedBy: person.nullable().optional().describe("Absent for the customer of the project's client"),
    verifiedAt: z.date().nullable(),
    note: z.string().optional().describe("The verifier's note: internal, absent for the customer of the project's client"),
    createdAt: z.date(),
    allowedActions: z.array(z.string()).describe("verify, withdraw (the recorder, while pending)"),
    project: z.object({ id: z.uuid(), key: z.string(), name: z.string() }).optional().describe("In GET /api/payments: the project it belongs to"),
    warning: z
      .string()
      .optional()
      .describe("When recording: the payment takes the project's approved and waiting total past its net price, by how much"),
  })
  .meta({ id: "Payment" });

export const paymentListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(PAYMENT_DECISIONS).optional().describe("The verifier's queue is ?status=pending"),
  project: z.uuid().optional(),
  client: z.uuid().optional().describe("Payments of this client's projects"),
  org: z.string().max(64).optional(),
  ordering: z.enum(["recordedAt", "-recordedAt", "amount", "-amount"]).default("-recordedAt"),
});
export type PaymentListQuery = z.output<typeof paymentListQuery>;

export const projectFileOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    projectId: z.uuid(),
    name: z.string().describe("The name it was uploaded with; metadata only"),
    contentType: z.string().describe("Detected from the content"),
    size: z.number().int(),
    uploadedById: z.uuid().nullable(),
    uploadedBy: person.nullable(),
    createdAt: z.date(),
    downloadUrl: z.string(),
    allowedActions: z.array(z.string()),
  })
  .meta({ id: "ProjectFile" });

export const projectStatisticsOut = z
  .object({
    projectId: z.uuid(),
    tasks: z.object({
      total: z.number().int(),
      byStatus: z.record(z.string(), z.number().int()),
      byPriority: z.record(z.string(), z.number().int()),
      overdue: z.number().int(),
    }),
    hoursLogged: z.number(),
    completionPercent: z.number(),
    members: z.number().int(),
    files: z.number().int(),
    daysLeft: z.number().int().nullable().describe("Days until the due date; negative when overdue"),
  })
  .meta({ id: "ProjectStatistics" });
