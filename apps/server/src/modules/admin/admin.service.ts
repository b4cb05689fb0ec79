import { eq, sql } from "drizzle-orm";
import { authorize } from "../../platform/access/engine.js";
import { recordAudit, diff } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import type { Jobs } from "../../platform/jobs/jobs.js";
import { schedules } from "../../platform/jobs/jobs.table.js";
import {
  cancelJob as cancelBossJob,
  failedJobIds,
  failedJobs,
  findJob,
  listWorkers,
  queueExists,
  queueSummaries,
  retryJobs,
  type JobView,
} from "../../platform/jobs/monitor.js";
import {
  applySchedule,
  ensureSchedules,
  nextRunAt,
  normalizeCron,
  previewRuns,
  runNowPayload,
  scheduleProblems,
  USER_ZONE,
  type ScheduleDefinition,
  type ScheduleRow,
} from "../../platform/jobs/schedules.js";
import { profiles } from "../accounts/index.js";
import { probeJob } from "./admin.jobs.js";
import { platformPolicy } from "./admin.policy.js";

/**
 * The superuser's side of the platform: the schedules the modules declare (stored, editable, run
 * by hand) and the job monitor (queues, failed jobs, retry, cancel, workers).
 */

export type ScheduleView = {
  name: string;
  description: string;
  job: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  lastRunAt: Date | null;
  lastStatus: "ok" | "failed" | null;
  lastError: string | null;
  nextRunAt: Date | null;
  totalRuns: number;
  /** What the module declares; the row differs when the superuser edited it. */
  declared: { cron: string; timezone: string };
  editedAt: Date | null;
};

/** The job queue, or a 409 when this installation runs without one (PGBOSS_ENABLED=false): a state, not a fault. */
function jobsOf(ctx: Ctx): Jobs {
  const { jobs } = ctx.services;
  if (!jobs)
    throw new ConflictError(
      "The job queue is switched off on this installation (PGBOSS_ENABLED=false): nothing can be run, listed or retried.",
      "jobs_disabled",
    );
  return jobs;
}

/** The zones users live in, for when a schedule in users' own zones next runs. */
async function userZones(ctx: Ctx): Promise<string[]> {
  const rows = await ctx.tx.selectDistinct({ timezone: profiles.timezone }).from(profiles);
  return rows.map((row) => row.timezone);
}

function presentSchedule(
  ctx: Ctx,
  definition: ScheduleDefinition,
  row: ScheduleRow,
  zones: readonly string[],
): ScheduleView {
  return {
    name: definition.name,
    description: definition.description,
    job: definition.job.name,
    cron: row.cron,
    timezone: row.timezone,
    enabled: row.enabled,
    lastRunAt: row.lastRunAt,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    nextRunAt: nextRunAt(row, zones, { boss: ctx.services.jobs?.boss }),
    totalRuns: Number(row.totalRuns),
    declared: { cron: normalizeCron(definition.cron), timezone: definition.timezone },
    editedAt: row.editedAt,
  };
}

/** GET /api/admin/schedules: every declared schedule as stored (missing ones are added first). */
export async function listSchedules(ctx: Ctx): Promise<ScheduleView[]> {
  authorize(ctx.actor, platformPolicy, "manageSchedules", null);
  const declared = ctx.services.schedules;
  const rows = await ensureSchedules(ctx.tx, declared);
  const byName = new Map(rows.map((row) => [row.name, row]));
  const zones = await userZones(ctx);
  return declared.flatMap((definition) => {
    const row = byName.get(definition.name);
    return row ? [presentSchedule(ctx, definition, row, zones)] : [];
  });
}

function declaredSchedule(ctx: Ctx, name: string): ScheduleDefinition {
  const definition = ctx.services.schedules.find((schedule) => schedule.name === name);
  if (!definition) throw new NotFoundError("schedule");
  return definition;
}

async function scheduleRow(ctx: Ctx, definition: ScheduleDefinition): Promise<ScheduleRow> {
  await ensureSchedules(ctx.tx, [definition]);
  // Locked: two edits of one schedule apply one after the other, and pg-boss gets the last.
  const [row] = await ctx.tx
    .select()
    .from(schedules)
    .where(eq(schedules.name, definition.name))
    .for("update");
  if (!row) throw new NotFoundError("schedule");
  return row;
}

export type SchedulePatch = {
  cron?: string | undefined;
  timezone?: string | undefined;
  enabled?: boolean | undefined;
};

/**
 * PATCH /api/admin/schedules/{name}: a new cron, zone or switch. Stored with pg-boss's own schedule
 * in the same transaction; every instance's cron pass reads that, so no restart is needed.
 */
export async function updateSchedule(ctx: Ctx, name: string, patch: SchedulePatch): Promise<ScheduleView> {
  const actor = authorize(ctx.actor, platformPolicy, "manageSchedules", null);
  const definition = declaredSchedule(ctx, name);
  const problems = scheduleProblems(patch);
  if (problems.length)
    throw new ValidationError(problems, problems.map((problem) => problem.message).join(" "));
  const before = await scheduleRow(ctx, definition);
  const changes = {
    ...(patch.cron !== undefined ? { cron: normalizeCron(patch.cron) } : {}),
    ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
    ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
  };
  const changed = diff({ cron: before.cron, timezone: before.timezone, enabled: before.enabled }, changes);
  // Nothing changes: the row stays as it was (a schedule nobody edited keeps following its declaration).
  if (!Object.keys(changed).length) return presentSchedule(ctx, definition, before, await userZones(ctx));
  const [row] = await ctx.tx
    .update(schedules)
    .set({ ...changes, editedAt: sql`now()`, editedBy: actor.userId })
    .where(eq(schedules.name, definition.name))
    .returning();
  if (!row) throw new NotFoundError("schedule");
  if (ctx.services.jobs) await applySchedule(ctx.services.jobs.boss, definition, row, ctx.tx);
  await recordAudit(ctx, {
    orgId: null,
    action: "schedule.updated",
    entityType: "schedule",
    entityId: definition.name,
    changes: changed,
  });
  return presentSchedule(ctx, definition, row, await userZones(ctx));
}

/**
 * POST /api/admin/schedules/{name}/run: one job now, enabled or not. A schedule in users' own
 * zones gets `{cron, force: true}`: everyone whose message of today is not sent yet gets it.
 */
export async function runSchedule(
  ctx: Ctx,
  name: string,
): Promise<{ name: string; jobId: string | null; queue: string }> {
  authorize(ctx.actor, platformPolicy, "manageSchedules", null);
  const definition = declaredSchedule(ctx, name);
  const jobs = jobsOf(ctx);
  const row = await scheduleRow(ctx, definition);
  const jobId = await jobs.send(ctx.tx, definition.job.name, runNowPayload(row));
  await recordAudit(ctx, {
    orgId: null,
    action: "schedule.run",
    entityType: "schedule",
    entityId: definition.name,
    changes: { jobId: [null, jobId] },
  });
  return { name: definition.name, jobId, queue: definition.job.name };
}

/** GET /api/admin/schedules/preview: the next runs of a cron in a zone, or a 400 saying why not. */
export function previewSchedule(
  ctx: Ctx,
  query: { cron: string; timezone: string; count: number },
): { cron: string; timezone: string; zone: string; runs: Date[] } {
  authorize(ctx.actor, platformPolicy, "manageSchedules", null);
  const problems = scheduleProblems(query);
  if (problems.length)
    throw new ValidationError(problems, problems.map((problem) => problem.message).join(" "));
  const cron = normalizeCron(query.cron);
  // Users' own zones: the local times every user gets, shown as they fall in UTC.
  const zone = query.timezone === USER_ZONE ? "UTC" : query.timezone;
  return {
    cron,
    timezone: query.timezone,
    zone,
    runs: previewRuns(cron, zone, query.count, { boss: ctx.services.jobs?.boss }),
  };
}

/** GET /api/admin/jobs: every queue counted by state, the last hour's throughput, the workers. */
export async function jobsOverview(ctx: Ctx) {
  authorize(ctx.actor, platformPolicy, "monitorJobs", null);
  const jobs = jobsOf(ctx);
  const [queues, workers] = await Promise.all([queueSummaries(ctx.tx, jobs.boss), listWorkers(ctx.tx)]);
  return { queues, workers };
}

export async function listFailedJobs(
  ctx: Ctx,
  query: { queue?: string | undefined; page: number; pageSize: number },
) {
  authorize(ctx.actor, platformPolicy, "monitorJobs", null);
  jobsOf(ctx);
  const { items, total } = await failedJobs(ctx.tx, query);
  return { items, total, page: query.page, pageSize: query.pageSize };
}

export async function getJob(ctx: Ctx, id: string): Promise<JobView> {
  authorize(ctx.actor, platformPolicy, "monitorJobs", null);
  jobsOf(ctx);
  const job = await findJob(ctx.tx, id);
  if (!job) throw new NotFoundError("job");
  return job;
}

/** POST /api/admin/jobs/{id}/retry: a failed job runs again, with one more attempt. */
export async function retryJob(ctx: Ctx, id: string): Promise<JobView> {
  const job = await getJob(ctx, id);
  if (job.state !== "failed")
    throw new ConflictError(`Only a failed job can be retried; this one is ${job.state}.`, "job_not_failed");
  await retryJobs(jobsOf(ctx).boss, job.queue, [job.id], ctx.tx);
  await recordAudit(ctx, {
    orgId: null,
    action: "job.retried",
    entityType: "job",
    entityId: job.id,
    changes: { queue: [null, job.queue] },
  });
  return (await findJob(ctx.tx, id)) ?? job;
}

/** POST /api/admin/jobs/retry: every failed job of a queue runs again. */
export async function retryQueue(ctx: Ctx, queue: string): Promise<{ queue: string; retried: number }> {
  authorize(ctx.actor, platformPolicy, "monitorJobs", null);
  const jobs = jobsOf(ctx);
  if (!(await queueExists(ctx.tx, queue))) throw new NotFoundError("queue");
  const retried = await retryJobs(jobs.boss, queue, await failedJobIds(ctx.tx, queue), ctx.tx);
  if (retried)
    await recordAudit(ctx, {
      orgId: null,
      action: "jobs.retried",
      entityType: "queue",
      entityId: queue,
      changes: { retried: [null, retried] },
    });
  return { queue, retried };
}

/** POST /api/admin/jobs/{id}/cancel: a job that has not finished will not run (again). */
export async function cancelJob(ctx: Ctx, id: string): Promise<JobView> {
  const job = await getJob(ctx, id);
  if (!["created", "retry", "active"].includes(job.state))
    throw new ConflictError(
      `Only a queued, retrying or running job can be cancelled; this one is ${job.state}.`,
      "job_finished",
    );
  await cancelBossJob(jobsOf(ctx).boss, job.queue, job.id, ctx.tx);
  await recordAudit(ctx, {
    orgId: null,
    action: "job.cancelled",
    entityType: "job",
    entityId: job.id,
    changes: { queue: [null, job.queue] },
  });
  return (await findJob(ctx.tx, id)) ?? job;
}

/** POST /api/admin/jobs/probe: a test job, that completes or fails on its first attempt. */
export async function sendProbe(
  ctx: Ctx,
  failFirst: boolean,
): Promise<{ jobId: string | null; queue: string }> {
  const actor = authorize(ctx.actor, platformPolicy, "monitorJobs", null);
  const jobs = jobsOf(ctx);
  const jobId = await jobs.send(ctx.tx, probeJob.name, { failFirst, sentBy: actor.username });
  return { jobId, queue: probeJob.name };
}
