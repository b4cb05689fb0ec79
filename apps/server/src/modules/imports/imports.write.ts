import type { TaskImportColumn } from "@cairn/shared";
import { sql, type SQL } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Ctx } from "../../platform/context.js";
import type { ImportRow } from "./imports.csv.js";
import type { Plan } from "./imports.plan.js";

/**
 * The second pass of an import: its good rows written in batches, each batch
 * one statement of arrays (unnest) for the new tasks and one for the updated
 * ones, all in the import's transaction. Ids of new tasks are chosen here, so
 * a child names its parent row's task before that row is written; a child
 * whose parent comes later in the file is linked once every row is in.
 */

/** Rows per statement: large enough that statements are few, small enough to report progress often. */
export const IMPORT_BATCH = 5000;

type NewTask = {
  id: string;
  number: number;
  title: string;
  description: string;
  status: string;
  priority: string;
  assigneeId: string | null;
  parentId: string | null;
  labels: string;
  position: number;
  dueDate: string | null;
  estimateMinutes: number | null;
  externalId: string | null;
};

type Change = { id: string; row: ImportRow };

/** The columns an update may set, as the file names them, and the task's column. */
const UPDATABLE: ReadonlyArray<[TaskImportColumn, string]> = [
  ["title", "title"],
  ["description", "description"],
  ["status", "status"],
  ["priority", "priority"],
  ["assignee", "assignee_id"],
  ["dueDate", "due_date"],
  ["estimateMinutes", "estimate_minutes"],
  ["labels", "labels"],
  ["parent", "parent_id"],
];

export type WriteTarget = { orgId: string; projectId: string; reporterId: string; firstNumber: number };

export class ImportWriter {
  created = 0;
  updated = 0;
  processed = 0;
  private inserts: NewTask[] = [];
  private changes: Change[] = [];
  /** The task id of each externalId the file or the project has, as rows are reached. */
  private readonly idOf = new Map<string, string>();
  /** externalIds whose rows are written (or in the batch being gathered). */
  private readonly reached = new Set<string>();
  /** [child, parent] links to make once every row is in: the parent's row came after the child's. */
  private readonly later: Array<[string, string]> = [];
  private readonly base = Date.now();
  /** The batch being written, if any. */
  private written: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: Ctx,
    private readonly plan: Plan,
    private readonly target: WriteTarget,
    private readonly labels: Map<string, string>,
    private readonly onBatch: (processed: number) => Promise<void>,
  ) {
    for (const [externalId, task] of plan.existing) {
      this.idOf.set(externalId, task.id);
      this.reached.add(externalId);
    }
  }

  /** One row of the second pass, good or refused (refused rows only count as processed). */
  async add(row: ImportRow | null, rowNumber: number): Promise<void> {
    this.processed++;
    if (row && !this.plan.refused[rowNumber - 2]) {
      const existing = row.externalId ? this.plan.existing.get(row.externalId) : undefined;
      if (existing) this.changes.push({ id: existing.id, row });
      else this.inserts.push(this.newTask(row));
      if (row.externalId) this.reached.add(row.externalId);
    }
    if (this.inserts.length + this.changes.length >= IMPORT_BATCH) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.written;
    if (this.later.length) {
      await this.ctx.tx.execute(sql`
        update tasks t set parent_id = l.parent_id
        from unnest(${sql.param(this.later.map(([child]) => child))}::uuid[], ${sql.param(this.later.map(([, parent]) => parent))}::uuid[]) as l(id, parent_id)
        where t.org_id = ${this.target.orgId} and t.id = l.id`);
    }
  }

  private idFor(externalId: string): string {
    let id = this.idOf.get(externalId);
    if (!id) {
      id = randomUUID();
      this.idOf.set(externalId, id);
    }
    return id;
  }

  /** The parent's id when its task exists by the end of this batch's statement; otherwise the link waits. */
  private parentOf(childId: string, row: ImportRow): string | null {
    if (!row.parent) return null;
    const parentId = this.idFor(row.parent);
    if (this.reached.has(row.parent)) return parentId;
    this.later.push([childId, parentId]);
    return null;
  }

  private newTask(row: ImportRow): NewTask {
    const id = row.externalId ? this.idFor(row.externalId) : randomUUID();
    const index = this.created++;
    return {
      id,
      number: this.target.firstNumber + index,
      title: row.title,
      description: row.description ?? "",
      status: row.status ?? "todo",
      priority: row.priority ?? "medium",
      assigneeId: row.assignee ? (this.plan.people.get(row.assignee) ?? null) : null,
      parentId: this.parentOf(id, row),
      labels: (row.labels ?? []).map((label) => this.labels.get(label.toLowerCase()) ?? label).join(";"),
      position: this.base + index / 100,
      dueDate: row.dueDate ?? null,
      estimateMinutes: row.estimateMinutes ?? null,
      externalId: row.externalId,
    };
  }

  /**
   * Sends a batch once the previous one is written, and returns then: the file is read on while the
   * database writes (one statement in flight on the transaction, as PGlite needs). A failure reaches
   * the next `add` or `finish`.
   */
  private async flush(): Promise<void> {
    const inserts = this.inserts;
    const changes = this.changes;
    const processed = this.processed;
    this.inserts = [];
    this.changes = [];
    const previous = this.written;
    await previous;
    const written = (async () => {
      if (inserts.length) await this.insert(inserts);
      if (changes.length) this.updated += await this.update(changes);
      await this.onBatch(processed);
    })();
    // Handled here so a failure while the file is still being read is not an unhandled rejection;
    // awaiting `written` later still throws it.
    written.catch(() => {});
    this.written = written;
  }

  private async insert(rows: NewTask[]): Promise<void> {
    const column = <T>(pick: (row: NewTask) => T) => sql.param(rows.map(pick));
    const { orgId, projectId, reporterId } = this.target;
    // Completed when imported as done; the rest as POST /api/tasks/bulk writes them (tasks.bulk.ts).
    await this.ctx.tx.execute(sql`
      insert into tasks (id, org_id, project_id, number, title, description, status, priority, assignee_id, reporter_id, parent_id, labels, position,
        due_date, estimate_minutes, external_id, completed_at)
      select r.id, ${orgId}::uuid, ${projectId}::uuid, r.number, r.title, r.description, r.status, r.priority, r.assignee_id, ${reporterId}::uuid, r.parent_id,
        coalesce(string_to_array(nullif(r.labels, ''), ';'), '{}'::text[]), r.position, r.due_date, r.estimate_minutes, r.external_id,
        case when r.status = 'done' then now() end
      from unnest(${column((row) => row.id)}::uuid[], ${column((row) => row.number)}::int[], ${column((row) => row.title)}::text[],
        ${column((row) => row.description)}::text[], ${column((row) => row.status)}::text[], ${column((row) => row.priority)}::text[],
        ${column((row) => row.assigneeId)}::uuid[], ${column((row) => row.parentId)}::uuid[], ${column((row) => row.labels)}::text[],
        ${column((row) => row.position)}::float8[], ${column((row) => row.dueDate)}::date[], ${column((row) => row.estimateMinutes)}::int[],
        ${column((row) => row.externalId)}::text[])
        as r(id, number, title, description, status, priority, assignee_id, parent_id, labels, position, due_date, estimate_minutes, external_id)`);
  }

  /**
   * Tasks the file names by externalId take the file's values, in the columns the file has (an
   * empty cell clears an optional field; an empty status or priority keeps the task's). Only
   * tasks that differ are written, so `updated` counts real changes and untouched tasks keep
   * their `updatedAt`.
   */
  private async update(changes: Change[]): Promise<number> {
    const { columns } = this.plan;
    const has = (column: TaskImportColumn) => columns.includes(column);
    const rows = changes.map(({ id, row }) => ({
      id,
      title: row.title,
      description: row.description ?? "",
      status: row.status ?? null,
      priority: row.priority ?? null,
      assigneeId: row.assignee ? (this.plan.people.get(row.assignee) ?? null) : null,
      dueDate: row.dueDate ?? null,
      estimateMinutes: row.estimateMinutes ?? null,
      labels: (row.labels ?? []).map((label) => this.labels.get(label.toLowerCase()) ?? label).join(";"),
      parentId: this.parentOf(id, row),
    }));
    const column = <T>(pick: (row: (typeof rows)[number]) => T) => sql.param(rows.map(pick));
    const value: Record<string, SQL> = {
      title: sql`r.title`,
      description: sql`r.description`,
      status: sql`coalesce(r.status, t.status)`,
      priority: sql`coalesce(r.priority, t.priority)`,
      assignee_id: sql`r.assignee_id`,
      due_date: sql`r.due_date`,
      estimate_minutes: sql`r.estimate_minutes`,
      labels: sql`coalesce(string_to_array(nullif(r.labels, ''), ';'), '{}'::text[])`,
      // A parent whose row comes later is linked at the end (`later`): until then the task keeps its own.
      parent_id: sql`case when r.parent_id is null and r.parent_ref then t.parent_id else r.parent_id end`,
    };
    const set = UPDATABLE.filter(([name]) => has(name)).map(([, name]) => name);
    const assignments = sql.join(
      set.map((name) => sql`${sql.identifier(name)} = ${value[name] as SQL}`),
      sql`, `,
    );
    const current = sql.join(
      set.map((name) => sql`t.${sql.identifier(name)}`),
      sql`, `,
    );
    const next = sql.join(
      set.map((name) => value[name] as SQL),
      sql`, `,
    );
    const result = await this.ctx.tx.execute(sql`
      update tasks t set ${assignments},
        completed_at = case when coalesce(r.status, t.status) = 'done' then coalesce(t.completed_at, now()) end,
        updated_at = now()
      from unnest(${column((row) => row.id)}::uuid[], ${column((row) => row.title)}::text[], ${column((row) => row.description)}::text[],
        ${column((row) => row.status)}::text[], ${column((row) => row.priority)}::text[], ${column((row) => row.assigneeId)}::uuid[],
        ${column((row) => row.dueDate)}::date[], ${column((row) => row.estimateMinutes)}::int[], ${column((row) => row.labels)}::text[],
        ${column((row) => row.parentId)}::uuid[], ${sql.param(changes.map(({ row }) => !!row.parent))}::bool[])
        as r(id, title, description, status, priority, assignee_id, due_date, estimate_minutes, labels, parent_id, parent_ref)
      where t.org_id = ${this.target.orgId} and t.id = r.id and (${current}) is distinct from (${next})`);
    return (result as { rowCount?: number; affectedRows?: number }).rowCount ?? (result as { affectedRows?: number }).affectedRows ?? 0;
  }
}
