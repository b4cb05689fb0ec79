import { TASK_IMPORT_MAX_BYTES, taskKey, type ImportDryRun, type ImportUndo, type ImportView } from "@cairn/shared";
import { and, eq, sql } from "drizzle-orm";
import type { FastifyRequest } from "fastify";
import { Readable } from "node:stream";
import { z } from "zod";
import { requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { privateStorage, type ObjectStorage } from "../../platform/storage/storage.js";
import { receiveFile, storeUpload, type StoredUpload } from "../../platform/storage/upload.js";
import { csvLine, type RunInCtx } from "../reports/index.js";
import { resolveTaskTarget, tasks } from "../tasks/index.js";
import { ImportFileError } from "./imports.csv.js";
import { planImport, scanFile, type Scan } from "./imports.plan.js";
import { runImportJob } from "./imports.job.js";
import { pushImport, pushTasksImported } from "./imports.realtime.js";
import { liveProgressKey, presentImport, type ImportRecord } from "./imports.view.js";
import { taskImports } from "./imports.table.js";

/** The form's fields besides the file (any order): checked as every body is, unknown ones refused. */
const importFields = z
  .object({
    projectId: z.uuid("The project's id (a UUID)."),
    dryRun: z.enum(["true", "false"], "true or false.").default("false"),
  })
  .strict();

/** Types read from the first bytes that are certainly not CSV: a spreadsheet, a PDF, a picture. */
const NOT_CSV: Record<string, string> = {
  "application/pdf": "a PDF",
  "image/png": "a PNG image",
  "image/jpeg": "a JPEG image",
  "image/gif": "a GIF image",
  "image/webp": "a WebP image",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "an Excel workbook (save it as CSV UTF-8)",
  "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (save it as CSV)",
};

export type ReceivedImport = { stored: StoredUpload; projectId: string; dryRun: boolean };

/**
 * POST /api/tasks/import's body: the file streamed to private storage (at most 20 MB, 413 past
 * it), whatever the order of its fields. The caller owns the stored file and deletes it when done.
 */
export async function receiveImport(request: FastifyRequest, storage: ObjectStorage): Promise<ReceivedImport> {
  const upload = await receiveFile(request, { maxBytes: TASK_IMPORT_MAX_BYTES, what: "CSV file" });
  const stored = await storeUpload(upload, { storage, area: "imports", maxBytes: TASK_IMPORT_MAX_BYTES, accept: "any", what: "CSV file", noun: "CSV file" });
  try {
    const what = NOT_CSV[stored.contentType] ?? (stored.contentType.startsWith("application/vnd.") || stored.contentType === "application/zip" ? "an archive" : null);
    if (what) throw new ImportFileError(`The file is ${what}, not CSV.`, "The file is not CSV; nothing was written.");
    const fields = importFields.safeParse(upload.fields);
    if (!fields.success) throw new ValidationError(fields.error.issues.map((issue) => ({ path: issue.path.join(".") || "body", message: issue.message })));
    return { stored, projectId: fields.data.projectId, dryRun: fields.data.dryRun === "true" };
  } catch (error) {
    await storage.delete(stored.key);
    throw error;
  }
}

/** Thrown to end a dry run's transaction: what it found, with every write it tried rolled back. */
class DryRunDone extends Error {
  constructor(readonly result: ImportDryRun) {
    super("dry run");
  }
}

async function scanStored(storage: ObjectStorage, key: string): Promise<Scan> {
  return scanFile((await storage.open(key)).stream);
}

/**
 * The dry run: the file read and checked against the project as the import would, in a
 * transaction that is rolled back (assignees are put on the project as the import would do it,
 * and taken off again), so it writes nothing and reports every row the import would refuse.
 */
export async function dryRunImport(run: RunInCtx, storage: ObjectStorage, received: ReceivedImport): Promise<ImportDryRun> {
  try {
    await run((ctx) => resolveTaskTarget(ctx, { projectId: received.projectId }));
    const scan = await scanStored(storage, received.stored.key);
    try {
      await run(async (ctx) => {
        const { orgId } = await resolveTaskTarget(ctx, { projectId: received.projectId });
        const plan = await planImport(ctx, { orgId, id: received.projectId }, scan);
        throw new DryRunDone({ total: plan.total, valid: plan.valid, errors: plan.errors });
      });
    } catch (error) {
      if (error instanceof DryRunDone) return error.result;
      throw error;
    }
    throw new Error("the dry run's transaction ended without its result");
  } finally {
    await storage.delete(received.stored.key);
  }
}

/**
 * The real import: the file checked as a whole now (a malformed one is a 400 and nothing is
 * kept), then recorded and handed to a job, in the same transaction. 202 `{importId}`.
 */
export async function startImport(run: RunInCtx, storage: ObjectStorage, received: ReceivedImport): Promise<{ importId: string }> {
  const { stored, projectId } = received;
  try {
    await run((ctx) => resolveTaskTarget(ctx, { projectId }));
    const scan = await scanStored(storage, stored.key);
    if (!scan.total) throw new ImportFileError("The file has a header but no task rows.");
    return await run(async (ctx) => {
      const actor = requireUser(ctx.actor);
      const { orgId, project } = await resolveTaskTarget(ctx, { projectId });
      const [created] = await ctx.tx
        .insert(taskImports)
        .values({ orgId, projectId, createdById: actor.userId, fileName: stored.originalName, fileKey: stored.key, total: scan.total })
        .returning({ id: taskImports.id });
      if (!created) throw new Error("import insert returned nothing");
      await recordAudit(ctx, {
        orgId,
        action: "import.started",
        entityType: "project",
        entityId: projectId,
        changes: { importId: [null, created.id], fileName: [null, stored.originalName], rows: [null, scan.total], project: [null, project?.key ?? null] },
      });
      const { jobs } = ctx.services;
      if (jobs) await jobs.enqueue(ctx.tx, runImportJob, { importId: created.id });
      // Without a job queue (tests of services), the import runs once this transaction has committed.
      else {
        const { log, services } = ctx;
        ctx.afterCommit(() => {
          runImportJob.handler({ importId: created.id }, { jobId: created.id, attempt: 1, log, services }).catch((error: unknown) => log.error({ err: error }, "import failed"));
        });
      }
      return { importId: created.id };
    });
  } catch (error) {
    await storage.delete(stored.key);
    throw error;
  }
}

/** An import as its owner and the project's task managers see it (404 for anyone else, as for the project). */
async function findImport(ctx: Ctx, importId: string, options: { forUpdate?: boolean } = {}): Promise<ImportRecord & { projectKey: string }> {
  const query = ctx.tx.select().from(taskImports).where(eq(taskImports.id, importId));
  const [row] = options.forUpdate ? await query.for("update") : await query;
  if (!row) throw new NotFoundError("import");
  // Seeing an import is being able to import into its project now: visible project, tasks.manage.
  const { project } = await resolveTaskTarget(ctx, { projectId: row.projectId }).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw new NotFoundError("import");
    throw error;
  });
  return { ...row, projectKey: project?.key ?? "" };
}

export async function getImport(ctx: Ctx, importId: string): Promise<ImportView> {
  const row = await findImport(ctx, importId);
  const live = row.status === "running" ? await ctx.services.ephemeral.kv.get(liveProgressKey(importId)) : null;
  return presentImport(row, live === null ? null : Number(live));
}

/** GET /api/imports/{id}/errors.csv: every refused row (row, column, message), header first. */
export async function openImportErrors(ctx: Ctx, importId: string): Promise<Readable> {
  const row = await findImport(ctx, importId);
  if (row.errorsKey) return (await privateStorage(ctx.services.config).open(row.errorsKey)).stream;
  // Not run yet, or no refused row: the header alone.
  return Readable.from([csvLine(["row", "column", "message"])]);
}

/** Why a task an import created is kept by its undo: what people did to it since. */
const KEPT_REASONS = sql<string | null>`case
  when t.updated_at > i.finished_at then 'Changed since the import'
  when exists (select 1 from task_comments c where c.task_id = t.id) then 'Has comments'
  when exists (select 1 from time_entries e where e.task_id = t.id) then 'Has time logged'
  when exists (select 1 from attachments a where a.owner_type = 'task' and a.owner_id = t.id) then 'Has files'
  when exists (select 1 from task_dependencies d where d.task_id = t.id or d.depends_on_id = t.id) then 'Has dependencies'
  when exists (select 1 from tasks s where s.parent_id = t.id and not (s.project_id = i.project_id and s.number between i.first_number and i.last_number)) then 'Has subtasks added since'
end`;

/**
 * POST /api/imports/{id}/undo: deletes the tasks the import created that nobody has changed
 * since (edited, commented, timed, given files, dependencies or new subtasks), and names the
 * ones it keeps. Updates the import made to existing tasks stay (they changed tasks people had).
 */
export async function undoImport(ctx: Ctx, importId: string): Promise<ImportUndo> {
  const row = await findImport(ctx, importId, { forUpdate: true });
  if (row.status === "undone") throw new ConflictError("This import was undone already.", "already_undone");
  if (row.status !== "completed") throw new ConflictError(`Only a completed import can be undone; this one is ${row.status}.`, "not_completed");
  const created = await ctx.tx.execute(sql`
    select t.id, t.number, t.title, ${KEPT_REASONS} as reason
    from tasks t join task_imports i on i.id = ${importId}
    where t.project_id = i.project_id and t.number between i.first_number and i.last_number
    order by t.number`);
  const rows = (created as { rows: Array<{ id: string; number: number; title: string; reason: string | null }> }).rows;
  const removable = rows.filter((task) => !task.reason).map((task) => task.id);
  for (let index = 0; index < removable.length; index += 10_000) {
    await ctx.tx.delete(tasks).where(and(eq(tasks.orgId, row.orgId), sql`${tasks.id} = any(${sql.param(removable.slice(index, index + 10_000))}::uuid[])`));
  }
  await ctx.tx.update(taskImports).set({ status: "undone", undoneAt: new Date() }).where(eq(taskImports.id, importId));
  const kept = rows
    .filter((task) => task.reason)
    .map((task) => ({ id: task.id, key: taskKey(row.projectKey, task.number), title: task.title, reason: task.reason as string }));
  await recordAudit(ctx, {
    orgId: row.orgId,
    action: "import.undone",
    entityType: "project",
    entityId: row.projectId,
    changes: { importId: [null, importId], removed: [null, removable.length], kept: [null, kept.length] },
  });
  const view = presentImport({ ...row, status: "undone" });
  ctx.afterCommit(async () => {
    await pushImport(ctx.services, row.createdById, view);
    await pushTasksImported(ctx.services, row.orgId, row.projectId);
  });
  return { removed: removable.length, kept };
}
