import type { CreateClientInput, UpdateClientInput } from "@cairn/shared";
import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.js";
import { allowedActions, authorize, requireUser } from "../../platform/access/engine.js";
import { assertOrgMember as assertMember, inMemberOrgs, likePattern, resolveOrgFilter, resolveTargetOrg } from "../../platform/access/org-scope.js";
import { listScope, requireListScope } from "../../platform/access/scope.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError } from "../../platform/errors.js";
import { parseOrdering, type Page, type PageQuery } from "../../platform/http/pagination.js";
import { findOrganization, memberships } from "../access/index.js";
import { users } from "../accounts/index.js";
import { clientProjectCount } from "./clients.references.js";
import { clientPolicy } from "./clients.policy.js";
import { clients } from "./clients.table.js";

export type ClientView = {
  id: string;
  orgId: string;
  name: string;
  company: string;
  contactEmail: string | null;
  phone: string | null;
  notes: string;
  salespersonId: string | null;
  customerUserId: string | null;
  salesperson: { id: string; username: string } | null;
  customer: { id: string; username: string } | null;
  projectCount: number;
  createdAt: Date;
  updatedAt: Date;
  allowedActions: string[];
};

const salesperson = alias(users, "client_salesperson");
const customer = alias(users, "client_customer");

const assertOrgMember = (tx: Tx, orgId: string, userId: string, path: string) => assertMember(tx, { memberships, users }, orgId, userId, path);

function selectClients(tx: Tx) {
  return tx
    .select({
      client: clients,
      salespersonUsername: salesperson.username,
      customerUsername: customer.username,
      projectCount: clientProjectCount(clients.id),
    })
    .from(clients)
    .leftJoin(salesperson, eq(salesperson.id, clients.salespersonId))
    .leftJoin(customer, eq(customer.id, clients.customerUserId));
}

type ClientRow = Awaited<ReturnType<ReturnType<typeof selectClients>["where"]>>[number];

function present(ctx: Ctx, row: ClientRow): ClientView {
  const { client } = row;
  return {
    ...client,
    salesperson: client.salespersonId && row.salespersonUsername ? { id: client.salespersonId, username: row.salespersonUsername } : null,
    customer: client.customerUserId && row.customerUsername ? { id: client.customerUserId, username: row.customerUsername } : null,
    projectCount: row.projectCount,
    // A client with projects stays (deleteClient): no delete offered while it has any.
    allowedActions: allowedActions(ctx.actor, clientPolicy, client).filter(
      (action) => action !== "create" && !(action === "delete" && row.projectCount > 0),
    ),
  };
}

/** A client of one of the caller's organizations; any other id is a 404. */
async function findClient(ctx: Ctx, clientId: string): Promise<ClientRow> {
  const [row] = await selectClients(ctx.tx).where(and(eq(clients.id, clientId), inMemberOrgs(requireUser(ctx.actor), clients.orgId)));
  if (!row) throw new NotFoundError("client");
  return row;
}

export async function getClient(ctx: Ctx, clientId: string): Promise<ClientView> {
  const row = await findClient(ctx, clientId);
  authorize(ctx.actor, clientPolicy, "view", row.client);
  return present(ctx, row);
}

export type ClientQuery = PageQuery & { search?: string; org?: string; salesperson?: string; customer?: string; ordering?: string };

export async function listClients(ctx: Ctx, query: ClientQuery): Promise<Page<ClientView>> {
  const actor = requireUser(ctx.actor);
  const conditions: SQL[] = [listScope(actor, clientPolicy, "view", clients)];
  const orgId = query.org ? await resolveOrgFilter(ctx, query.org, findOrganization) : undefined;
  // Nothing the caller could see (anywhere, or in ?org=) is a 403 naming clients.view.
  requireListScope(actor, clientPolicy, "view", orgId);
  if (orgId) conditions.push(eq(clients.orgId, orgId));
  if (query.search) {
    const pattern = likePattern(query.search);
    conditions.push(sql`(${clients.name} ilike ${pattern} or ${clients.company} ilike ${pattern})`);
  }
  if (query.salesperson) conditions.push(eq(clients.salespersonId, query.salesperson));
  if (query.customer) conditions.push(eq(clients.customerUserId, query.customer));
  const where = and(...conditions);
  const ordering = parseOrdering(query.ordering);
  const column = ordering?.field === "createdAt" ? clients.createdAt : sql`lower(${clients.name})`;
  const [total] = await ctx.tx.select({ value: count() }).from(clients).where(where);
  const rows = await selectClients(ctx.tx)
    .where(where)
    .orderBy(ordering?.descending ? desc(column) : asc(column), asc(clients.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return { items: rows.map((row) => present(ctx, row)), page: query.page, pageSize: query.pageSize, total: total?.value ?? 0 };
}

export type ClientInput = CreateClientInput;

async function checkPeople(tx: Tx, orgId: string, input: Pick<ClientInput, "salespersonId" | "customerUserId">): Promise<void> {
  if (input.salespersonId) await assertOrgMember(tx, orgId, input.salespersonId, "salespersonId");
  if (input.customerUserId) await assertOrgMember(tx, orgId, input.customerUserId, "customerUserId");
}

/** Sales brings a client: the salesperson is the caller unless someone else is named. */
export async function createClient(ctx: Ctx, input: ClientInput): Promise<ClientView> {
  const actor = requireUser(ctx.actor);
  const orgId = await resolveTargetOrg(ctx, input.orgId, findOrganization);
  authorize(ctx.actor, clientPolicy, "create", { orgId });
  const isMember = actor.orgs.some((org) => org.orgId === orgId);
  const values = {
    orgId,
    name: input.name,
    company: input.company ?? "",
    contactEmail: input.contactEmail ?? null,
    phone: input.phone ?? null,
    notes: input.notes ?? "",
    salespersonId: input.salespersonId === undefined ? (isMember ? actor.userId : null) : input.salespersonId,
    customerUserId: input.customerUserId ?? null,
  };
  await checkPeople(ctx.tx, orgId, values);
  const [client] = await ctx.tx.insert(clients).values(values).returning({ id: clients.id });
  if (!client) throw new Error("client insert returned nothing");
  const { orgId: _org, ...fields } = values;
  await recordAudit(ctx, {
    orgId,
    action: "client.created",
    entityType: "client",
    entityId: client.id,
    changes: Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, [null, value]])),
  });
  return getClient(ctx, client.id);
}

export async function updateClient(ctx: Ctx, clientId: string, patch: UpdateClientInput): Promise<ClientView> {
  const { client: before } = await findClient(ctx, clientId);
  authorize(ctx.actor, clientPolicy, "update", before);
  await checkPeople(ctx.tx, before.orgId, patch);
  const changes = diff(before, patch);
  if (Object.keys(changes).length) {
    await ctx.tx
      .update(clients)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(clients.orgId, before.orgId), eq(clients.id, clientId)));
    await recordAudit(ctx, { orgId: before.orgId, action: "client.updated", entityType: "client", entityId: clientId, changes });
  }
  return getClient(ctx, clientId);
}

/** A client with projects stays: its projects' history and financials point at it. */
export async function deleteClient(ctx: Ctx, clientId: string): Promise<void> {
  const row = await findClient(ctx, clientId);
  authorize(ctx.actor, clientPolicy, "delete", row.client);
  if (row.projectCount > 0) {
    throw new ConflictError(`${row.client.name} has ${row.projectCount} project(s); move or delete them first.`, "client_has_projects");
  }
  await ctx.tx.delete(clients).where(and(eq(clients.orgId, row.client.orgId), eq(clients.id, clientId)));
  await recordAudit(ctx, { orgId: row.client.orgId, action: "client.deleted", entityType: "client", entityId: clientId, changes: { name: [row.client.name, null] } });
}
