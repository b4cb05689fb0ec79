import { taskKey } from "@cairn/shared";
import { sql } from "drizzle-orm";
import type { Ctx } from "../../platform/context.js";
import type { DomainEvent, EventDefinition } from "../../platform/events/events.js";
import { localDate, type Claim, type UserTickDefinition } from "../../platform/schedules/user-tick.js";
import { userSchedule } from "./notifications.digest.js";
import { inactiveReminder, notifyEvent, overdueReminder } from "./notifications.events.js";

/**
 * Reminders in each user's time zone, told like any event (their preferences
 * for the kind decide inbox and email): overdue tasks each morning, and one
 * reminder after two weeks away — once per absence, not once a day.
 */
const INACTIVE_DAYS = 14;

const rowsOf = <T>(result: unknown): T[] =>
  (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

function occurrence(
  definition: EventDefinition,
  userId: string,
  data: Record<string, unknown>,
  now: Date,
): DomainEvent {
  return {
    name: definition.name,
    orgId: null,
    actorId: null,
    recipients: [userId],
    data,
    occurredAt: now.toISOString(),
  };
}

/** When a user was last seen: their latest sign-in or token refresh (an open tab refreshes every 15 minutes). */
const lastSeen = sql`greatest(u.last_login_at, u.created_at, (select max(r.created_at) from refresh_tokens r where r.user_id = u.id))`;

export const inactiveTick: UserTickDefinition = {
  schedule: "reminders.inactive",
  cron: "0 10 * * *",
  // Away for 14 days and not reminded since they were last seen: one reminder per absence.
  users: sql`
    select u.id as user_id, coalesce(p.timezone, 'UTC') as time_zone
    from users u left join profiles p on p.user_id = u.id
    where u.is_active and u.password_hash is not null
      and ${lastSeen} < now() - make_interval(days => ${INACTIVE_DAYS})
      and not exists (select 1 from schedule_user_runs s where s.schedule = 'reminders.inactive' and s.user_id = u.id and s.claimed_at > ${lastSeen})`,
  async send(ctx, claims, now) {
    const ids = sql`(${sql.join(
      claims.map((claim) => sql`${claim.userId}::uuid`),
      sql`, `,
    )})`;
    const rows = rowsOf<{ user_id: string; days: number; open_tasks: number; unread: number }>(
      await ctx.tx.execute(sql`
        select u.id as user_id,
          floor(extract(epoch from (${now}::timestamptz - ${lastSeen})) / 86400)::int as days,
          (select count(*)::int from tasks t where t.assignee_id = u.id and t.status <> 'done') as open_tasks,
          (select count(*)::int from notifications n where n.user_id = u.id and n.read_at is null and n.in_app) as unread
        from users u where u.id in ${ids}`),
    );
    for (const row of rows) {
      await notifyEvent(
        ctx,
        occurrence(
          inactiveReminder,
          row.user_id,
          { days: row.days, openTasks: row.open_tasks, unread: row.unread },
          now,
        ),
        inactiveReminder,
      );
    }
  },
};

export const overdueTick: UserTickDefinition = {
  schedule: "reminders.overdue",
  cron: "0 9 * * *",
  users: sql`
    select u.id as user_id, coalesce(p.timezone, 'UTC') as time_zone
    from users u left join profiles p on p.user_id = u.id
    where u.is_active and exists (
      select 1 from tasks t where t.assignee_id = u.id and t.status <> 'done' and t.due_date < (now() at time zone 'UTC')::date + 1)`,
  async send(ctx: Ctx, claims: Claim[], now: Date) {
    const [first] = claims;
    if (!first) return;
    // Overdue on the user's own calendar: due before their today.
    const today = localDate(now, first.timeZone);
    const ids = sql`(${sql.join(
      claims.map((claim) => sql`${claim.userId}::uuid`),
      sql`, `,
    )})`;
    const rows = rowsOf<{
      user_id: string;
      id: string;
      number: number;
      title: string;
      due_date: string;
      project_key: string | null;
      slug: string;
      total: number;
    }>(
      await ctx.tx.execute(sql`
        select * from (
          select t.assignee_id as user_id, t.id, t.number, t.title, t.due_date::text as due_date, p.key as project_key, o.slug,
            row_number() over (partition by t.assignee_id order by t.due_date, t.number) as place,
            count(*) over (partition by t.assignee_id)::int as total
          from tasks t join organizations o on o.id = t.org_id left join projects p on p.id = t.project_id
          where t.assignee_id in ${ids} and t.status <> 'done' and t.due_date < ${today}
        ) ranked where place <= 10 order by user_id, place`),
    );
    const byUser = new Map<string, typeof rows>();
    for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row]);
    for (const [userId, tasks] of byUser) {
      const data = {
        count: tasks[0]?.total ?? tasks.length,
        tasks: tasks.map((task) => ({
          key: taskKey(task.project_key, task.number),
          title: task.title,
          dueDate: task.due_date,
          path: `/o/${task.slug}/tasks/${task.id}`,
        })),
      };
      await notifyEvent(ctx, occurrence(overdueReminder, userId, data, now), overdueReminder);
    }
  },
};

export const reminderSchedules = [
  userSchedule(
    inactiveTick,
    "A reminder at 10:00 in the user's time zone after 14 days away (once per absence).",
  ),
  userSchedule(overdueTick, "Each assignee's overdue tasks at 09:00 in their time zone."),
];
