import { sql, type Column, type SQL } from "drizzle-orm";

/**
 * Projects point at clients, and the clients module must not know the projects module
 * (it sits below it). The module that references clients tells this one how to count its
 * rows per client: the count is shown on every client and keeps a referenced client from
 * being deleted. Registered once, from that module's index.ts.
 */
export type ClientProjectCounter = (clientId: Column) => SQL<number>;

let counter: ClientProjectCounter | null = null;

export function countClientProjectsWith(count: ClientProjectCounter): void {
  counter = count;
}

/** The number of projects of the client in `clientId`, as a SQL expression (0 while nothing counts them). */
export function clientProjectCount(clientId: Column): SQL<number> {
  return counter ? counter(clientId) : sql<number>`0`;
}
