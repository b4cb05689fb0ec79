import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import type { UserActor } from "../../platform/access/actor.js";
import { can } from "../../platform/access/engine.js";
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

/** Sends each ticket to each user who may see it, as they may see it. */
export async function pushTickets(services: Services, rows: TicketRow[]): Promise<void> {
  if (!rows.length) return;
  const handlers = await handlersByOrg(services.database.db, [...new Set(rows.map((row) => row.ticket.orgId))]);
  const actors = new Map<string, UserActor | null>();
  const actorOf = async (userId: string): Promise<UserActor | null> => {
    if (!actors.has(userId)) {
      const principal = await services.principals.get(userId);
      actors.set(
        userId,
        principal?.isActive
          ? { kind: "user", userId, username: principal.username, isSuperuser: principal.isSuperuser, sessionId: null, orgs: principal.orgs }
          : null,
      );
    }
    return actors.get(userId) ?? null;
  };
  const sends: Array<Promise<void>> = [];
  for (const row of rows) {
    const { ticket } = row;
    const named = [ticket.reporterId, ticket.assigneeId, row.project.ownerId, row.project.managerId, row.customerUserId];
    const candidates = new Set([...named.filter((id): id is string => id !== null), ...(handlers.get(ticket.orgId) ?? [])]);
    for (const userId of candidates) {
      const actor = await actorOf(userId);
      if (!actor || !can(actor, ticketPolicy, "view", ticketSubject(row))) continue;
      sends.push(services.realtime.toUser(userId, "ticket.updated", { id: ticket.id, projectId: ticket.projectId, ticket: presentTicket(actor, row) }));
    }
  }
  await Promise.all(sends);
}

/** After commit, each user who may see the ticket gets it (the audience is read outside the change's transaction). */
export function pushTicketUpdated(ctx: Ctx, row: TicketRow): void {
  const { services } = ctx;
  ctx.afterCommit(() => pushTickets(services, [row]));
}
