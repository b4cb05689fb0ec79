import { lt } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.js";
import { defineJob } from "./jobs.js";
import { jobWorkers } from "./jobs.table.js";
import type { ScheduleDefinition } from "./schedules.js";

/**
 * Something a module keeps that expires: the module says what (its manifest's `cleanup`), the
 * platform's `cleanup` schedule removes it. `run` deletes what is past its time at `now` and
 * returns how many rows went. Values kept by the ephemeral store (one-time phone codes, rate
 * limits, the token denylist) expire on their own and need no task.
 */
export type CleanupTask = {
  name: string;
  description: string;
  run(db: Db, now: Date): Promise<number>;
};

/** Rows of a DELETE … RETURNING, from node-postgres or PGlite. */
export function deletedCount(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  const { rowCount, affectedRows, rows } = result as {
    rowCount?: number | null;
    affectedRows?: number;
    rows?: unknown[];
  };
  return rowCount ?? affectedRows ?? rows?.length ?? 0;
}

/** The platform's own: workers that have not been heard from for a day (they died without saying so). */
export const staleWorkersCleanup: CleanupTask = {
  name: "job-workers",
  description: "Workers not seen for a day",
  async run(db, now) {
    const dayAgo = new Date(now.getTime() - 24 * 3600_000);
    return deletedCount(await db.delete(jobWorkers).where(lt(jobWorkers.lastSeenAt, dayAgo)));
  },
};

/** Runs every task, each on its own (one failing does not stop the others); throws at the end if one failed. */
export async function runCleanup(
  db: Db,
  tasks: readonly CleanupTask[],
  now = new Date(),
): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  const failures: string[] = [];
  for (const task of tasks) {
    try {
      removed[task.name] = await task.run(db, now);
    } catch (error) {
      failures.push(`${task.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length) throw new Error(`Clean-up failed for ${failures.join("; ")}`);
  return removed;
}

/** The `cleanup` schedule, over the tasks every module declares (built by `compose`). */
export function cleanupSchedule(tasks: readonly CleanupTask[]): ScheduleDefinition {
  const job = defineJob({
    name: "cleanup",
    payload: z.looseObject({}),
    retryLimit: 2,
    retryDelaySeconds: 60,
    async handler(_payload, { services, log }) {
      const removed = await runCleanup(services.database.db, tasks);
      log.info({ removed }, "clean-up");
    },
  });
  return {
    name: "cleanup",
    description: `Removes what has expired: ${tasks.map((task) => task.description.toLowerCase()).join("; ")}`,
    cron: "30 3 * * *",
    timezone: "UTC",
    job,
  };
}
