import { asc, sql, type SQL } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import type { Db, Tx } from "../../db/client.js";
import { jobWorkers } from "./jobs.table.js";
import { WORKER_HEARTBEAT_SECONDS } from "./jobs.js";
import { inTx } from "./schedules.js";

/**
 * The job monitor's reads, over pg-boss's own tables (schema `pgboss`), and its writes through
 * pg-boss's API (`retry`, `cancel`). What Flower shows for Celery, and retry, which Flower cannot.
 */

const SCHEMA = "pgboss";
const jobTable = sql.raw(`${SCHEMA}.job`);

export const JOB_STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** The states as the API names them (`created` is "queued"). */
export type StateCounts = {
  queued: number;
  active: number;
  retry: number;
  completed: number;
  failed: number;
  cancelled: number;
};

/** The last hour cut in 5-minute buckets, oldest first, for the throughput chart. */
export const BUCKET_SECONDS = 300;
export const BUCKETS = 12;

export type QueueSummary = {
  name: string;
  counts: StateCounts;
  lastHourCompleted: number;
  lastHourFailed: number;
  /** Completed and failed jobs per 5 minutes over the last hour, oldest first. */
  lastHour: { at: Date; completed: number; failed: number }[];
};

/** pg-boss's internal queues (its cron forwarder) are its business, not the monitor's. */
const isInternal = (name: string) => name.startsWith("__pgboss");

/** The rows of a raw query, from node-postgres (`{rows}`) or PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

const emptyCounts = (): StateCounts => ({
  queued: 0,
  active: 0,
  retry: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
});

/** Every queue with its jobs counted by state and its last hour's throughput. */
export async function queueSummaries(db: Db, boss: PgBoss, now = new Date()): Promise<QueueSummary[]> {
  const queues = (await boss.getQueues()).map((queue) => queue.name).filter((name) => !isInternal(name));
  const counts = rowsOf<{ name: string; state: JobState; n: number }>(
    await db.execute(
      sql`select name, state::text as state, count(*)::int as n from ${jobTable} group by name, state`,
    ),
  );
  const firstBucket = Math.floor(now.getTime() / 1000 / BUCKET_SECONDS) - (BUCKETS - 1);
  const since = new Date(firstBucket * BUCKET_SECONDS * 1000);
  const recent = rowsOf<{ name: string; bucket: number; state: "completed" | "failed"; n: number }>(
    await db.execute(sql`
      select name, floor(extract(epoch from completed_on) / ${BUCKET_SECONDS})::int as bucket, state::text as state, count(*)::int as n
      from ${jobTable}
      where state in ('completed', 'failed') and completed_on >= ${since}
      group by 1, 2, 3`),
  );
  const byName = new Map<string, QueueSummary>();
  const summary = (name: string): QueueSummary => {
    let found = byName.get(name);
    if (!found) {
      found = {
        name,
        counts: emptyCounts(),
        lastHourCompleted: 0,
        lastHourFailed: 0,
        lastHour: Array.from({ length: BUCKETS }, (_, index) => ({
          at: new Date((firstBucket + index) * BUCKET_SECONDS * 1000),
          completed: 0,
          failed: 0,
        })),
      };
      byName.set(name, found);
    }
    return found;
  };
  for (const name of queues) summary(name);
  for (const row of counts) {
    if (isInternal(row.name)) continue;
    const key = row.state === "created" ? "queued" : row.state;
    summary(row.name).counts[key] += Number(row.n);
  }
  for (const row of recent) {
    if (isInternal(row.name)) continue;
    const queue = summary(row.name);
    const bucket = queue.lastHour[Number(row.bucket) - firstBucket];
    if (!bucket) continue;
    bucket[row.state] += Number(row.n);
  }
  const windowStart = now.getTime() - 3600_000;
  // "Last hour" proper: the buckets overlap it by less than five minutes; exact counts come from one more read.
  const exact = rowsOf<{ name: string; completed: number; failed: number }>(
    await db.execute(sql`
      select name,
        count(*) filter (where state = 'completed')::int as completed,
        count(*) filter (where state = 'failed')::int as failed
      from ${jobTable}
      where state in ('completed', 'failed') and completed_on >= ${new Date(windowStart)}
      group by name`),
  );
  for (const row of exact) {
    if (isInternal(row.name)) continue;
    const queue = summary(row.name);
    queue.lastHourCompleted = Number(row.completed);
    queue.lastHourFailed = Number(row.failed);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Keys whose values are secrets, at any depth of a payload: never shown, whoever asks. */
const SECRET_KEY =
  /pass(word|wd|phrase)?|secret|token|authori[sz]ation|cookie|api[-_]?key|credential|signature|session|otp|code$|^pin$/i;

export const REDACTED = "[redacted]";

/** A copy of `value` with the values of secret-looking keys replaced, recursively (arrays too). */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        SECRET_KEY.test(key) ? REDACTED : redactSecrets(item, depth + 1),
      ]),
    );
  }
  return value;
}

type JobRow = {
  id: string;
  name: string;
  state: JobState;
  data: unknown;
  output: unknown;
  retry_count: number;
  retry_limit: number;
  created_on: Date | string;
  started_on: Date | string | null;
  completed_on: Date | string | null;
  start_after: Date | string;
};

export type JobView = {
  id: string;
  queue: string;
  state: JobState;
  attempts: number;
  retryLimit: number;
  error: string | null;
  payload: unknown;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  /** When a failed job failed for good. */
  failedAt: Date | null;
  startAfter: Date;
};

const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

/** The message a failed job's output holds (pg-boss stores the serialized error). */
function errorOf(row: JobRow): string | null {
  if (row.state !== "failed" && row.state !== "retry") return null;
  const output = row.output as { message?: unknown; name?: unknown } | string | null;
  if (!output) return null;
  if (typeof output === "string") return output;
  const message = typeof output.message === "string" ? output.message : JSON.stringify(redactSecrets(output));
  return typeof output.name === "string" && output.name !== "Error" ? `${output.name}: ${message}` : message;
}

function present(row: JobRow): JobView {
  return {
    id: row.id,
    queue: row.name,
    state: row.state,
    // The first run is attempt 1; each retry one more.
    attempts: Number(row.retry_count) + (row.state === "created" ? 0 : 1),
    retryLimit: Number(row.retry_limit),
    error: errorOf(row),
    payload: redactSecrets(row.data ?? {}),
    createdAt: new Date(row.created_on),
    startedAt: date(row.started_on),
    completedAt: date(row.completed_on),
    failedAt: row.state === "failed" ? date(row.completed_on) : null,
    startAfter: new Date(row.start_after),
  };
}

const JOB_COLUMNS = sql.raw(
  "id, name, state::text as state, data, output, retry_count, retry_limit, created_on, started_on, completed_on, start_after",
);

async function selectJobs(db: Db, where: SQL, tail: SQL = sql``): Promise<JobRow[]> {
  return rowsOf<JobRow>(await db.execute(sql`select ${JOB_COLUMNS} from ${jobTable} where ${where} ${tail}`));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One job by id, in whichever queue it is (pg-boss internal queues aside). */
export async function findJob(db: Db, id: string): Promise<JobView | null> {
  if (!UUID.test(id)) return null;
  const [row] = await selectJobs(db, sql`id = ${id}::uuid and name not like '\\_\\_pgboss%'`);
  return row ? present(row) : null;
}

/** Failed jobs, the latest first, of one queue or all. */
export async function failedJobs(
  db: Db,
  query: { queue?: string | undefined; page: number; pageSize: number },
): Promise<{ items: JobView[]; total: number }> {
  const where = query.queue
    ? sql`state = 'failed' and name = ${query.queue}`
    : sql`state = 'failed' and name not like '\\_\\_pgboss%'`;
  const rows = await selectJobs(
    db,
    where,
    sql`order by completed_on desc nulls last, id limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`,
  );
  const [count] = rowsOf<{ n: number }>(
    await db.execute(sql`select count(*)::int as n from ${jobTable} where ${where}`),
  );
  return { items: rows.map(present), total: Number(count?.n ?? 0) };
}

/** The ids of a queue's failed jobs (for retrying them all). */
export async function failedJobIds(db: Db, queue: string): Promise<string[]> {
  return rowsOf<{ id: string }>(
    await db.execute(
      sql`select id from ${jobTable} where name = ${queue} and state = 'failed' order by completed_on`,
    ),
  ).map((row) => row.id);
}

/** Whether pg-boss has a queue of this name (read in the caller's transaction). */
export async function queueExists(tx: Tx, name: string): Promise<boolean> {
  return (
    rowsOf(await tx.execute(sql`select 1 from ${sql.raw(`${SCHEMA}.queue`)} where name = ${name}`)).length > 0
  );
}

/**
 * Sends failed jobs back to their queue for one more attempt. In the caller's transaction when
 * given one (the embedded database has one connection, which the transaction holds).
 */
export async function retryJobs(
  boss: PgBoss,
  queue: string,
  ids: string[],
  tx: Tx | null = null,
): Promise<number> {
  let retried = 0;
  // In slices, so a queue with thousands of failures is not one enormous statement.
  for (let start = 0; start < ids.length; start += 500) {
    retried += affected(await boss.retry(queue, ids.slice(start, start + 500), inTx(tx)));
  }
  return retried;
}

export async function cancelJob(
  boss: PgBoss,
  queue: string,
  id: string,
  tx: Tx | null = null,
): Promise<number> {
  return affected(await boss.cancel(queue, id, inTx(tx)));
}

/** How many jobs a pg-boss command changed (its response type leaves the count out). */
const affected = (response: unknown) => Number((response as { affected?: number }).affected ?? 0);

export type WorkerView = {
  id: string;
  host: string;
  pid: number;
  queues: number;
  startedAt: Date;
  lastSeenAt: Date;
  alive: boolean;
};

/** The processes that work jobs, by heartbeat: alive while heard from in the last three beats. */
export async function listWorkers(db: Db, now = new Date()): Promise<WorkerView[]> {
  const rows = await db.select().from(jobWorkers).orderBy(asc(jobWorkers.startedAt));
  return rows.map((row) => ({
    ...row,
    alive: now.getTime() - row.lastSeenAt.getTime() < 3 * WORKER_HEARTBEAT_SECONDS * 1000,
  }));
}
