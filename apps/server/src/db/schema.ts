// Every table of every module, for Drizzle's typed client and drizzle-kit.
export * from "../modules/accounts/accounts.table.js";
export * from "../modules/orgs/orgs.table.js";
export * from "../modules/access/access.table.js";
export * from "../platform/audit/audit.table.js";
export { teams, teamMembers } from "../modules/teams/teams.table.js";
export { clients } from "../modules/clients/clients.table.js";
export { projects, projectMembers } from "../modules/projects/projects.table.js";
export { payments } from "../modules/projects/payments.table.js";
export { projectFiles } from "../modules/projects/files.table.js";
export * from "../modules/notifications/notifications.table.js";
