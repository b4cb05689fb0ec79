import { definePolicy, requires, type Scoped } from "../../platform/access/engine.js";

export type ClientSubject = Scoped & { salespersonId: string | null };

/** Staff see clients; sales and admins manage them. */
export const clientPolicy = definePolicy<{ view: ClientSubject; create: Scoped; update: ClientSubject; delete: ClientSubject }>("client", {
  view: requires("clients.view"),
  create: requires("clients.manage"),
  update: requires("clients.manage"),
  delete: requires("clients.manage"),
});
