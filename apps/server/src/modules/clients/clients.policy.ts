import { sql } from "drizzle-orm";
import { definePolicy, fact, requires, type Scoped, type ScopedRule } from "../../platform/access/engine.js";
import type { clients } from "./clients.table.js";

export type ClientSubject = Scoped & { salespersonId: string | null };

/** The columns of `clients` the rules' SQL reads: lists pass the table itself. */
export type ClientColumns = Pick<typeof clients, "orgId" | "salespersonId">;

/** "Own clients": the caller is the client's salesperson. */
const sells: ScopedRule<ClientSubject, ClientColumns> = fact(
  "salesperson",
  (actor, client) => client.salespersonId !== null && client.salespersonId === actor.userId,
  (c, me) => sql`${c.salespersonId} = ${me}`,
);

/**
 * Staff see clients (clients.view of scope `own`: those they sell to); sales
 * and admins manage them. `view` also scopes the list of clients.
 */
export const clientPolicy = definePolicy<
  { view: ClientSubject; create: Scoped; update: ClientSubject; delete: ClientSubject },
  { view: ClientColumns }
>("client", {
  view: requires("clients.view", sells),
  create: requires("clients.manage"),
  update: requires("clients.manage"),
  delete: requires("clients.manage"),
});
