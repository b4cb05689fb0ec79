import { sql } from "drizzle-orm";
import { foreignKey, index, pgTable, primaryKey, text, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.js";
import { memberships, organizations } from "../access/tenancy.table.js";

/** A team of an organization: a manager and members. Only they and admins see it. */
export const teams = pgTable(
  "teams",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Manages the team (teams.manage with scope `own` reaches exactly these teams): a member of its organization. */
    managerId: uuid("manager_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    /** What `(org_id, team_id)` references point at: a reference can never leave the organization. */
    unique("teams_org_id_id_key").on(table.orgId, table.id),
    // ON DELETE SET NULL ("manager_id") in the migration (ADR 0007): the team stays in its organization.
    foreignKey({ columns: [table.orgId, table.managerId], foreignColumns: [memberships.orgId, memberships.userId], name: "teams_manager_membership_fk" }).onDelete("set null"),
    uniqueIndex("teams_org_name_key").on(table.orgId, sql`lower(${table.name})`),
    index("teams_manager_idx").on(table.managerId),
  ],
);

/** Members of a team; the composite foreign keys keep them and their team inside one organization. */
export const teamMembers = pgTable(
  "team_members",
  {
    orgId: uuid("org_id").notNull(),
    teamId: uuid("team_id").notNull(),
    userId: uuid("user_id").notNull(),
    addedAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.teamId, table.userId] }),
    index("team_members_user_idx").on(table.userId),
    foreignKey({
      columns: [table.orgId, table.userId],
      foreignColumns: [memberships.orgId, memberships.userId],
      name: "team_members_membership_fk",
    }).onDelete("cascade"),
    foreignKey({ columns: [table.orgId, table.teamId], foreignColumns: [teams.orgId, teams.id], name: "team_members_team_fk" }).onDelete("cascade"),
  ],
);
