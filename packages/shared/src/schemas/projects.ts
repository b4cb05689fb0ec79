import { z } from "zod";
import { isoDate } from "./common.js";
import { moneyInput, toCents } from "./money.js";

/**
 * Shapes of the projects API (projects, their people, payments) that the server
 * validates and documents and the web forms check before sending. The server's
 * tables take the `as const` arrays as their enums.
 */

export const PROJECT_STATUSES = ["planning", "active", "on_hold", "completed", "cancelled"] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

/**
 * Where a project may move from each status (a status may always be "changed" to itself, a no-op).
 * The server enforces it; the web shows the moves the API lists in `statusTransitions`.
 */
export const PROJECT_STATUS_TRANSITIONS: Readonly<Record<ProjectStatus, readonly ProjectStatus[]>> = {
  planning: ["active", "on_hold", "cancelled"],
  active: ["on_hold", "completed", "cancelled"],
  on_hold: ["active", "cancelled"],
  completed: ["active"],
  cancelled: ["planning"],
};

/** What GET /api/projects orders by (`?ordering=field` or `-field`). */
export const PROJECT_ORDERINGS = ["name", "createdAt", "dueDate"] as const;

export const PROJECT_PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export type ProjectPriority = (typeof PROJECT_PRIORITIES)[number];

/** `organization`: every member with projects.view; `team`: the team, its manager, the project's people and admins. */
export const PROJECT_VISIBILITIES = ["organization", "team"] as const;
export type ProjectVisibility = (typeof PROJECT_VISIBILITIES)[number];

export const PROJECT_MEMBER_ROLES = ["owner", "manager", "lead", "member", "reviewer"] as const;
export type ProjectMemberRole = (typeof PROJECT_MEMBER_ROLES)[number];

/**
 * A project's payment status, from the approved total against the net price
 * (API.md): `pending` is "nothing approved yet, something waiting", and only
 * callers who see all of a project's money ever get it.
 */
export const PAYMENT_STATUSES = ["unpaid", "pending", "partly_paid", "paid", "overpaid"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_METHODS = ["bank_transfer", "card", "cash", "cheque", "other"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** One payment's state: waiting for a verifier, then approved or rejected. */
export const PAYMENT_DECISIONS = ["pending", "approved", "rejected"] as const;
export type PaymentDecision = (typeof PAYMENT_DECISIONS)[number];

/** What a verifier answers in POST /api/payments/{id}/verify. */
export const PAYMENT_VERDICTS = ["approve", "reject"] as const;
export type PaymentVerdict = (typeof PAYMENT_VERDICTS)[number];

/** The writable fields of a project, each as POST and PATCH /api/projects take it. */
export const projectFields = {
  name: z.string().trim().min(2, "At least 2 characters.").max(120, "At most 120 characters."),
  key: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z0-9]{1,9}$/, "2 to 10 letters or digits, starting with a letter, e.g. WEB."),
  description: z.string().max(10_000, "At most 10,000 characters."),
  clientId: z.uuid().nullable(),
  teamId: z.uuid().nullable(),
  managerId: z.uuid().nullable(),
  visibility: z.enum(PROJECT_VISIBILITIES),
  priority: z.enum(PROJECT_PRIORITIES),
  cost: moneyInput,
  discount: moneyInput,
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "A three-letter ISO 4217 code, e.g. USD."),
  startDate: isoDate().nullable(),
  dueDate: isoDate().nullable(),
};

/** POST /api/projects. */
export const createProjectInput = z.object(projectFields).partial().extend({
  orgId: z
    .string()
    .max(64)
    .optional()
    .describe("Optional when the caller belongs to exactly one organization"),
  name: projectFields.name,
  key: projectFields.key.optional().describe("Derived from the name when left out"),
});
export type CreateProjectInput = z.output<typeof createProjectInput>;

/** PATCH /api/projects/{id}: any writable field; null clears a reference or a date. */
export const updateProjectInput = z
  .object(projectFields)
  .partial()
  .extend({ archived: z.boolean().optional() })
  .strict();
export type UpdateProjectInput = z.output<typeof updateProjectInput>;

/**
 * The rules between a project's fields: the discount never above the cost, the due date never
 * before the start, a team project needs a team. The server checks the stored values merged with
 * a change; a form checks what it holds. Amounts must already match the money pattern.
 */
export function projectFieldProblems(values: {
  cost: string;
  discount: string;
  startDate: string | null;
  dueDate: string | null;
  visibility: string;
  teamId: string | null;
}): Array<{ path: "discount" | "dueDate" | "teamId"; message: string }> {
  const problems: Array<{ path: "discount" | "dueDate" | "teamId"; message: string }> = [];
  if (toCents(values.discount) > toCents(values.cost)) {
    problems.push({ path: "discount", message: `The discount cannot be above the cost (${values.cost}).` });
  }
  if (values.startDate && values.dueDate && values.dueDate < values.startDate) {
    problems.push({ path: "dueDate", message: "The due date cannot be before the start date." });
  }
  if (values.visibility === "team" && !values.teamId) {
    problems.push({ path: "teamId", message: "A project visible to a team needs a team." });
  }
  return problems;
}

/** PATCH /api/projects/{id}/status. */
export const projectStatusInput = z.object({ status: z.enum(PROJECT_STATUSES) });

/** POST /api/projects/{id}/members. */
export const addProjectMemberInput = z.object({
  userId: z.uuid(),
  role: z.enum(PROJECT_MEMBER_ROLES).optional(),
});
export type AddProjectMemberInput = z.output<typeof addProjectMemberInput>;

/** PATCH /api/projects/{id}/members/{userId}. */
export const updateProjectMemberInput = z.object({ role: z.enum(PROJECT_MEMBER_ROLES) });

/** POST /api/projects/{id}/payments. */
export const createPaymentInput = z.object({
  amount: moneyInput.refine((value) => value !== "0.00", "A payment is more than zero."),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().trim().max(200, "At most 200 characters.").optional(),
  paidOn: isoDate().optional().describe("Defaults to today"),
});
export type CreatePaymentInput = z.output<typeof createPaymentInput>;

/** POST /api/payments/{id}/verify. */
export const verifyPaymentInput = z.object({
  decision: z.enum(PAYMENT_VERDICTS),
  note: z.string().trim().max(2000, "At most 2,000 characters.").optional(),
});
export type VerifyPaymentInput = z.output<typeof verifyPaymentInput>;
