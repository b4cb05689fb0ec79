import type { ImportRowError, TaskImportColumn } from "@cairn/shared";
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { Readable } from "node:stream";
import type { Tx } from "../../db/client.js";
import type { Ctx } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import { memberships } from "../access/index.js";
import { users } from "../accounts/index.js";
import { prepareAssignee, taskDependencies, tasks } from "../tasks/index.js";
import { scanCsv } from "./imports.csv.js";

/**
 * An import's plan: what the file says (first pass, no database) and what the
 * database says of it (the project's tasks with these externalIds, the people
 * named, parents and loops). The dry run answers from the plan; the job
 * writes from it, reading the file a second time.
 */

/** The first pass over a file: every row checked alone, and what the rows name. */
export type Scan = {
  columns: TaskImportColumn[];
  total: number;
  errors: ImportRowError[];
  /** 1 for each refused row, by index (row - 2). */
  refused: Uint8Array;
  /** The file's externalIds: each to the row that carries it. */
  externalIds: Map<string, number>;
  /** Rows naming a parent: [row, the parent's externalId]. */
  parents: Array<[number, string]>;
  /** Each assignee as written (lowercase) to the rows that name it. */
  assignees: Map<string, number[]>;
  /** Labels of the good rows, each once (by lowercase). */
  labels: Map<string, string>;
  /** Rows with an externalId that say `done`, and that externalId (a blocked task cannot be done). */
  externalIdOfDone: Map<number, string>;
};

export async function scanFile(input: Readable): Promise<Scan> {
  const errors: ImportRowError[] = [];
  const refusedRows: number[] = [];
  const externalIds = new Map<string, number>();
  const parents: Array<[number, string]> = [];
  const assignees = new Map<string, number[]>();
  const labels = new Map<string, string>();
  const externalIdOfDone = new Map<number, string>();
  const refuse = (row: number) => refusedRows.push(row);
  const { columns, total } = await scanCsv(input, {
    row({ row: parsed, errors: rowErrors }) {
      if (rowErrors.length) {
        errors.push(...rowErrors);
        refuse((rowErrors[0] as ImportRowError).row);
      }
      if (!parsed) return;
      const { row } = parsed;
      if (parsed.externalId) {
        const first = externalIds.get(parsed.externalId);
        if (first !== undefined) {
          if (!rowErrors.length) refuse(row);
          errors.push({ row, column: "externalId", message: `Row ${first} has this externalId already.` });
          return;
        }
        externalIds.set(parsed.externalId, row);
      }
      // A refused row's assignee and parent are still checked: the dry run names every bad cell.
      if (parsed.parent) parents.push([row, parsed.parent]);
      if (parsed.assignee) {
        const rows = assignees.get(parsed.assignee);
        if (rows) rows.push(row);
        else assignees.set(parsed.assignee, [row]);
      }
      if (rowErrors.length) return;
      if (parsed.status === "done" && parsed.externalId) externalIdOfDone.set(row, parsed.externalId);
      for (const label of parsed.labels ?? []) if (!labels.has(label.toLowerCase())) labels.set(label.toLowerCase(), label);
    },
  });
  const refused = new Uint8Array(total);
  for (const row of refusedRows) refused[row - 2] = 1;
  return { columns, total, errors, refused, externalIds, parents, assignees, labels, externalIdOfDone };
}

/** A project's task an import may update: found by its externalId. */
export type ExistingTask = { id: string; status: string; parentId: string | null };

/** What the database adds to a scan: the tasks to update, the people, and more refused rows. */
export type Plan = Scan & {
  existing: Map<string, ExistingTask>;
  /** Assignee as written → user id. */
  people: Map<string, string>;
  /** Good rows in the end (total − refused). */
  valid: number;
};

type Project = { orgId: string; id: string };

/**
 * Checks a scan against the database in `ctx`'s transaction: existing tasks, assignees (who are
 * put on the project when they may be, as one by one; a dry run rolls that back), parents and the
 * loops they would make, and `done` for tasks still blocked. Refused rows join `errors`.
 */
export async function planImport(ctx: Ctx, project: Project, scan: Scan): Promise<Plan> {
  const { errors, refused } = scan;
  const refuse = (row: number, column: string, message: string) => {
    if (!refused[row - 2]) refused[row - 2] = 1;
    errors.push({ row, column, message });
  };
  const existing = await existingTasks(ctx.tx, project.id);
  const people = await resolvePeople(ctx, project, scan, refuse);
  await checkParents(ctx.tx, project.id, scan, existing, refuse);
  await checkBlocked(ctx.tx, scan, existing, refuse);
  errors.sort((a, b) => a.row - b.row);
  let refusedCount = 0;
  for (const flag of refused) refusedCount += flag;
  return { ...scan, existing, people, valid: scan.total - refusedCount };
}

async function existingTasks(tx: Tx, projectId: string): Promise<Map<string, ExistingTask>> {
  const rows = await tx
    .select({ externalId: tasks.externalId, id: tasks.id, status: tasks.status, parentId: tasks.parentId })
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), isNotNull(tasks.externalId)));
  return new Map(rows.map((row) => [row.externalId as string, { id: row.id, status: row.status, parentId: row.parentId }]));
}

type Refuse = (row: number, column: string, message: string) => void;

/** Assignees by username or email among the organization's active members, then as `prepareAssignee` judges them. */
async function resolvePeople(ctx: Ctx, project: Project, scan: Scan, refuse: Refuse): Promise<Map<string, string>> {
  const people = new Map<string, string>();
  const named = [...scan.assignees.keys()];
  if (!named.length) return people;
  const found = await ctx.tx
    .select({ id: users.id, username: users.username, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.orgId, project.orgId),
        sql`(lower(${users.username}) = any(${sql.param(named)}::text[]) or lower(${users.email}) = any(${sql.param(named)}::text[]))`,
      ),
    );
  for (const user of found) {
    for (const name of [user.username.toLowerCase(), user.email.toLowerCase()]) if (scan.assignees.has(name)) people.set(name, user.id);
  }
  // In one order (by user id): newcomers' memberships are locked as they join the project.
  const checked = new Map<string, string | null>();
  for (const userId of [...new Set(people.values())].sort()) {
    try {
      await prepareAssignee(ctx, project, userId, "assignee");
      checked.set(userId, null);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      checked.set(userId, error.errors?.[0]?.message && error.status === 400 ? error.errors[0].message : error.message);
    }
  }
  for (const [name, rows] of scan.assignees) {
    const userId = people.get(name);
    const problem = userId ? checked.get(userId) : `Nobody in the organization has the username or email "${name.slice(0, 80)}".`;
    if (problem) for (const row of rows) refuse(row, "assignee", problem);
  }
  return people;
}

/**
 * Parents: a row of the file (by externalId) or a task of the project. A parent row that is
 * refused refuses its children, and parents that would make a loop (the file's rows and the
 * project's tasks together: a row updating a task takes its place in the tree) are refused, in
 * one walk over the parent links.
 */
async function checkParents(tx: Tx, projectId: string, scan: Scan, existing: Map<string, ExistingTask>, refuse: Refuse): Promise<void> {
  const { externalIds, refused } = scan;
  const parentOf = new Map<number, string>();
  for (const [row, parent] of scan.parents) {
    if (!externalIds.has(parent) && !existing.has(parent)) refuse(row, "parent", `No row of the file and no task of the project has the externalId "${parent.slice(0, 80)}".`);
    else parentOf.set(row, parent);
  }
  if (!parentOf.size) return;
  const rowOfTask = new Map<string, number>();
  for (const [externalId, task] of existing) {
    const row = externalIds.get(externalId);
    if (row !== undefined) rowOfTask.set(task.id, row);
  }
  // The tasks' own links matter only when the file moves a task that has some below it.
  const taskParents = new Map<string, string>();
  if (rowOfTask.size) {
    const links = await tx
      .select({ id: tasks.id, parentId: tasks.parentId })
      .from(tasks)
      .where(and(eq(tasks.projectId, projectId), isNotNull(tasks.parentId)));
    for (const link of links) taskParents.set(link.id, link.parentId as string);
  }
  // A node is a row (its number) or a task the file leaves where it is (its id).
  const nodeOfTask = (id: string | undefined): number | string | null => (id === undefined ? null : (rowOfTask.get(id) ?? id));
  const up = (node: number | string): number | string | null => {
    if (typeof node === "string") return nodeOfTask(taskParents.get(node));
    const parent = parentOf.get(node);
    if (parent === undefined) return null;
    return externalIds.get(parent) ?? nodeOfTask(existing.get(parent)?.id);
  };
  const state = new Map<number | string, "open" | "good" | "bad">();
  for (const start of parentOf.keys()) {
    const path: Array<number | string> = [];
    let node: number | string | null = start;
    while (node !== null && !state.has(node)) {
      state.set(node, "open");
      path.push(node);
      node = up(node);
    }
    let verdict: "good" | "bad" = node !== null && state.get(node) === "bad" ? "bad" : "good";
    if (node !== null && state.get(node) === "open") {
      // A loop: every row on it is refused, naming the loop.
      const at = path.indexOf(node);
      const loop = path.slice(at);
      const names = loop.map((member) => (typeof member === "number" ? `row ${member}` : "a task of the project"));
      for (const member of loop) {
        if (typeof member === "number") refuse(member, "parent", `The parents make a loop: ${[...names, names[0]].join(" → ")}.`);
        state.set(member, "bad");
      }
      path.length = at;
      verdict = "bad";
    }
    for (let index = path.length - 1; index >= 0; index--) {
      const member = path[index] as number | string;
      if (typeof member === "string") {
        // A task the file leaves alone stays in the tree whatever happens above it.
        state.set(member, "good");
        verdict = "good";
        continue;
      }
      if (refused[member - 2]) verdict = "bad";
      else if (verdict === "bad") refuse(member, "parent", `Its parent, row ${externalIds.get(parentOf.get(member) as string) ?? "?"}, is refused.`);
      state.set(member, verdict);
    }
  }
}

/** A task moves to done only when its blockers are done, through an import too (new tasks have none). */
async function checkBlocked(tx: Tx, scan: Scan, existing: Map<string, ExistingTask>, refuse: Refuse): Promise<void> {
  const rowOfTask = new Map<string, number>();
  for (const [row, externalId] of scan.externalIdOfDone) {
    const task = existing.get(externalId);
    if (task && task.status !== "done" && !scan.refused[row - 2]) rowOfTask.set(task.id, row);
  }
  if (!rowOfTask.size) return;
  const blocked = await tx
    .selectDistinct({ id: taskDependencies.taskId })
    .from(taskDependencies)
    .innerJoin(tasks, eq(tasks.id, taskDependencies.dependsOnId))
    .where(and(inArray(taskDependencies.taskId, [...rowOfTask.keys()]), sql`${tasks.status} <> 'done'`));
  for (const { id } of blocked) refuse(rowOfTask.get(id) as number, "status", "Blocked by tasks that are not done: finish them first.");
}
