import { taskKey, ticketKey } from "@cairn/shared";
import { sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { defineJob } from "../../platform/jobs/jobs.js";
import type { EmailContent, EmailItem, EmailSection } from "../../platform/mail/templates.js";
import { renderEmail } from "../../platform/mail/templates.js";
import { queueMails } from "../../platform/mail/outbox.js";
import type { MailMessage } from "../../platform/mail/mailer.js";
import type { ScheduleDefinition } from "../../platform/modules.js";
import {
  localDate,
  runUserTick,
  userTickPayload,
  type Claim,
  type UserTickDefinition,
} from "../../platform/schedules/user-tick.js";
import type { Ctx } from "../../platform/context.js";
import { appUrl, emailFooter, kindLabel } from "./notifications.email.js";
import { DIGEST_KINDS } from "./notifications.unsubscribe.js";

/**
 * The daily digest (08:00) and the weekly summary (Monday 09:00), each in the
 * user's own time zone: what was assigned to them, what changed on their tasks
 * and projects (the kinds they send to the digest), what is due or overdue, and
 * the tickets waiting on them. A user with nothing to read gets nothing.
 * Each batch of users is claimed, read (a few queries for the whole batch),
 * rendered and queued in one transaction (platform/schedules/user-tick.ts).
 */
type Period = {
  name: "digest.daily" | "digest.weekly";
  days: number;
  title: string;
  column: "daily_digest" | "weekly_digest";
  default: boolean;
};

const DAILY: Period = {
  name: "digest.daily",
  days: 1,
  title: "Your daily digest",
  column: "daily_digest",
  default: true,
};
const WEEKLY: Period = {
  name: "digest.weekly",
  days: 7,
  title: "Your week in Cairn",
  column: "weekly_digest",
  default: false,
};

/** At most this many lines per section: a digest is read, not scrolled. */
const PER_SECTION = 10;

const rowsOf = <T>(result: unknown): T[] =>
  (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/** Active users who want this digest, with their time zone (profiles; UTC when unset). */
const digestUsers = (period: Period) => sql`
  select u.id as user_id, coalesce(p.timezone, 'UTC') as time_zone
  from users u
  left join profiles p on p.user_id = u.id
  left join notification_settings s on s.user_id = u.id
  where u.is_active and coalesce(s.${sql.raw(period.column)}, ${period.default})`;

/** `date + days` as YYYY-MM-DD (calendar arithmetic in UTC, which has no daylight saving). */
function addDays(date: string, days: number): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + days);
  return next.toISOString().slice(0, 10);
}

type Person = { user_id: string; email: string; username: string };
type Line = EmailItem & { userId: string };

const ASSIGNED_KINDS = ["task.assigned", "ticket.assigned"];

async function readBatch(tx: Tx, userIds: string[], since: Date, horizon: string) {
  const ids = sql`(${sql.join(
    userIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
  // One after another: the statements share the transaction's connection.
  const people = await tx.execute(sql`select id as user_id, email, username from users where id in ${ids}`);
  const events = await tx.execute(sql`
      select user_id, kind, title, body, link from (
        select n.*, row_number() over (partition by n.user_id, n.kind in ('task.assigned', 'ticket.assigned') order by n.created_at desc) as place
        from notifications n
        where n.user_id in ${ids} and n.created_at > ${since}
          and (n.email = 'digest' or (n.email = 'immediate' and n.kind in ('task.assigned', 'ticket.assigned')))
      ) ranked where place <= ${PER_SECTION} order by created_at desc`);
  const due = await tx.execute(sql`
      select * from (
        select t.assignee_id as user_id, t.id, t.number, t.title, t.due_date::text as due_date, p.key as project_key, o.slug,
          row_number() over (partition by t.assignee_id order by t.due_date, t.number) as place
        from tasks t join organizations o on o.id = t.org_id left join projects p on p.id = t.project_id
        where t.assignee_id in ${ids} and t.status <> 'done' and t.due_date is not null and t.due_date <= ${horizon}
      ) ranked where place <= ${PER_SECTION}`);
  const waiting = await tx.execute(sql`
      select * from (
        select k.assignee_id as user_id, k.id, k.number, k.title, k.severity, k.status, p.key as project_key, o.slug,
          row_number() over (partition by k.assignee_id order by k.severity_rank, k.resolution_due_at) as place
        from tickets k join projects p on p.id = k.project_id join organizations o on o.id = k.org_id
        where k.assignee_id in ${ids} and k.status in ('open', 'in_progress')
      ) ranked where place <= ${PER_SECTION}`);
  return {
    people: rowsOf<Person>(people),
    events: rowsOf<{ user_id: string; kind: string; title: string; body: string; link: string | null }>(
      events,
    ),
    due: rowsOf<{
      user_id: string;
      id: string;
      number: number;
      title: string;
      due_date: string;
      project_key: string | null;
      slug: string;
    }>(due),
    waiting: rowsOf<{
      user_id: string;
      id: string;
      number: number;
      title: string;
      severity: string;
      status: string;
      project_key: string;
      slug: string;
    }>(waiting),
  };
}

function group(lines: Line[]): Map<string, EmailItem[]> {
  const byUser = new Map<string, EmailItem[]>();
  for (const { userId, ...item } of lines) byUser.set(userId, [...(byUser.get(userId) ?? []), item]);
  return byUser;
}

/** The digests of a batch of users of one time zone: one message each, none for those with nothing to read. */
export async function composeDigests(
  ctx: Ctx,
  period: Period,
  claims: Claim[],
  now: Date,
): Promise<MailMessage[]> {
  const [first] = claims;
  if (!first) return [];
  const { services } = ctx;
  const today = localDate(now, first.timeZone);
  const horizon = addDays(today, period.days);
  const since = new Date(now.getTime() - period.days * 24 * 60 * 60 * 1000);
  const batch = await readBatch(
    ctx.tx,
    claims.map((claim) => claim.userId),
    since,
    horizon,
  );
  const url = (path: string | null) => appUrl(services, path ?? "/notifications");
  const assigned = group(
    batch.events
      .filter((row) => ASSIGNED_KINDS.includes(row.kind))
      .map((row) => ({
        userId: row.user_id,
        title: row.title,
        body: row.body || undefined,
        url: url(row.link),
      })),
  );
  const changed = group(
    batch.events
      .filter((row) => !ASSIGNED_KINDS.includes(row.kind))
      .map((row) => ({
        userId: row.user_id,
        title: row.title,
        body: row.body || undefined,
        url: url(row.link),
        meta: kindLabel(services.events.events, row.kind),
      })),
  );
  const due = group(
    batch.due.map((row) => ({
      userId: row.user_id,
      title: `${taskKey(row.project_key, row.number)} ${row.title}`,
      meta:
        row.due_date < today
          ? `Overdue since ${row.due_date}`
          : row.due_date === today
            ? "Due today"
            : `Due ${row.due_date}`,
      url: url(`/o/${row.slug}/tasks/${row.id}`),
    })),
  );
  const waiting = group(
    batch.waiting.map((row) => ({
      userId: row.user_id,
      title: `${ticketKey(row.project_key, row.number)} ${row.title}`,
      meta: `${row.severity} · ${row.status === "open" ? "open" : "in progress"}`,
      url: url(`/o/${row.slug}/tickets/${row.id}`),
    })),
  );
  const messages: MailMessage[] = [];
  for (const person of batch.people) {
    const sections: EmailSection[] = [
      { heading: "Assigned to you", items: assigned.get(person.user_id) ?? [] },
      { heading: "What changed on your work", items: changed.get(person.user_id) ?? [] },
      { heading: "Due soon or overdue", items: due.get(person.user_id) ?? [] },
      { heading: "Tickets waiting on you", items: waiting.get(person.user_id) ?? [] },
    ].filter((section) => section.items.length);
    if (!sections.length) continue;
    const count = sections.reduce((sum, section) => sum + section.items.length, 0);
    const { footer, headers } = emailFooter(services, person.user_id, [
      { kind: period.name, label: DIGEST_KINDS[period.name] },
    ]);
    const content: EmailContent = {
      subject: `${period.title}: ${count} ${count === 1 ? "item" : "items"}`,
      preview: sections.map((section) => `${section.heading} (${section.items.length})`).join(" · "),
      greeting: `Good morning ${person.username},`,
      paragraphs: [
        period.days === 1
          ? "Here is what needs you today."
          : "Here is your week: what came your way and what is coming up.",
      ],
      sections,
      action: { label: "Open Cairn", url: appUrl(services, "/") },
      footer,
    };
    messages.push({ to: person.email, ...renderEmail(content), headers });
  }
  return messages;
}

function digestTick(period: Period, cron: string): UserTickDefinition {
  return {
    schedule: period.name,
    cron,
    users: digestUsers(period),
    async send(ctx, claims, now) {
      await queueMails(ctx, await composeDigests(ctx, period, claims, now));
    },
  };
}

export const dailyDigestTick = digestTick(DAILY, "0 8 * * *");
export const weeklyDigestTick = digestTick(WEEKLY, "0 9 * * 1");

const tickJob = (tick: UserTickDefinition) =>
  defineJob({
    name: tick.schedule,
    payload: userTickPayload,
    retryLimit: 2,
    async handler(payload, { services, log }) {
      const result = await runUserTick(services, tick, payload);
      if (result.sent) log.info(result, `${tick.schedule}: sent`);
    },
  });

export function userSchedule(tick: UserTickDefinition, description: string): ScheduleDefinition {
  return { name: tick.schedule, description, cron: tick.cron, timezone: "user", job: tickJob(tick) };
}

export const digestSchedules: ScheduleDefinition[] = [
  userSchedule(
    dailyDigestTick,
    "The daily digest at 08:00 in each user's time zone: assigned, changed, due, waiting.",
  ),
  userSchedule(weeklyDigestTick, "The weekly summary on Monday at 09:00 in each user's time zone."),
];
