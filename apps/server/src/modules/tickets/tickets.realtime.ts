import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import type { UserActor } from "../../platform/access/actor.js";
import { allowedActions, can } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import type { Services } from "../../platform/services.js";
import { membershipRoles, memberships, rolePermissions } from "../access/index.js";
import { ticketPolicy } from "./tickets.policy.js";
import { presentTicket, ticketSubject, type TicketRow } from "./tickets.queries.js";

/**
 * Live updates of tickets: `ticket.updated` (with the ticket as each receiver
 * may see it) goes to exactly the users who may see the ticket, on every
 * instance. The candidates are the people the ticket names (reporter,
 * assignee, the project's owner and manager, the client's customer) and the
 * holders of tickets.manage over the whole organization; each is judged by
 * the ticket policy with their own permissions.
 */

/** Holders of tickets.manage of scope `all` in each organization (one query for many tickets). */
async function handlersByOrg(db: Db, orgIds: string[]): Promise<Map<string, string[]>> {
  const byOrg = new Map<string, string[]>(orgIds.map((orgId) => [orgId, []]));
  if (!orgIds.length) return byOrg;
  const rows = await db
    .selectDistinct({ orgId: membershipRoles.orgId, userId: membershipRoles.userId })
    .from(membershipRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, membershipRoles.roleId))
    .innerJoin(memberships, and(eq(memberships.orgId, membershipRoles.orgId), eq(memberships.userId, membershipRoles.userId)))
    .where(and(inArray(membershipRoles.orgId, orgIds), eq(memberships.isActive, true), eq(rolePermissions.permission, "tickets.manage"), eq(rolePermissions.scope, "all")));
  for (const row of rows) byOrg.get(row.orgId)?.push(row.userId);
  return byOrg;
}

/**
 * Sends each ticket to each user who may see it, as they may see it. The candidates' principals are
 * read in one round trip for all the tickets, and the receivers of a ticket who see it alike (the same
 * allowed actions: the rest of the view is the ticket's own) get one message, encoded once.
 */
export async function pushTickets(services: Services, rows: TicketRow[]): Promise<void> {
  if (!rows.length) return;
  const handlers = await handlersByOrg(services.database.db, [...new Set(rows.map((row) => row.ticket.orgId))]);
  const candidatesOf = rows.map((row) => {
    const { ticket } = row;
    const named = [ticket.reporterId, ticket.assigneeId, row.project.ownerId, row.project.managerId, row.customerUserId];
    return [...new Set([...named.filter((id): id is string => id !== null), ...(handlers.get(ticket.orgId) ?? [])])];
  });
  const everyone = [...new Set(candidatesOf.flat())];
  const principals = await services.principals.getMany(everyone);
  const actors = new Map<string, UserActor>();
  for (const [index, userId] of everyone.entries()) {
    const principal = principals[index];
    if (principal?.isActive) actors.set(userId, { kind: "user", userId, username: principal.username, isSuperuser: principal.isSuperuser, sessionId: null, orgs: principal.orgs });
  }
  const sends: Array<Promise<void>> = [];
  for (const [index, row] of rows.entries()) {
    const { ticket } = row;
    const groups = new Map<string, { actor: UserActor; userIds: string[] }>();
    for (const userId of candidatesOf[index] ?? []) {
      const actor = actors.get(userId);
      if (!actor || !can(actor, ticketPolicy, "view", ticketSubject(row))) continue;
      const key = allowedActions(actor, ticketPolicy, ticketSubject(row)).join(" ");
      const group = groups.get(key);
      if (group) group.userIds.push(userId);
      else groups.set(key, { actor, userIds: [userId] });
    }
    for (const { actor, userIds } of groups.values()) {
      sends.push(services.realtime.toUsers(userIds, "ticket.updated", { id: ticket.id, projectId: ticket.projectId, ticket: presentTicket(actor, row) }));
    }
  }
  await Promise.all(sends);
}

/** After commit, each user who may see the ticket gets it (the audience is read outside the change's transaction). */
export function pushTicketUpdated(ctx: Ctx, row: TicketRow): void {
  const { services } = ctx;
  ctx.afterCommit(() => pushTickets(services, [row]));
}
