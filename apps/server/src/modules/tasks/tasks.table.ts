import { TASK_PRIORITIES, TASK_STATUSES } from "@cairn/shared";
import { sql } from "drizzle-orm";
import { check, date, doublePrecision, foreignKey, index, integer, pgSequence, pgTable, primaryKey, smallint, text, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestampTz, updatedAt } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
import { memberships, organizations } from "../access/tenancy.table.js";
import { projects } from "../projects/projects.table.js";

/**
 * Where a new task starts in the order of dependencies: after every task there is (see `depRank`), 2^20
 * places after the last, so tasks moved between two of them find room for a long time.
 */
export const TASK_DEP_RANK_STEP = 1_048_576;
export const taskDepRankSeq = pgSequence("task_dep_rank_seq", { increment: TASK_DEP_RANK_STEP, startWith: TASK_DEP_RANK_STEP, minValue: TASK_DEP_RANK_STEP });

/**
 * Tasks: the work itself. A task belongs to a project, or to nobody (a
 * personal to-do of its reporter). References that stay in the organization
 * are composite (ADR 0007): a task can never point at another organization's
 * project, assignee or parent.
 */
export const tasks = pgTable(
  "tasks",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Null for a personal task. */
    projectId: uuid("project_id"),
    /** Per project (per reporter for personal tasks), given by `task_sequences` without races. */
    number: integer("number").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: TASK_STATUSES }).notNull().default("todo"),
    priority: text("priority", { enum: TASK_PRIORITIES }).notNull().default("medium"),
    /** Urgency as a number (low 0 … urgent 3), for `?ordering=-priority`. */
    priorityRank: smallint("priority_rank")
      .notNull()
      .generatedAlwaysAs(sql`case priority when 'low' then 0 when 'medium' then 1 when 'high' then 2 else 3 end`),
    /** A member of the organization (composite key below). */
    assigneeId: uuid("assignee_id"),
    /** Who created it: an actor, so a user (the superuser may act without a membership). */
    reporterId: uuid("reporter_id").references(() => users.id, { onDelete: "set null" }),
    parentId: uuid("parent_id"),
    labels: text("labels").array().notNull().default(sql`'{}'::text[]`),
    /** The card's place in its board column, ascending; moves take the midpoint of their neighbours. */
    position: doublePrecision("position").notNull().default(0),
    dueDate: date("due_date", { mode: "string" }),
    estimateMinutes: integer("estimate_minutes"),
    /** The sum of the task's time entries (kept by the time-entry service). */
    loggedMinutes: integer("logged_minutes").notNull().default(0),
    /** An import's key for the row it came from: a later import updates the task instead of adding one. */
    externalId: text("external_id"),
    completedAt: timestampTz("completed_at"),
    /**
     * The task's place in an order of the organization's dependencies in which every blocker comes before
     * the tasks it blocks (tasks.dependencies.ts): a new blocker that already comes earlier cannot close a
     * loop, so most links are checked without walking the graph. New tasks come last.
     */
    depRank: doublePrecision("dep_rank").notNull().default(sql`nextval('task_dep_rank_seq')`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    unique("tasks_org_id_id_key").on(table.orgId, table.id),
    foreignKey({ columns: [table.orgId, table.projectId], foreignColumns: [projects.orgId, projects.id], name: "tasks_project_fk" }).onDelete("cascade"),
    foreignKey({ columns: [table.orgId, table.assigneeId], foreignColumns: [memberships.orgId, memberships.userId], name: "tasks_assignee_membership_fk" }).onDelete("set null"),
    foreignKey({ columns: [table.orgId, table.parentId], foreignColumns: [table.orgId, table.id], name: "tasks_parent_fk" }).onDelete("set null"),
    uniqueIndex("tasks_project_number_key").on(table.projectId, table.number).where(sql`${table.projectId} is not null`),
    uniqueIndex("tasks_personal_number_key").on(table.orgId, table.reporterId, table.number).where(sql`${table.projectId} is null`),
    uniqueIndex("tasks_project_external_key").on(table.projectId, table.externalId).where(sql`${table.externalId} is not null`),
    // The list's hot paths: a project's tasks by status, a person's tasks, an organization's, newest first.
    index("tasks_project_status_created_idx").on(table.projectId, table.status, table.createdAt.desc(), table.id),
    index("tasks_project_created_idx").on(table.projectId, table.createdAt.desc(), table.id),
    index("tasks_assignee_created_idx").on(table.assigneeId, table.createdAt.desc(), table.id),
    index("tasks_org_created_idx").on(table.orgId, table.createdAt.desc(), table.id),
    index("tasks_board_idx").on(table.projectId, table.status, table.position),
    index("tasks_personal_idx").on(table.reporterId, table.createdAt.desc()).where(sql`${table.projectId} is null`),
    index("tasks_parent_idx").on(table.parentId),
    // The neighbours of a place in the order of dependencies, within an organization.
    index("tasks_org_dep_rank_idx").on(table.orgId, table.depRank),
    index("tasks_org_due_idx").on(table.orgId, table.dueDate).where(sql`${table.status} <> 'done'`),
    // Substring search of titles (`?search=`) through trigrams within an organization (btree_gin puts
    // org_id in the same index), never a sequential scan; a search across organizations uses it too.
    index("tasks_org_title_trgm_idx").using("gin", table.orgId, sql`${table.title} gin_trgm_ops`),
    index("tasks_labels_idx").using("gin", table.labels),
    check("tasks_number_positive", sql`${table.number} > 0`),
    check("tasks_estimate_range", sql`${table.estimateMinutes} is null or ${table.estimateMinutes} >= 0`),
    check("tasks_not_own_parent", sql`${table.parentId} is null or ${table.parentId} <> ${table.id}`),
  ],
);

/**
 * The last number given in a project (`scope_id` = the project) or in a
 * person's personal tasks (`scope_id` = the user): taking numbers is one
 * `insert … on conflict do update … returning`, whose row lock makes
 * concurrent creations wait their turn, so two tasks never share a number.
 */
export const taskSequences = pgTable(
  "task_sequences",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    scopeId: uuid("scope_id").notNull(),
    last: integer("last").notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.scopeId] })],
);

/** An organization's labels: created on first use, offered as suggestions, spelled as first written. */
export const taskLabels = pgTable(
  "task_labels",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("task_labels_org_name_key").on(table.orgId, sql`lower(${table.name})`)],
);

/** "This task is blocked by that one": both in one organization, any project. */
export const taskDependencies = pgTable(
  "task_dependencies",
  {
    orgId: uuid("org_id").notNull(),
    taskId: uuid("task_id").notNull(),
    dependsOnId: uuid("depends_on_id").notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.taskId, table.dependsOnId] }),
    foreignKey({ columns: [table.orgId, table.taskId], foreignColumns: [tasks.orgId, tasks.id], name: "task_dependencies_task_fk" }).onDelete("cascade"),
    foreignKey({ columns: [table.orgId, table.dependsOnId], foreignColumns: [tasks.orgId, tasks.id], name: "task_dependencies_blocker_fk" }).onDelete("cascade"),
    index("task_dependencies_blocker_idx").on(table.dependsOnId),
    check("task_dependencies_not_self", sql`${table.taskId} <> ${table.dependsOnId}`),
  ],
);
