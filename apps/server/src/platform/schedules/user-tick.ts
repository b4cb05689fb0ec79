import { CronExpressionParser } from "cron-parser";
import { sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { systemActor } from "../access/actor.js";
import type { Ctx } from "../context.js";
import { runAs, type Services } from "../services.js";

/**
 * Schedules in each user's own time zone ("user"). The platform's scheduler
 * ticks such a schedule every minute in UTC with this payload; the tick decides
 * per time zone whether the latest occurrence of the cron has come, and claims
 * one key per user and local date in `schedule_user_runs`, so each user gets
 * one message per occurrence: never two (two workers, a restart, a forced run
 * then the regular one), and one missed while the workers were down is caught
 * up once on the next tick.
 */
export const userTickPayload = z.object({
  /** The schedule's current cron (the superuser may change it); the declared one when absent. */
  cron: z.string().min(1).max(200).optional(),
  /** Run now (the admin's run-now): every user whose message of their current local date is not sent yet. */
  force: z.boolean().optional(),
});
export type UserTickPayload = z.output<typeof userTickPayload>;

/** How late an occurrence may still be caught up (downtime): past this it is skipped, not sent late. */
export const CATCH_UP_MS = 20 * 60 * 60 * 1000;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-CA", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** `YYYY-MM-DD` of `instant` on the wall calendar of `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dateFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/** The latest occurrence of `cron` in `timeZone` at or before `now`. */
export function latestOccurrence(cron: string, timeZone: string, now: Date): Date {
  // cron-parser's prev() is strictly before its current date: one second on, an occurrence at `now` counts.
  const expression = CronExpressionParser.parse(cron, {
    currentDate: new Date(now.getTime() + 1000),
    tz: timeZone,
  });
  return expression.prev().toDate();
}

/**
 * The key of the message a user in `timeZone` is due at `now`, or null when none is:
 * the local date of the latest occurrence, when it is at most CATCH_UP_MS old. Forced,
 * the key is today's local date: the message of today, as if its hour had come.
 */
export function dueKey(cron: string, timeZone: string, now: Date, force = false): string | null {
  if (force) return localDate(now, timeZone);
  const occurrence = latestOccurrence(cron, timeZone, now);
  return now.getTime() - occurrence.getTime() <= CATCH_UP_MS ? localDate(occurrence, timeZone) : null;
}

/** A user whose message this tick claimed: send it. */
export type Claim = { userId: string; timeZone: string; runKey: string };

export type UserTickDefinition = {
  /** The schedule's name: the first part of each claim's key. */
  schedule: string;
  /** The declared cron (used when the tick carries none). */
  cron: string;
  /**
   * The users it concerns, as SQL selecting `user_id` and `time_zone` (the tick adds the
   * zone and skips users already claimed). The zone should be a valid IANA name.
   */
  users: SQL;
  /** Sends the messages of a batch of claimed users, in the claiming transaction. */
  send(ctx: Ctx, claims: Claim[], now: Date): Promise<void>;
  /** Users claimed and sent per transaction. */
  batchSize?: number;
};

const rowsOf = <T>(result: unknown): T[] =>
  (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/** The time zones of the schedule's users (each zone's due key is computed once, not once per user). */
async function zonesOf(tx: Tx, users: SQL): Promise<string[]> {
  const rows = rowsOf<{ time_zone: string }>(
    await tx.execute(sql`select distinct time_zone from (${users}) as concerned`),
  );
  return rows.map((row) => row.time_zone);
}

/**
 * Claims up to `limit` users of one zone for one key: the insert is the lock (a
 * user claimed by another worker, committed or not, is skipped by its unique key).
 */
async function claim(
  tx: Tx,
  tick: UserTickDefinition,
  zone: string,
  runKey: string,
  limit: number,
): Promise<Claim[]> {
  const rows = rowsOf<{ user_id: string }>(
    await tx.execute(sql`
      insert into schedule_user_runs (schedule, user_id, run_key)
      select ${tick.schedule}, concerned.user_id, ${runKey} from (${tick.users}) as concerned
      where concerned.time_zone = ${zone}
        and not exists (select 1 from schedule_user_runs r where r.schedule = ${tick.schedule} and r.user_id = concerned.user_id and r.run_key = ${runKey})
      limit ${limit}
      on conflict do nothing
      returning user_id`),
  );
  return rows.map((row) => ({ userId: row.user_id, timeZone: zone, runKey }));
}

export type TickResult = { zones: number; dueZones: number; sent: number };

/**
 * One tick: for each zone whose occurrence has come (or every zone, forced), claims its
 * users' keys in batches and sends their messages in the same transaction as the claim,
 * so a failed send releases the claim and the next tick tries again.
 */
export async function runUserTick(
  services: Services,
  tick: UserTickDefinition,
  payload: UserTickPayload,
  now = new Date(),
): Promise<TickResult> {
  const cron = payload.cron ?? tick.cron;
  const actor = systemActor(tick.schedule);
  const found = await runAs(services, actor, (ctx) => zonesOf(ctx.tx, tick.users));
  // Each worker starts at another zone: two workers ticking at once mostly claim different users
  // instead of waiting on each other's claims (a claim blocks a concurrent one until it commits).
  const offset = Math.floor(Math.random() * Math.max(1, found.length));
  const zones = [...found.slice(offset), ...found.slice(0, offset)];
  const batch = tick.batchSize ?? 500;
  let dueZones = 0;
  let sent = 0;
  for (const zone of zones) {
    const timeZone = isTimeZone(zone) ? zone : "UTC";
    const runKey = dueKey(cron, timeZone, now, payload.force ?? false);
    if (!runKey) continue;
    dueZones += 1;
    for (;;) {
      const claimed = await runAs(services, actor, async (ctx) => {
        const claims = (await claim(ctx.tx, tick, zone, runKey, batch)).map((item) => ({
          ...item,
          timeZone,
        }));
        if (claims.length) await tick.send(ctx, claims, now);
        return claims.length;
      });
      sent += claimed;
      if (claimed < batch) break;
    }
  }
  return { zones: zones.length, dueZones, sent };
}
