// Every table of every module, for Drizzle's typed client and drizzle-kit.
export * from "../modules/accounts/accounts.table.js";
export * from "../modules/orgs/orgs.table.js";
export * from "../modules/access/access.table.js";
export * from "../platform/audit/audit.table.js";
