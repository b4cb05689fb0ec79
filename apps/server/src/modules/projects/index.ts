import { sql } from "drizzle-orm";
import { defineModule } from "../../platform/modules.js";
import { countClientProjectsWith } from "../clients/index.js";
import { filesRoutes } from "./files.routes.js";
import { projectAttachments } from "./files.service.js";
import { paymentsRoutes } from "./payments.routes.js";
import { payments } from "./payments.table.js";
import { paymentRejected, paymentSubmitted, paymentVerified, projectCreated, projectManagerAssigned, projectStatusChanged } from "./projects.events.js";
import { projectsRoutes } from "./projects.routes.js";
import { projectMembers, projects } from "./projects.table.js";

/** Projects with their members, finance (payments and their verification) and files. */
export const projectsModule = defineModule({
  name: "projects",
  routes: [
    { prefix: "/api/projects", plugin: projectsRoutes },
    { prefix: "/api", plugin: paymentsRoutes },
    { prefix: "/api", plugin: filesRoutes },
  ],
  tables: { projects, projectMembers, payments },
  attachmentOwners: [projectAttachments],
  events: [projectCreated, projectStatusChanged, projectManagerAssigned, paymentSubmitted, paymentVerified, paymentRejected],
});

// Clients show how many projects they have, and keep the ones that have some.
countClientProjectsWith((clientId) => sql<number>`(select count(*)::int from ${projects} where ${projects.clientId} = ${clientId})`);

// The public surface other modules use.
export { ownsOrManages, projectPolicy, view as seesProject, type ProjectColumns, type ProjectSubject } from "./projects.policy.js";
export { payments } from "./payments.table.js";
export { projectConditions } from "./projects.list.js";
export type { ProjectFilters } from "./projects.list.js";
export { findVisibleProject, presentProject, projectPeople, projectSubject, selectProjects, visibleProjects } from "./projects.queries.js";
export { addMemberRow } from "./members.service.js";
export { provideTaskStatistics, type TaskStatistics } from "./statistics.service.js";
export { projectListQuery } from "./projects.routes.js";
export { assertOrgMember, inMemberOrgs, likePattern, resolveOrgFilter, resolveTargetOrg } from "./org-scope.js";
export { projectMembers, projects } from "./projects.table.js";
export { projectManagerAssigned } from "./projects.events.js";
