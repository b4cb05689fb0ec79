import { actAs, buildClient, buildProject } from "../../../test/factories.js";
import { ALL_ROLES, runMatrix, type Caller, type MatrixFixture, type MatrixUser } from "../../../test/matrix.js";
import { matrixCallers, multipart, perCaller, PNG } from "../projects/fixtures.test-util.js";
import { addTicketComment, createTicket } from "./tickets.service.js";

/**
 * Every ticket endpoint × every default role, the superuser, an admin of
 * another organization (outsider) and nobody, as API.md "Support tickets" and
 * DESIGN.md's matrix say:
 * - project P belongs to the customer's client and is managed by the project
 *   manager; its ticket was reported by the customer;
 * - project Q has no client and another manager; its ticket was reported by
 *   support: only handlers of every project (admin, support, superuser) see it;
 * - tickets that a request uses up (closing, escalating, linking a task) are
 *   made once per caller on P.
 */

const SIGNED_IN: readonly Caller[] = [...ALL_ROLES, "superuser"];
/** tickets.manage of scope all (and the superuser): every ticket. */
const HANDLERS = ["admin", "support", "superuser"] as const satisfies readonly Caller[];
/** Who handles the tickets of P: the handlers and P's manager. */
const HANDLE_P = [...HANDLERS, "project_manager"] as const satisfies readonly Caller[];
/** Who sees the tickets of P: its handlers and the customer of its client. */
const SEE_P = [...HANDLE_P, "customer"] as const satisfies readonly Caller[];
/** tickets.add or tickets.manage: lists answer them. */
const LISTERS = SEE_P;

/** Each listed status for its callers, `otherwise` for the other signed-in callers of A, 404 for the outsider unless told, 401 for nobody. */
function outcome(listed: Record<number, readonly Caller[]>, otherwise: number, outsider = 404): Partial<Record<Caller, number>> {
  const result: Partial<Record<Caller, number>> = Object.fromEntries(SIGNED_IN.map((who) => [who, otherwise]));
  for (const [status, callers] of Object.entries(listed)) for (const who of callers) result[who] = Number(status);
  return { ...result, outsider, anonymous: 401 };
}

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const { t, orgA, users } = fx;
  const { admin, project_manager: manager, customer, support } = users;
  const data: Record<string, string> = {};
  const client = await buildClient(t, { orgId: orgA.id, name: "Acme", customerUserId: customer.id, by: admin });
  data.project = (await buildProject(t, { orgId: orgA.id, name: "Shop", key: "SHOP", clientId: client.id, managerId: manager.id, by: admin })).id;
  data.otherProject = (await buildProject(t, { orgId: orgA.id, name: "Internal", key: "INT", by: admin })).id;
  const ticket = async (by: MatrixUser, projectId: string, title: string) => (await actAs(t, by, (ctx) => createTicket(ctx, { projectId, title, severity: "high" }))).id;
  data.ticket = await ticket(customer, data.project, "Checkout fails");
  data.otherTicket = await ticket(support, data.otherProject, "Internal tool slow");
  data.publicComment = (await actAs(t, support, (ctx) => addTicketComment(ctx, data.ticket as string, { body: "We are on it." }))).id;
  data.internalNote = (await actAs(t, support, (ctx) => addTicketComment(ctx, data.ticket as string, { body: "Cache bug", internal: true }))).id;
  for (const [key] of matrixCallers(fx)) {
    data[`close:${key}`] = await ticket(customer, data.project, `Close for ${key}`);
    data[`escalate:${key}`] = await ticket(customer, data.project, `Escalate for ${key}`);
    data[`task:${key}`] = await ticket(customer, data.project, `Task for ${key}`);
  }
  return data;
}

const id = (fx: MatrixFixture, name: string) => fx.data[name] ?? "";
const each = (prefix: string) => (fx: MatrixFixture, caller: MatrixUser | null) => perCaller(fx, prefix, caller);

const SLA = {
  timezone: "Europe/Berlin",
  businessHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" },
  targets: {
    critical: { firstResponseMinutes: 60, resolutionMinutes: 480 },
    high: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
    medium: { firstResponseMinutes: 480, resolutionMinutes: 4320 },
    low: { firstResponseMinutes: 1440, resolutionMinutes: 10080 },
  },
};

runMatrix(
  "ticket endpoints × roles",
  [
    {
      route: "GET /api/tickets",
      request: () => ({ method: "GET", url: "/api/tickets?pageSize=100" }),
      expect: outcome({ 200: LISTERS }, 403, 200),
    },
    {
      route: "GET /api/tickets",
      name: "GET /api/tickets?org=A&sla=breached (narrowed to organization A)",
      request: (fx) => ({ method: "GET", url: `/api/tickets?org=${fx.orgA.slug}&sla=breached&status=open&ordering=-severity` }),
      expect: outcome({ 200: LISTERS }, 403),
    },
    {
      route: "POST /api/tickets",
      name: "POST /api/tickets on P (the customer's client's project)",
      request: (fx) => ({ method: "POST", url: "/api/tickets", payload: { projectId: id(fx, "project"), title: "It broke", severity: "medium" } }),
      expect: outcome({ 201: [...SEE_P] }, 403),
    },
    {
      route: "POST /api/tickets",
      name: "POST /api/tickets on Q (another client's project: a 404 to the customer)",
      request: (fx) => ({ method: "POST", url: "/api/tickets", payload: { projectId: id(fx, "otherProject"), title: "It broke", severity: "low" } }),
      expect: outcome({ 201: HANDLE_P, 404: ["customer"] }, 403),
    },
    {
      route: "GET /api/tickets/{id}",
      request: (fx) => ({ method: "GET", url: `/api/tickets/${id(fx, "ticket")}` }),
      expect: outcome({ 200: SEE_P }, 404),
    },
    {
      route: "GET /api/tickets/{id}",
      name: "GET /api/tickets/{id} (a ticket of Q: handlers of every project only)",
      request: (fx) => ({ method: "GET", url: `/api/tickets/${id(fx, "otherTicket")}` }),
      expect: outcome({ 200: HANDLERS }, 404),
    },
    {
      route: "PATCH /api/tickets/{id}",
      request: (fx) => ({ method: "PATCH", url: `/api/tickets/${id(fx, "ticket")}`, payload: { severity: "critical", status: "in_progress" } }),
      expect: outcome({ 200: HANDLE_P, 403: ["customer"] }, 404),
    },
    {
      route: "PATCH /api/tickets/{id}",
      name: "PATCH /api/tickets/{id} {status: closed} (the reporter closes their own)",
      request: (fx, caller) => ({ method: "PATCH", url: `/api/tickets/${each("close")(fx, caller)}`, payload: { status: "closed" } }),
      expect: outcome({ 200: SEE_P }, 404),
    },
    {
      route: "GET /api/tickets/{id}/comments",
      request: (fx) => ({ method: "GET", url: `/api/tickets/${id(fx, "ticket")}/comments` }),
      expect: outcome({ 200: SEE_P }, 404),
    },
    {
      route: "POST /api/tickets/{id}/comments",
      request: (fx) => ({ method: "POST", url: `/api/tickets/${id(fx, "ticket")}/comments`, payload: { body: "Any news?" } }),
      expect: outcome({ 201: SEE_P }, 404),
    },
    {
      route: "POST /api/tickets/{id}/comments",
      name: "POST /api/tickets/{id}/comments {internal: true} (handlers only)",
      request: (fx) => ({ method: "POST", url: `/api/tickets/${id(fx, "ticket")}/comments`, payload: { body: "Between us", internal: true } }),
      expect: outcome({ 201: HANDLE_P, 403: ["customer"] }, 404),
    },
    {
      route: "POST /api/tickets/{id}/escalate",
      request: (fx, caller) => ({ method: "POST", url: `/api/tickets/${each("escalate")(fx, caller)}/escalate` }),
      expect: outcome({ 200: HANDLE_P, 403: ["customer"] }, 404),
    },
    {
      route: "POST /api/tickets/{id}/task",
      name: "POST /api/tickets/{id}/task (tasks.manage on the project)",
      request: (fx, caller) => ({ method: "POST", url: `/api/tickets/${each("task")(fx, caller)}/task` }),
      expect: outcome({ 201: ["admin", "project_manager", "superuser"], 403: ["support", "customer"] }, 404),
    },
    {
      route: "GET /api/tickets/{id}/attachments",
      request: (fx) => ({ method: "GET", url: `/api/tickets/${id(fx, "ticket")}/attachments` }),
      expect: outcome({ 200: SEE_P }, 404),
    },
    {
      route: "POST /api/tickets/{id}/attachments",
      request: (fx) => ({ method: "POST", url: `/api/tickets/${id(fx, "ticket")}/attachments`, ...multipart("screen.png", PNG) }),
      expect: outcome({ 201: SEE_P }, 404),
    },
    {
      route: "GET /api/ticket-comments/{id}/attachments",
      request: (fx) => ({ method: "GET", url: `/api/ticket-comments/${id(fx, "publicComment")}/attachments` }),
      expect: outcome({ 200: SEE_P }, 404),
    },
    {
      route: "GET /api/ticket-comments/{id}/attachments",
      name: "GET /api/ticket-comments/{id}/attachments (an internal note's: not for the customer)",
      request: (fx) => ({ method: "GET", url: `/api/ticket-comments/${id(fx, "internalNote")}/attachments` }),
      expect: outcome({ 200: HANDLE_P }, 404),
    },
    {
      route: "POST /api/ticket-comments/{id}/attachments",
      name: "POST /api/ticket-comments/{id}/attachments (support's answer: its author and handlers)",
      request: (fx) => ({ method: "POST", url: `/api/ticket-comments/${id(fx, "publicComment")}/attachments`, ...multipart("log.png", PNG) }),
      expect: outcome({ 201: HANDLE_P, 403: ["customer"] }, 404),
    },
    {
      route: "GET /api/orgs/{org}/sla",
      request: (fx) => ({ method: "GET", url: `/api/orgs/${fx.orgA.slug}/sla` }),
      expect: outcome({ 200: ["admin", "project_manager", "salesperson", "verifier", "support", "superuser"] }, 403),
    },
    {
      route: "PUT /api/orgs/{org}/sla",
      request: (fx) => ({ method: "PUT", url: `/api/orgs/${fx.orgA.slug}/sla`, payload: SLA }),
      expect: outcome({ 200: ["admin", "superuser"] }, 403),
    },
  ],
  setup,
);
