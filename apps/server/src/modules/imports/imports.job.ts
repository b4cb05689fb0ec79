import { IMPORT_ERRORS_LISTED, type ImportRowError } from "@cairn/shared";
import { and, eq, inArray, sql } from "drizzle-orm";
import { Readable } from "node:stream";
import { z } from "zod";
import { systemActor, type UserActor } from "../../platform/access/actor.js";
import { recordAudit } from "../../platform/audit/audit.js";
import { inTransaction } from "../../platform/context.js";
import { AppError } from "../../platform/errors.js";
import { emitEvent } from "../../platform/events/events.js";
import { defineJob } from "../../platform/jobs/jobs.js";
import { runAs, type Services } from "../../platform/services.js";
import { newStorageKey, privateStorage } from "../../platform/storage/storage.js";
import { csvLine } from "../reports/index.js";
import { canonicalLabels, resolveTaskTarget, takeNumbers } from "../tasks/index.js";
import { scanCsv } from "./imports.csv.js";
import { importFinished } from "./imports.events.js";
import { planImport, scanFile } from "./imports.plan.js";
import { pushImport, pushTasksImported } from "./imports.realtime.js";
import { liveProgressKey, presentImport, reportProgress, type ImportRecord } from "./imports.view.js";
import { taskImports } from "./imports.table.js";
import { ImportWriter } from "./imports.write.js";

/** How often the live bar hears of a running import, at most. */
const PUSH_EVERY_MS = 250;

/**
 * Runs an import: the file read twice (checked, then written), every good row
 * written in one transaction with the import's outcome, so an import is whole
 * or not at all; a failure leaves no task and says so on the import. Imports
 * of one project run one after another (an advisory lock), so two never add
 * the same externalId twice. Retried once after a crash; an import that has
 * finished is never run again.
 */
export const runImportJob = defineJob({
  name: "tasks.import",
  payload: z.object({ importId: z.uuid() }),
  retryLimit: 1,
  batchSize: 1,
  handler: async ({ importId }, { services }) => runImport(services, importId),
});

async function runImport(services: Services, importId: string): Promise<void> {
  const { db } = services.database;
  const [record] = await db
    .update(taskImports)
    .set({ status: "running", startedAt: new Date() })
    .where(and(eq(taskImports.id, importId), inArray(taskImports.status, ["queued", "running"])))
    .returning();
  if (!record) return;
  const storage = privateStorage(services.config);
  let errorsKey: string | null = null;
  const clock = { started: performance.now(), scanned: 0, planned: 0, written: 0 };
  let done: { created: number; updated: number; rows: number; notify: () => Promise<void> };
  try {
    const principal = record.createdById ? await services.principals.get(record.createdById) : null;
    if (!principal?.isActive) throw new AppError(403, "permission_denied", "Permission denied", "Whoever started the import can no longer sign in; nothing was imported.");
    const actor: UserActor = { kind: "user", userId: principal.userId, username: principal.username, isSuperuser: principal.isSuperuser, sessionId: null, orgs: principal.orgs };
    if (!record.fileKey) throw new Error(`import ${importId} has no file`);
    const fileKey = record.fileKey;
    const scan = await scanFile((await storage.open(fileKey)).stream);
    clock.scanned = performance.now();
    await pushImport(services, record.createdById, presentImport(record, 0));
    errorsKey = newStorageKey("imports");
    const seed = { services, actor, log: services.log.child({ importId }), meta: { ip: null, userAgent: null, requestId: null } };
    const outcome = await inTransaction(db, seed, async (ctx) => {
      await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext('task_import'), hashtext(${record.projectId}))`);
      // The importer's rights now, not when they uploaded.
      const { orgId, project } = await resolveTaskTarget(ctx, { projectId: record.projectId });
      const plan = await planImport(ctx, { orgId, id: record.projectId }, scan);
      const updates = [...plan.externalIds].filter(([externalId, row]) => plan.existing.has(externalId) && !plan.refused[row - 2]).length;
      const creates = plan.valid - updates;
      const labels = plan.labels.size ? await canonicalLabels(ctx.tx, orgId, [...plan.labels.values()]) : new Map<string, string>();
      const firstNumber = creates ? await takeNumbers(ctx.tx, orgId, record.projectId, creates) : 0;
      clock.planned = performance.now();
      let pushedAt = 0;
      const writer = new ImportWriter(ctx, plan, { orgId, projectId: record.projectId, reporterId: actor.userId, firstNumber }, labels, async (processed) => {
        await reportProgress(services, importId, processed);
        if (Date.now() - pushedAt < PUSH_EVERY_MS) return;
        pushedAt = Date.now();
        await pushImport(services, record.createdById, presentImport(record, processed));
      });
      await scanCsv((await storage.open(fileKey)).stream, { row: ({ row }, rowNumber) => writer.add(row, rowNumber) });
      await writer.finish();
      clock.written = performance.now();
      if (writer.created !== creates) throw new Error(`import ${importId} created ${writer.created} tasks, planned ${creates}`);
      const errors: ImportRowError[] = plan.errors;
      if (errors.length) {
        await storage.put(errorsKey as string, Readable.from(errorLines(errors)), { maxBytes: Number.MAX_SAFE_INTEGER });
      }
      const [finished] = await ctx.tx
        .update(taskImports)
        .set({
          status: "completed",
          processed: plan.total,
          created: writer.created,
          updated: writer.updated,
          errorCount: errors.length,
          errors: errors.slice(0, IMPORT_ERRORS_LISTED),
          errorsKey: errors.length ? errorsKey : null,
          fileKey: null,
          firstNumber: creates ? firstNumber : null,
          lastNumber: creates ? firstNumber + creates - 1 : null,
          finishedAt: sql`now()`,
        })
        .where(eq(taskImports.id, importId))
        .returning();
      if (!finished) throw new Error(`import ${importId} vanished`);
      const refused = new Set(errors.map((error) => error.row)).size;
      await recordAudit(ctx, {
        orgId,
        action: "import.finished",
        entityType: "project",
        entityId: record.projectId,
        changes: { importId: [null, importId], created: [null, writer.created], updated: [null, writer.updated], refused: [null, refused] },
      });
      await emitEvent(ctx, importFinished, {
        orgId,
        recipients: [actor.userId],
        includeActor: true,
        data: { importId, projectId: record.projectId, projectKey: project?.key ?? "", fileName: record.fileName, status: "completed", created: writer.created, updated: writer.updated, refused },
      });
      if (!errors.length) errorsKey = null;
      return { finished, orgId, changed: writer.created + writer.updated > 0 };
    });
    done = {
      created: outcome.finished.created,
      updated: outcome.finished.updated,
      rows: scan.total,
      notify: async () => {
        await storage.delete(fileKey);
        await services.ephemeral.kv.del(liveProgressKey(importId));
        await pushImport(services, record.createdById, presentImport(outcome.finished));
        if (outcome.changed) await pushTasksImported(services, outcome.orgId, record.projectId);
      },
    };
  } catch (error) {
    if (errorsKey) await storage.delete(errorsKey);
    await failImport(services, record, error);
    return;
  }
  // Committed: what follows tidies up and tells; its failure is logged, never the import's.
  const ms = (from: number, to: number) => Math.round(to - from);
  services.log.info(
    { importId, rows: done.rows, created: done.created, updated: done.updated, scanMs: ms(clock.started, clock.scanned), planMs: ms(clock.scanned, clock.planned), writeMs: ms(clock.planned, clock.written), totalMs: ms(clock.started, performance.now()) },
    "import completed",
  );
  try {
    await done.notify();
  } catch (error) {
    services.log.warn({ err: error, importId }, "import completed; tidying up or telling its viewers failed");
  }
}

function* errorLines(errors: ImportRowError[]): Generator<string> {
  yield csvLine(["row", "column", "message"]);
  for (const error of errors) yield csvLine([error.row, error.column, error.message]);
}

/** Marks an import failed with words its owner can act on; internals go to the log only. */
async function failImport(services: Services, record: ImportRecord, error: unknown): Promise<void> {
  const known = error instanceof AppError && error.status < 500;
  if (!known) services.log.error({ err: error, importId: record.id }, "import failed");
  const failure = known ? `${error.message} Nothing was imported.` : "The import failed on the server; nothing was imported. Try again, or ask an administrator to look at the logs.";
  const failed = await runAs(services, systemActor("tasks.import"), async (ctx) => {
    const [row] = await ctx.tx
      .update(taskImports)
      .set({ status: "failed", failure, finishedAt: new Date(), processed: 0 })
      .where(eq(taskImports.id, record.id))
      .returning();
    const projectKey = await ctx.tx.execute(sql`select key from projects where id = ${record.projectId}`);
    await emitEvent(ctx, importFinished, {
      orgId: record.orgId,
      recipients: record.createdById ? [record.createdById] : [],
      data: {
        importId: record.id,
        projectId: record.projectId,
        projectKey: (projectKey as { rows: Array<{ key: string }> }).rows[0]?.key ?? "",
        fileName: record.fileName,
        status: "failed",
        created: 0,
        updated: 0,
        refused: 0,
      },
    });
    return row;
  });
  if (record.fileKey) await privateStorage(services.config).delete(record.fileKey);
  if (failed) await pushImport(services, record.createdById, presentImport(failed));
}
