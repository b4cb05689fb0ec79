import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, primaryKey, text, unique, uniqueIndex, uuid, boolean } from "drizzle-orm/pg-core";
import { DEVELOPER_TRACKS } from "@cairn/shared";
import { createdAt, id, updatedAt } from "../../db/columns.js";
import { memberships, organizations } from "./tenancy.table.js";

/** A role is a group of permissions inside one organization (Django's Group, scoped to a tenant). */
export const roles = pgTable(
  "roles",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Default roles: their key is fixed and they cannot be deleted. */
    isSystem: boolean("is_system").notNull().default(false),
    /** How many projects a holder may belong to; null is no limit. */
    projectLimit: integer("project_limit"),
    /**
     * The role's place on the developer track (`unverified`, `verified`), null off it:
     * onboarding, /api/me and the directory read this, never the role's key.
     */
    developerTrack: text("developer_track", { enum: DEVELOPER_TRACKS }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("roles_org_key_key").on(table.orgId, table.key),
    /** What `(org_id, role_id)` references point at: a member holds roles of their own organization only. */
    unique("roles_org_id_id_key").on(table.orgId, table.id),
    check("roles_developer_track_check", sql`${table.developerTrack} in ('unverified', 'verified')`),
  ],
);

export const rolePermissions = pgTable(
  "role_permissions",
  {
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
    permission: text("permission").notNull(),
    /** `all` objects of the organization, or only the holder's `own`. */
    scope: text("scope", { enum: ["all", "own"] })
      .notNull()
      .default("all"),
  },
  (table) => [primaryKey({ columns: [table.roleId, table.permission] })],
);

/** A member may hold several roles of their organization; effective permissions are the union. */
export const membershipRoles = pgTable(
  "membership_roles",
  {
    orgId: uuid("org_id").notNull(),
    userId: uuid("user_id").notNull(),
    roleId: uuid("role_id").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.userId, table.roleId] }),
    index("membership_roles_role_idx").on(table.roleId),
    foreignKey({
      columns: [table.orgId, table.userId],
      foreignColumns: [memberships.orgId, memberships.userId],
      name: "membership_roles_membership_fk",
    }).onDelete("cascade"),
    foreignKey({ columns: [table.orgId, table.roleId], foreignColumns: [roles.orgId, roles.id], name: "membership_roles_role_fk" }).onDelete("cascade"),
  ],
);
