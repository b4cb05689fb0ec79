import { PROJECT_MEMBER_ROLES, PROJECT_PRIORITIES, PROJECT_STATUSES, PROJECT_VISIBILITIES } from "@cairn/shared";
import { sql } from "drizzle-orm";
import { boolean, check, date, foreignKey, index, numeric, pgTable, primaryKey, text, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
import { clients } from "../clients/clients.table.js";
import { memberships, organizations } from "../access/tenancy.table.js";
import { teams } from "../teams/teams.table.js";

/** Money: exact decimals with two places, read back as strings ("1250.00"). */
const money = (name: string) => numeric(name, { precision: 12, scale: 2 });

export const projects = pgTable(
  "projects",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Short and unique in the organization (e.g. WEB); task numbers will read WEB-12. */
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: PROJECT_STATUSES }).notNull().default("planning"),
    priority: text("priority", { enum: PROJECT_PRIORITIES }).notNull().default("medium"),
    /** `organization`: every member with projects.view; `team`: the team, its manager, the project's people and admins. */
    visibility: text("visibility", { enum: PROJECT_VISIBILITIES }).notNull().default("organization"),
    /** A client and a team of the project's own organization (composite foreign keys below). */
    clientId: uuid("client_id"),
    teamId: uuid("team_id"),
    /** Who created it: an actor, so a user rather than a member (the superuser may open a project anywhere). */
    ownerId: uuid("owner_id").references(() => users.id, { onDelete: "set null" }),
    /** A member of the organization. */
    managerId: uuid("manager_id"),
    cost: money("cost").notNull().default("0"),
    discount: money("discount").notNull().default("0"),
    /** Computed by the database, so it can never disagree with cost and discount. */
    netPrice: money("net_price").generatedAlwaysAs(sql`cost - discount`),
    currency: text("currency").notNull().default("USD"),
    startDate: date("start_date", { mode: "string" }),
    dueDate: date("due_date", { mode: "string" }),
    /**
     * No longer read or written: the payment status is computed from the
     * payments on every read (projects.queries.ts), per caller, because a
     * customer must get it from approved money only. Rows keep the values of
     * earlier versions (unpaid, pending_verification, verified, rejected)
     * until a migration drops the column.
     */
    legacyPaymentStatus: text("payment_status").notNull().default("unpaid"),
    archived: boolean("archived").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    /** What `(org_id, project_id)` references point at: a reference can never leave the organization. */
    unique("projects_org_id_id_key").on(table.orgId, table.id),
    // Tenant-scoped references are composite (ADR 0007). "set null" clears the reference's column only:
    // the migration writes `ON DELETE SET NULL ("client_id")` and so on, which drizzle cannot express.
    foreignKey({ columns: [table.orgId, table.clientId], foreignColumns: [clients.orgId, clients.id], name: "projects_client_fk" }).onDelete("set null"),
    foreignKey({ columns: [table.orgId, table.teamId], foreignColumns: [teams.orgId, teams.id], name: "projects_team_fk" }).onDelete("set null"),
    foreignKey({ columns: [table.orgId, table.managerId], foreignColumns: [memberships.orgId, memberships.userId], name: "projects_manager_membership_fk" }).onDelete("set null"),
    uniqueIndex("projects_org_key_key").on(table.orgId, table.key),
    index("projects_org_status_idx").on(table.orgId, table.status),
    index("projects_org_created_idx").on(table.orgId, table.createdAt),
    index("projects_org_name_idx").on(table.orgId, table.name),
    index("projects_client_idx").on(table.clientId),
    index("projects_team_idx").on(table.teamId),
    index("projects_owner_idx").on(table.ownerId),
    index("projects_manager_idx").on(table.managerId),
    check("projects_cost_positive", sql`${table.cost} >= 0`),
    check("projects_discount_range", sql`${table.discount} >= 0 and ${table.discount} <= ${table.cost}`),
    check("projects_dates_order", sql`${table.dueDate} is null or ${table.startDate} is null or ${table.dueDate} >= ${table.startDate}`),
  ],
);

/** People on a project; the composite foreign keys keep them and their project inside one organization. */
export const projectMembers = pgTable(
  "project_members",
  {
    orgId: uuid("org_id").notNull(),
    projectId: uuid("project_id").notNull(),
    userId: uuid("user_id").notNull(),
    role: text("role", { enum: PROJECT_MEMBER_ROLES }).notNull().default("member"),
    addedAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.projectId, table.userId] }),
    index("project_members_user_idx").on(table.userId, table.orgId),
    foreignKey({
      columns: [table.orgId, table.userId],
      foreignColumns: [memberships.orgId, memberships.userId],
      name: "project_members_membership_fk",
    }).onDelete("cascade"),
    foreignKey({ columns: [table.orgId, table.projectId], foreignColumns: [projects.orgId, projects.id], name: "project_members_project_fk" }).onDelete("cascade"),
  ],
);
