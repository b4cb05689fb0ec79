import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import type { auditLog } from "../../platform/audit/audit.table.js";
import { roles } from "../access/index.js";
import { users } from "../accounts/index.js";
import { clients } from "../clients/index.js";
import { payments, projects } from "../projects/index.js";
import { teams } from "../teams/index.js";
import { recordedProjectId } from "./audit.policy.js";

/*
 * An entry stores ids (the log is append-only: names change, ids do not). Readers want the story
 * in words, so a page of entries comes with the names those ids have now: the project an entry is
 * about, the entity's own name, and the people its changes name. Something deleted since has no
 * name here; its entries usually carry the old one in their changes (`name: [before, null]`).
 */

type Row = typeof auditLog.$inferSelect;

export type EntryNames = {
  /** The project the entry is about: itself, or a payment's (withdrawn payments included). */
  project: { id: string; name: string } | null;
  /** The entity's name as it is now: a client's, a team's, a role's, or a member's username. */
  entityName: string | null;
  /** Usernames of the people the changes name by id (a member added, a new manager). */
  people: Record<string, string>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isId = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

/** The entity types whose id is a user's. */
const PERSON_ENTITIES = new Set(["member", "profile", "user"]);

/** Every id among the values of an entry's changes, arrays (a team's members) included. */
function idsInChanges(changes: Row["changes"]): string[] {
  const values = Object.values(changes).flat();
  return values.flatMap((value) => (Array.isArray(value) ? value.filter(isId) : isId(value) ? [value] : []));
}

/** The project id a payment entry recorded (`projectId` in its changes). */
function recordedProject(row: Row): string | null {
  const recorded = row.changes.projectId;
  if (!recorded) return null;
  return [recorded[1], recorded[0]].find(isId) ?? null;
}

const idsOf = (rows: Row[], type: string) =>
  [...new Set(rows.filter((row) => row.entityType === type && isId(row.entityId)).map((row) => row.entityId as string))];

/** `id → name` for the ids a query is given; no query when there is nothing to look up. */
async function lookup(ids: Iterable<string>, query: (ids: string[]) => Promise<Array<{ id: string; name: string }>>) {
  const wanted = [...new Set(ids)];
  return new Map((wanted.length ? await query(wanted) : []).map((row) => [row.id, row.name]));
}

/** The names of a page of entries, in its order: a handful of queries whatever its size. */
export async function nameEntries(tx: Tx, rows: Row[]): Promise<EntryNames[]> {
  const orgIds = [...new Set(rows.flatMap((row) => (row.orgId ? [row.orgId] : [])))];
  if (!orgIds.length) return rows.map(() => ({ project: null, entityName: null, people: {} }));
  const paymentIds = idsOf(rows, "payment");
  const paymentProjects = await lookup(paymentIds, (ids) =>
    tx
      .select({ id: payments.id, name: payments.projectId })
      .from(payments)
      .where(and(inArray(payments.id, ids), inArray(payments.orgId, orgIds))),
  );
  const projectOf = (row: Row): string | null => {
    if (row.entityType === "project") return isId(row.entityId) ? row.entityId : null;
    if (row.entityType === "payment") return paymentProjects.get(row.entityId ?? "") ?? recordedProject(row);
    return null;
  };
  const [projectNames, clientNames, teamNames, roleNames, usernames] = await Promise.all([
    lookup(
      rows.flatMap((row) => projectOf(row) ?? []),
      (ids) =>
        tx
          .select({ id: projects.id, name: projects.name })
          .from(projects)
          .where(and(inArray(projects.id, ids), inArray(projects.orgId, orgIds))),
    ),
    lookup(idsOf(rows, "client"), (ids) =>
      tx.select({ id: clients.id, name: clients.name }).from(clients).where(and(inArray(clients.id, ids), inArray(clients.orgId, orgIds))),
    ),
    lookup(idsOf(rows, "team"), (ids) =>
      tx.select({ id: teams.id, name: teams.name }).from(teams).where(and(inArray(teams.id, ids), inArray(teams.orgId, orgIds))),
    ),
    lookup(idsOf(rows, "role"), (ids) =>
      tx.select({ id: roles.id, name: roles.name }).from(roles).where(and(inArray(roles.id, ids), inArray(roles.orgId, orgIds))),
    ),
    lookup(
      rows.flatMap((row) => [...idsInChanges(row.changes), ...(PERSON_ENTITIES.has(row.entityType) && isId(row.entityId) ? [row.entityId] : [])]),
      (ids) => tx.select({ id: users.id, name: users.username }).from(users).where(inArray(users.id, ids)),
    ),
  ]);
  const entityNames: Record<string, Map<string, string>> = { project: projectNames, client: clientNames, team: teamNames, role: roleNames };
  return rows.map((row) => {
    const projectId = projectOf(row);
    const projectName = projectId ? projectNames.get(projectId) : undefined;
    const entityId = row.entityId ?? "";
    const people = Object.fromEntries(idsInChanges(row.changes).flatMap((id) => {
      const name = usernames.get(id);
      return name ? [[id, name]] : [];
    }));
    return {
      project: projectId && projectName !== undefined ? { id: projectId, name: projectName } : null,
      entityName: (PERSON_ENTITIES.has(row.entityType) ? usernames : entityNames[row.entityType])?.get(entityId) ?? null,
      people,
    };
  });
}

/** Entries about a project: the project itself (fields, members, status, files) and its payments, withdrawn ones included. */
export function aboutProject(a: typeof auditLog, projectId: string): SQL {
  const about = or(
    and(eq(a.entityType, "project"), eq(a.entityId, projectId)),
    and(
      eq(a.entityType, "payment"),
      or(
        sql`${a.entityId} in (select ${payments.id}::text from ${payments} where ${payments.projectId} = ${projectId})`,
        sql`${recordedProjectId(a)} = ${projectId}`,
      ),
    ),
  );
  return about ?? sql`false`;
}
