import { definePolicy, requires, requiresOwn, type Scoped } from "../../platform/access/engine.js";

/** An audit entry as the rules see it: `ownProject` when it is about a project the caller owns or manages. */
export type AuditSubject = Scoped & { ownProject: boolean };

/** Admins read their organization's log; project managers (scope `own`) their projects' entries. */
export const auditPolicy = definePolicy<{ list: Scoped; view: AuditSubject }>("audit entry", {
  /** Reading the log at all: either scope will do; which entries come back is the list's filter. */
  list: requiresOwn("audit.view", () => true),
  view: requires("audit.view", (_actor, entry) => entry.ownProject),
});
