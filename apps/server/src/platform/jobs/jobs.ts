import { sql } from "drizzle-orm";
import { PgBoss, fromDrizzle, fromPglite, type DrizzleTransactionLike } from "pg-boss";
import type { Logger } from "pino";
import type { z } from "zod";
import type { Database, Tx } from "../../db/client.js";
import type { Services } from "../services.js";

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
  /** Starts workers for every registered definition (the `worker` and `all` commands). */
  work(services: Services): Promise<void>;
  stop(): Promise<void>;
};

type JobsOptions = {
  /** Maintenance and cron scheduling; on for worker processes. */
  supervise: boolean;
  postgresUrl: string | null;
  /**
   * Recurring jobs the modules declare. A supervising process puts each on
   * pg-boss's cron once (a schedule already stored keeps its cron and time
   * zone, which the superuser may have changed); pg-boss then sends one job
   * per occurrence across every instance, and whichever worker takes it runs it.
   */
  schedules?: readonly { name: string; cron: string; timezone: string; job: JobDefinition }[];
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
  if (options.supervise) {
    for (const schedule of options.schedules ?? []) {
      if (!registered.has(schedule.job.name))
        throw new Error(`Schedule ${schedule.name} runs the unregistered job ${schedule.job.name}`);
      // A schedule in users' own zones ("user") ticks every minute in UTC with its cron in the payload;
      // its handler decides per person whose hour it is (platform/schedules/user-tick.ts).
      const user = schedule.timezone === "user";
      if (!(await boss.getSchedule(schedule.job.name))) {
        await boss.schedule(
          schedule.job.name,
          user ? "* * * * *" : schedule.cron,
          user ? { cron: schedule.cron } : {},
          { tz: user ? "UTC" : schedule.timezone },
        );
      }
    }
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
    async work(services) {
      for (const job of registered.values()) {
        // Retries and delayed jobs are not notified: the poll is their floor.
        await boss.work(
          job.name,
          { pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2 },
          async ([item]) => {
            if (!item) return;
            const jobLog = log.child({ job: job.name, jobId: item.id });
            await job.handler(job.payload.parse(item.data), {
              jobId: item.id,
              attempt: item.retryCount,
              log: jobLog,
              services,
            });
          },
        );
      }
    },
    stop: () => boss.stop({ graceful: true, timeout: 20_000 }),
  };
}
