import { sql } from "drizzle-orm";
import { foreignKey, index, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
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
    /** Manages the team (teams.manage with scope `own` reaches exactly these teams). */
    managerId: uuid("manager_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("teams_org_name_key").on(table.orgId, sql`lower(${table.name})`),
    index("teams_manager_idx").on(table.managerId),
  ],
);

/** Members of a team; the foreign key to memberships keeps them inside the team's organization. */
export const teamMembers = pgTable(
  "team_members",
  {
    orgId: uuid("org_id").notNull(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
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
  ],
);
