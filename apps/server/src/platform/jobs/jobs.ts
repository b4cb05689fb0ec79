import { randomUUID } from "node:crypto";
import os from "node:os";
import { eq, sql } from "drizzle-orm";
import { PgBoss, fromDrizzle, fromPglite, type DrizzleTransactionLike, type JobResult } from "pg-boss";
import type { Logger } from "pino";
import type { z } from "zod";
import type { Database, Tx } from "../../db/client.js";
import type { Services } from "../services.js";
import { jobWorkers } from "./jobs.table.js";
import { inTx, recordScheduleRun, syncSchedules, type ScheduleDefinition } from "./schedules.js";

/**
 * Jobs are declared data: a name, a zod payload and an idempotent handler.
 * They are enqueued inside the transaction of the change that caused them, so
 * a rolled-back change leaves no phantom job and a committed one never loses it.
 */
export type JobDefinition<P extends z.ZodType = z.ZodType> = {
  name: string;
  payload: P;
  /** Attempts after the first, with exponential backoff; then the job stays failed (dead letter). */
  retryLimit?: number;
  /** Seconds before the first retry; doubled (with jitter) each time. */
  retryDelaySeconds?: number;
  /**
   * How many jobs of this kind a worker takes at once and runs side by side (default 50: one fetch
   * and one settle per batch is what makes a worker fast). Lower it for handlers that hold something
   * scarce, such as SMTP connections.
   */
  batchSize?: number;
  handler: (
    payload: z.output<P>,
    meta: { jobId: string; attempt: number; log: Logger; services: Services },
  ) => Promise<void>;
};

export function defineJob<P extends z.ZodType>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

/** When a job may start and what makes it one of a kind (pg-boss's `startAfter` and `singletonKey`). */
export type EnqueueOptions = { startAfter?: Date; singletonKey?: string };

export type Jobs = {
  boss: PgBoss;
  /** Enqueues in `tx`: the job exists only if the transaction commits. */
  enqueue<P extends z.ZodType>(
    tx: Tx,
    job: JobDefinition<P>,
    payload: z.input<P>,
    options?: EnqueueOptions,
  ): Promise<void>;
  /** Enqueues many jobs of one kind in `tx` with one statement (bulk changes). */
  enqueueMany<P extends z.ZodType>(tx: Tx, job: JobDefinition<P>, payloads: z.input<P>[]): Promise<void>;
  /** Sends one job of a registered kind with this exact payload (a schedule run by hand); its id. */
  send(tx: Tx | null, jobName: string, data: object): Promise<string | null>;
  /** Starts workers for every registered definition (the `worker` and `all` commands), with a heartbeat in `job_workers`. */
  work(services: Services, options?: WorkTuning): Promise<void>;
  /** This process's row in `job_workers`, once it works jobs. */
  readonly workerId: string | null;
  stop(): Promise<void>;
};

/** How a worker takes jobs: the defaults suit every queue; the benchmark states them. */
export type WorkTuning = { batchSize?: number; localConcurrency?: number; heartbeatSeconds?: number };

/** Jobs a worker takes at once, unless a job says otherwise (JobDefinition.batchSize). */
export const DEFAULT_BATCH_SIZE = 50;

/** How often a working process says it is alive. */
export const WORKER_HEARTBEAT_SECONDS = 15;

/** A job's failure as pg-boss stores it in the job's output. */
function failureOutput(error: unknown): { name: string; message: string; stack?: string } {
  if (error instanceof Error)
    return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { name: "Error", message: String(error) };
}

type JobsOptions = {
  /** Maintenance and cron scheduling; on for worker processes. */
  supervise: boolean;
  postgresUrl: string | null;
  /**
   * Recurring jobs the modules declare. A supervising process brings pg-boss's schedules in line
   * with the `schedules` table at start (schedules.ts: the superuser's edits are kept); pg-boss then
   * sends one job per occurrence across every instance, and whichever worker takes it runs it. Each
   * run of a schedule's job is recorded on its row (last run, status, count).
   */
  schedules?: readonly ScheduleDefinition[];
};

export async function createJobs(
  database: Database,
  definitions: JobDefinition[],
  log: Logger,
  options: JobsOptions,
): Promise<Jobs> {
  // LISTEN/NOTIFY wakes workers the moment a job commits (milliseconds instead of a polling interval).
  const common = {
    supervise: options.supervise,
    schedule: options.supervise,
    migrate: true,
    useListenNotify: true,
  };
  const boss =
    database.kind === "pglite" && database.pglite
      ? new PgBoss({ ...common, db: fromPglite(database.pglite), backend: "pglite" })
      : new PgBoss({ ...common, connectionString: options.postgresUrl ?? undefined, max: 4 });
  boss.on("error", (error: unknown) => log.error({ err: error }, "job queue error"));
  await boss.start();
  const registered = new Map<string, JobDefinition>();
  for (const job of definitions) {
    if (!(await boss.getQueue(job.name))) {
      await boss.createQueue(job.name, {
        retryLimit: job.retryLimit ?? 5,
        retryDelay: job.retryDelaySeconds ?? 5,
        retryBackoff: true,
        notify: true,
      });
    }
    // Warms pg-boss's queue cache now: inside a transaction it must not need its own connection
    // (PGlite has only one, held by the transaction).
    await boss.getJobById(job.name, "00000000-0000-0000-0000-000000000000");
    registered.set(job.name, job);
  }
  const scheduleOf = new Map<string, string>();
  for (const schedule of options.schedules ?? []) {
    if (!registered.has(schedule.job.name))
      throw new Error(`Schedule ${schedule.name} runs the unregistered job ${schedule.job.name}`);
    scheduleOf.set(schedule.job.name, schedule.name);
  }
  if (options.supervise && options.schedules?.length)
    await syncSchedules(boss, database.db, options.schedules);
  let workerId: string | null = null;
  let heartbeat: NodeJS.Timeout | null = null;

  /** Runs one job's handler; a schedule's job also records the run on the schedule's row. */
  async function run(
    job: JobDefinition,
    item: { id: string; data: unknown; retryCount: number },
    services: Services,
  ): Promise<void> {
    const jobLog = log.child({ job: job.name, jobId: item.id });
    const schedule = scheduleOf.get(job.name);
    try {
      await job.handler(job.payload.parse(item.data), {
        jobId: item.id,
        attempt: item.retryCount,
        log: jobLog,
        services,
      });
    } catch (error) {
      if (schedule)
        await recordScheduleRun(database.db, schedule, {
          ok: false,
          error: failureOutput(error).message,
        }).catch(() => undefined);
      throw error;
    }
    if (schedule)
      await recordScheduleRun(database.db, schedule, { ok: true }).catch((error: unknown) =>
        jobLog.warn({ err: error }, "schedule run not recorded"),
      );
  }

  return {
    boss,
    async enqueue(tx, job, payload, options = {}) {
      if (!registered.has(job.name)) throw new Error(`Job ${job.name} is not registered`);
      const data = job.payload.parse(payload) as object;
      await boss.send(job.name, data, {
        ...options,
        db: fromDrizzle(tx as unknown as DrizzleTransactionLike, sql),
      });
    },
    async enqueueMany(tx, job, payloads) {
      if (!registered.has(job.name)) throw new Error(`Job ${job.name} is not registered`);
      if (!payloads.length) return;
      const rows = payloads.map((payload) => ({ data: job.payload.parse(payload) as object }));
      await boss.insert(job.name, rows, { db: fromDrizzle(tx as unknown as DrizzleTransactionLike, sql) });
    },
    async send(tx, jobName, data) {
      if (!registered.has(jobName)) throw new Error(`Job ${jobName} is not registered`);
      return boss.send(jobName, data, inTx(tx));
    },
    get workerId() {
      return workerId;
    },
    async work(services, tuning = {}) {
      const localConcurrency = tuning.localConcurrency ?? 1;
      for (const job of registered.values()) {
        // Retries and delayed jobs are not notified: the poll is their floor. A batch is settled job by
        // job (one failing does not fail the others); a full batch is followed by the next at once.
        await boss.work(
          job.name,
          {
            pollingIntervalSeconds: 2,
            notifyPollingIntervalSeconds: 2,
            batchSize: tuning.batchSize ?? job.batchSize ?? DEFAULT_BATCH_SIZE,
            localConcurrency,
            burstWhenBatchFull: true,
            perJobResults: true,
          },
          async (items): Promise<JobResult[]> =>
            Promise.all(
              items.map(async (item): Promise<JobResult> => {
                try {
                  await run(job, item, services);
                  return { id: item.id, status: "completed" };
                } catch (error) {
                  log.warn({ job: job.name, jobId: item.id, err: error }, "job failed");
                  return { id: item.id, status: "failed", output: failureOutput(error) };
                }
              }),
            ),
        );
      }
      // The job monitor lists working processes by their heartbeat.
      workerId = randomUUID();
      const id = workerId;
      await database.db
        .insert(jobWorkers)
        .values({ id, host: os.hostname(), pid: process.pid, queues: registered.size });
      heartbeat = setInterval(
        () => {
          database.db
            .update(jobWorkers)
            .set({ lastSeenAt: sql`now()` })
            .where(eq(jobWorkers.id, id))
            .then(async (result) => {
              // Removed meanwhile (a clean-up after a long pause): say hello again.
              if (
                !(result as { rowCount?: number | null }).rowCount &&
                !(result as { affectedRows?: number }).affectedRows
              ) {
                await database.db
                  .insert(jobWorkers)
                  .values({ id, host: os.hostname(), pid: process.pid, queues: registered.size })
                  .onConflictDoNothing();
              }
            })
            .catch((error: unknown) => log.warn({ err: error }, "worker heartbeat failed"));
        },
        (tuning.heartbeatSeconds ?? WORKER_HEARTBEAT_SECONDS) * 1000,
      );
      heartbeat.unref();
    },
    async stop() {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      await boss.stop({ graceful: true, timeout: 20_000 });
      if (workerId) {
        await database.db
          .delete(jobWorkers)
          .where(eq(jobWorkers.id, workerId))
          .catch((error: unknown) => log.warn({ err: error }, "worker row not removed"));
      }
    },
  };
}
