import { isTimeZone } from "@cairn/shared";
import { CronExpressionParser } from "cron-parser";
import { eq, sql } from "drizzle-orm";
import { fromDrizzle, type DrizzleTransactionLike, type PgBoss } from "pg-boss";
import type { Db, Tx } from "../../db/client.js";
import type { FieldError } from "../errors.js";
import type { JobDefinition } from "./jobs.js";
import { schedules } from "./jobs.table.js";

/**
 * Schedules stored in the database, declared by the modules that own them.
 *
 * A module declares a schedule in its manifest (name, description, cron, zone, job). The
 * `schedules` table holds the superuser's version of each: a declared schedule missing from it is
 * added, one the superuser edited keeps the edit across restarts, and one nobody edited follows
 * its declaration. pg-boss's schedule table is kept in step with it (in the same transaction as
 * an edit, and once more by every supervising worker at start): each instance's cron pass reads
 * that table, so an edit takes effect everywhere without a restart.
 *
 * How a schedule reaches pg-boss (the contract with the jobs that schedules run):
 * - a zone (`UTC` or an IANA name): pg-boss sends the job at each occurrence of the cron in that
 *   zone, with the payload `{}`; run-now sends `{}`;
 * - `user` (each user's own zone): pg-boss ticks the job every minute in UTC with the payload
 *   `{cron}`, the schedule's current cron, and the job decides for each user whether their local
 *   time has come (and keeps a key per user and local date so nobody gets it twice); run-now sends
 *   `{cron, force: true}`: everyone whose message of today is not sent yet gets it now.
 * - disabled: not on pg-boss at all; run-now still sends one job.
 * A missed occurrence (every worker down) is sent once when a worker is back (`missed: "once"`).
 */

/** A recurring job: a cron expression in a time zone ("user" = each user's own, for per-user ticks). */
export type ScheduleDefinition = {
  name: string;
  description: string;
  cron: string;
  /** `UTC`, an IANA zone name, or `user`. */
  timezone: string;
  job: JobDefinition;
};

export type ScheduleRow = typeof schedules.$inferSelect;

/** The zone value of a schedule that runs in each user's own time zone. */
export const USER_ZONE = "user";

/** How often a schedule in users' own zones ticks (in UTC). */
export const USER_TICK_CRON = "* * * * *";

const CRON_SHAPE = "five fields: minute hour day-of-month month day-of-week, e.g. 0 8 * * *";

/** Why a cron expression cannot be used, or null. The same parser pg-boss's cron pass evaluates with. */
export function cronProblem(cron: string): string | null {
  const fields = cron.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5) {
    return fields.length === 0
      ? `The cron expression is empty: it needs ${CRON_SHAPE}.`
      : `The cron expression has ${fields.length} field${fields.length === 1 ? "" : "s"}; it needs ${CRON_SHAPE}.`;
  }
  try {
    CronExpressionParser.parse(fields.join(" "), { tz: "UTC", strict: false, currentDate: new Date() });
    return null;
  } catch (error) {
    return `Not a valid cron expression: ${error instanceof Error ? error.message : String(error)}.`;
  }
}

/** Why a schedule's zone cannot be used, or null. */
export function timezoneProblem(timezone: string): string | null {
  if (timezone === USER_ZONE) return null;
  if (!isTimeZone(timezone))
    return `Unknown time zone "${timezone}": use UTC, an IANA name such as Europe/Paris, or "user" for each user's own.`;
  try {
    CronExpressionParser.parse("* * * * *", { tz: timezone, strict: false, currentDate: new Date() });
    return null;
  } catch {
    return `The time zone "${timezone}" cannot be scheduled in.`;
  }
}

/** Every problem of a cron and zone, as the fields of a 400. */
export function scheduleProblems(input: {
  cron?: string | undefined;
  timezone?: string | undefined;
}): FieldError[] {
  const errors: FieldError[] = [];
  const cron = input.cron === undefined ? null : cronProblem(input.cron);
  if (cron) errors.push({ path: "cron", message: cron });
  const zone = input.timezone === undefined ? null : timezoneProblem(input.timezone);
  if (zone) errors.push({ path: "timezone", message: zone });
  return errors;
}

/** `0  8 * * *` → `0 8 * * *`. */
export const normalizeCron = (cron: string) => cron.trim().split(/\s+/).join(" ");

/**
 * The next `count` occurrences of a cron in a zone after `from`: pg-boss's own preview when an
 * instance is at hand (the same walk its cron pass makes), cron-parser's otherwise (what pg-boss uses).
 */
export function previewRuns(
  cron: string,
  timezone: string,
  count: number,
  options: { boss?: PgBoss | null; from?: Date } = {},
): Date[] {
  const from = options.from ?? new Date();
  const tz = timezone === USER_ZONE ? "UTC" : timezone;
  if (options.boss) return options.boss.previewSchedule(cron, { tz, from, count });
  const interval = CronExpressionParser.parse(cron, { tz, strict: false, currentDate: from });
  return Array.from({ length: count }, () => interval.next().toDate());
}

/**
 * When a schedule runs next. Disabled: never. In a zone: its next occurrence there. In users'
 * own zones: the first moment any of `userZones` reaches the cron's local time (the earliest zone
 * first); UTC when no zone is given.
 */
export function nextRunAt(
  row: Pick<ScheduleRow, "cron" | "timezone" | "enabled">,
  userZones: readonly string[],
  options: { boss?: PgBoss | null | undefined; from?: Date } = {},
): Date | null {
  if (!row.enabled || cronProblem(row.cron)) return null;
  const zones = row.timezone === USER_ZONE ? (userZones.length ? userZones : ["UTC"]) : [row.timezone];
  let earliest: Date | null = null;
  for (const zone of zones) {
    if (timezoneProblem(zone)) continue;
    const [next] = previewRuns(row.cron, zone, 1, options);
    if (next && (!earliest || next < earliest)) earliest = next;
  }
  return earliest;
}

/** What pg-boss is told for a schedule: the cron it ticks on, in which zone, with which payload. */
export function bossSchedule(row: Pick<ScheduleRow, "cron" | "timezone">): {
  cron: string;
  tz: string;
  data: Record<string, unknown>;
} {
  return row.timezone === USER_ZONE
    ? { cron: USER_TICK_CRON, tz: "UTC", data: { cron: row.cron } }
    : { cron: row.cron, tz: row.timezone, data: {} };
}

/** The payload of a run started by hand (run-now). */
export function runNowPayload(row: Pick<ScheduleRow, "cron" | "timezone">): Record<string, unknown> {
  return row.timezone === USER_ZONE ? { cron: row.cron, force: true } : {};
}

/** pg-boss's options for one statement in the caller's transaction (or its own connection). */
export const inTx = (tx: Tx | null) =>
  tx ? { db: fromDrizzle(tx as unknown as DrizzleTransactionLike, sql) } : {};

/** Puts a schedule on pg-boss as its row says, or takes it off (disabled). The pg-boss key is the schedule's name. */
export async function applySchedule(
  boss: PgBoss,
  definition: Pick<ScheduleDefinition, "name" | "job">,
  row: ScheduleRow,
  tx: Tx | null,
): Promise<void> {
  if (!row.enabled) {
    await boss.unschedule(definition.job.name, definition.name, inTx(tx));
    return;
  }
  const { cron, tz, data } = bossSchedule(row);
  await boss.schedule(definition.job.name, cron, data, {
    tz,
    key: definition.name,
    missed: "once",
    ...inTx(tx),
  });
}

/**
 * Adds the declared schedules missing from the table, and brings the ones nobody edited in line
 * with their declaration. Returns the rows of the declared schedules, in declaration order.
 */
export async function ensureSchedules(
  db: Db,
  declared: readonly ScheduleDefinition[],
): Promise<ScheduleRow[]> {
  if (!declared.length) return [];
  for (const definition of declared) {
    const problems = scheduleProblems(definition);
    if (problems.length)
      throw new Error(
        `Schedule ${definition.name} is declared with ${problems.map((problem) => problem.message).join(" ")}`,
      );
  }
  await db
    .insert(schedules)
    .values(
      declared.map((definition) => ({
        name: definition.name,
        cron: normalizeCron(definition.cron),
        timezone: definition.timezone,
      })),
    )
    .onConflictDoUpdate({
      target: schedules.name,
      // Only rows no superuser has touched follow the code's declaration.
      set: { cron: sql`excluded.cron`, timezone: sql`excluded.timezone` },
      setWhere: sql`${schedules.editedAt} is null and (${schedules.cron} <> excluded.cron or ${schedules.timezone} <> excluded.timezone)`,
    });
  const rows = await db.select().from(schedules);
  const byName = new Map(rows.map((row) => [row.name, row]));
  return declared
    .map((definition) => byName.get(definition.name))
    .filter((row): row is ScheduleRow => Boolean(row));
}

/**
 * Makes pg-boss's schedules what the table says (a supervising worker, at start): every declared
 * schedule on or off, and any other schedule of their jobs (an older key, a removed declaration) off.
 */
export async function syncSchedules(
  boss: PgBoss,
  db: Db,
  declared: readonly ScheduleDefinition[],
): Promise<void> {
  const rows = await ensureSchedules(db, declared);
  const byName = new Map(rows.map((row) => [row.name, row]));
  const wanted = new Set(rows.filter((row) => row.enabled).map((row) => row.name));
  for (const definition of declared) {
    const row = byName.get(definition.name);
    if (row) await applySchedule(boss, definition, row, null);
  }
  for (const jobName of new Set(declared.map((definition) => definition.job.name))) {
    for (const stored of await boss.getSchedules(jobName)) {
      if (!wanted.has(stored.key)) await boss.unschedule(jobName, stored.key);
    }
  }
}

/** Records one run of a schedule's job: when, how it ended, one more in the count. */
export async function recordScheduleRun(
  db: Db,
  name: string,
  outcome: { ok: true } | { ok: false; error: string },
): Promise<void> {
  await db
    .update(schedules)
    .set({
      lastRunAt: sql`now()`,
      lastStatus: outcome.ok ? "ok" : "failed",
      lastError: outcome.ok ? null : outcome.error.slice(0, 2000),
      totalRuns: sql`${schedules.totalRuns} + 1`,
    })
    .where(eq(schedules.name, name));
}
