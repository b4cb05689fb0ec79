import { sql } from "drizzle-orm";
import { allOf, allow, anyOf, definePolicy, deny, fact, requires, through, type Rule, type Scoped, type ScopedRule } from "../../platform/access/engine.js";
import { ownsOrManages, projects, seesProject, type ProjectColumns, type ProjectSubject } from "../projects/index.js";
import type { tasks } from "./tasks.table.js";

/** What the rules need to know about a task: its people, and its project as the caller sees it. */
export type TaskSubject = Scoped & {
  projectId: string | null;
  assigneeId: string | null;
  reporterId: string | null;
  /** The task's project, read for the caller (null for a personal task). */
  project: ProjectSubject | null;
};

/** The columns of `tasks` the rules' SQL reads: lists pass the table itself. */
export type TaskColumns = Pick<typeof tasks, "orgId" | "projectId" | "assigneeId" | "reporterId">;

type TaskFact = ScopedRule<TaskSubject, TaskColumns>;

const isAssignee: TaskFact = fact("assignee", (actor, task) => task.assigneeId === actor.userId, (t, me) => sql`${t.assigneeId} = ${me}`);
const isPersonal: TaskFact = fact("personal", (_actor, task) => task.projectId === null, (t) => sql`${t.projectId} is null`);
const isReporter: TaskFact = fact("reporter", (actor, task) => task.reporterId === actor.userId, (t, me) => sql`${t.reporterId} = ${me}`);

/**
 * A rule of the task's project, read through `project_id`: one uncorrelated subquery in a list,
 * over the projects of the caller's organizations only (an index range, not every organization's).
 */
function ofProject(name: string, rule: ScopedRule<ProjectSubject, ProjectColumns>): TaskFact {
  return through<TaskSubject, ProjectSubject, TaskColumns, ProjectColumns>(name, rule, (task) => task.project, projects, (t, inner, orgs) => {
    if (inner === null) return sql`${t.projectId} is not null`;
    const where = orgs ? sql`${projects.orgId} = any(${orgs}) and (${inner})` : inner;
    return sql`${t.projectId} in (select ${projects.id} from ${projects} where ${where})`;
  });
}

/** The task's project is one the caller may open (the projects policy's `view`). */
const inVisibleProject = ofProject("project.view", seesProject);
/** The task's project is the caller's own: they created or manage it. */
const onOwnProject = ofProject("project.own", ownsOrManages);

/** A personal task is its creator's, while they keep personal tasks. */
const ownPersonal: TaskFact = allOf(requires("tasks.personal"), isPersonal, isReporter);

/**
 * Who sees a task (API.md "Tasks"): holders of tasks.oversee see every task of
 * the organization; its assignee with tasks.view_assigned; holders of
 * tasks.view_all the tasks of projects they can see (scope `own`: projects
 * they own or manage); a personal task its creator. Lists use the same rule as
 * SQL, so a task is listed exactly when it may be opened.
 */
const view: TaskFact = anyOf(
  requires("tasks.oversee"),
  allOf(requires("tasks.view_assigned"), isAssignee),
  allOf(requires("tasks.view_all", onOwnProject), inVisibleProject),
  ownPersonal,
);

const manageProjectTask: Rule<TaskSubject> = requires("tasks.manage", onOwnProject);

/**
 * Who changes every field of a task: tasks.manage (scope `own`: on own
 * projects); a personal task its creator alone (holders of tasks.oversee see
 * it, and change nothing of it).
 */
const manage: Rule<TaskSubject> = (actor, task) => {
  if (task.projectId !== null) return manageProjectTask(actor, task);
  return ownPersonal(actor, task).allowed
    ? allow
    : deny("tasks.personal", "You need the tasks.personal permission and to be its creator: a personal task is changed by its creator only.");
};

/** Status and board place: the managers, and the assignee with tasks.update_status. */
const changeStatus: Rule<TaskSubject> = anyOf(manage, allOf(requires("tasks.update_status"), isAssignee));

export const taskPolicy = definePolicy<
  { view: TaskSubject; update: TaskSubject; changeStatus: TaskSubject; delete: TaskSubject },
  { view: TaskColumns }
>("task", { view, update: manage, changeStatus, delete: manage });

/** Rules that apply before a task exists: in a project (as the caller sees it), or as a personal to-do. */
export const taskCreationPolicy = definePolicy<{ createInProject: TaskSubject; createPersonal: Scoped }>("task", {
  createInProject: requires("tasks.manage", onOwnProject),
  createPersonal: requires("tasks.personal"),
});
