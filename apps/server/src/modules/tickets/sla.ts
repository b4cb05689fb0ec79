import { SLA_AT_RISK_SHARE, type BusinessHours, type SlaState, type SlaTarget, type TicketStatus } from "@cairn/shared";

/**
 * The SLA clock as pure arithmetic: business time in an organization's time
 * zone (24×7 when it keeps no business hours), deadlines from a start and a
 * target, deadlines moved on when a paused clock resumes, and a ticket's SLA
 * state at a moment. Nothing here reads a database or the current time.
 */

export type Calendar = { timezone: string; businessHours: BusinessHours | null };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Farther than any target (a year) plus a long pause: a loop over local days stops here whatever the calendar. */
const MAX_DAYS = 5 * 366;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timezone, format);
  }
  return format;
}

/** Whether the runtime knows an IANA time zone (`Europe/Berlin`); anything else is refused with a 400. */
export function isTimeZone(timezone: string): boolean {
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

type Local = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function localParts(instant: number, timezone: string): Local {
  const parts: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(instant)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return { year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

/** The zone's offset from UTC at an instant, in milliseconds (Berlin in summer: +2 h). */
function offsetAt(instant: number, timezone: string): number {
  const local = localParts(instant, timezone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local wall-clock time names in a zone, whatever the offset of
 * that day (a working day's 09:00 is 09:00 on the wall in summer and winter).
 * A time inside the hour a clock change skips or repeats is read with one of
 * the two offsets around it.
 */
export function localToInstant(date: { year: number; month: number; day: number }, minutes: number, timezone: string): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE;
  const first = naive - offsetAt(naive, timezone);
  const second = naive - offsetAt(first, timezone);
  return Math.min(first, second);
}

const parseHHMM = (value: string) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));

/** A local calendar date, stepped by whole days (UTC arithmetic on the date alone: no clock change in it). */
type LocalDate = { year: number; month: number; day: number };

function nextDate(date: LocalDate): LocalDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/** ISO weekday of a date: 1 Monday … 7 Sunday. */
function isoWeekday(date: LocalDate): number {
  const day = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The working window of a local date as instants, or null on a day off. */
function windowOf(date: LocalDate, hours: BusinessHours, timezone: string): [number, number] | null {
  if (!hours.days.includes(isoWeekday(date))) return null;
  return [localToInstant(date, parseHHMM(hours.start), timezone), localToInstant(date, parseHHMM(hours.end), timezone)];
}

/**
 * The moment `minutes` of business time after `start`. Around the clock it is
 * plain addition; with business hours the minutes are spent in working windows
 * only, day after local day, so a weekend or a night is stepped over and a
 * day of 23 or 25 hours (a clock change) is still 09:00–17:00 on the wall.
 */
export function addBusinessMinutes(start: Date, minutes: number, calendar: Calendar): Date {
  if (minutes <= 0) return new Date(start);
  const hours = calendar.businessHours;
  if (!hours) return new Date(start.getTime() + minutes * MINUTE);
  let remaining = minutes * MINUTE;
  const from = start.getTime();
  let date: LocalDate = localParts(from, calendar.timezone);
  for (let step = 0; step < MAX_DAYS; step++, date = nextDate(date)) {
    const window = windowOf(date, hours, calendar.timezone);
    if (!window) continue;
    const begin = Math.max(from, window[0]);
    if (begin >= window[1]) continue;
    const available = window[1] - begin;
    if (remaining <= available) return new Date(begin + remaining);
    remaining -= available;
  }
  throw new Error("no business time within five years: check the calendar");
}

/**
 * Business minutes between two moments; negative when `to` is before `from`
 * (a deadline already passed). Around the clock it is the plain difference.
 */
export function businessMinutesBetween(from: Date, to: Date, calendar: Calendar): number {
  if (to.getTime() < from.getTime()) return -businessMinutesBetween(to, from, calendar);
  const hours = calendar.businessHours;
  if (!hours) return (to.getTime() - from.getTime()) / MINUTE;
  const start = from.getTime();
  const end = to.getTime();
  let total = 0;
  let date: LocalDate = localParts(start, calendar.timezone);
  const days = Math.ceil((end - start) / DAY) + 2;
  for (let step = 0; step <= days; step++, date = nextDate(date)) {
    const window = windowOf(date, hours, calendar.timezone);
    if (!window) continue;
    const begin = Math.max(start, window[0]);
    const finish = Math.min(end, window[1]);
    if (finish > begin) total += finish - begin;
  }
  return total / MINUTE;
}

/** A clock's deadline, and when it becomes at risk (less than 20% of the target left). */
export type Clock = { dueAt: Date; riskAt: Date };

export function startClock(start: Date, targetMinutes: number, calendar: Calendar): Clock {
  return {
    dueAt: addBusinessMinutes(start, targetMinutes, calendar),
    riskAt: addBusinessMinutes(start, targetMinutes * (1 - SLA_AT_RISK_SHARE), calendar),
  };
}

/** Both clocks of a new ticket (or of one whose severity changed: counted from its creation). */
export function ticketClocks(createdAt: Date, target: SlaTarget, calendar: Calendar): { firstResponse: Clock; resolution: Clock } {
  return { firstResponse: startClock(createdAt, target.firstResponseMinutes, calendar), resolution: startClock(createdAt, target.resolutionMinutes, calendar) };
}

/**
 * A moment of a clock that stood still from `pausedAt` to `resumedAt`: the
 * business time that was left at the pause is left again at the resume. A
 * moment already passed when the clock stopped stays where it was (a breach
 * is not undone by waiting).
 */
export function resumeMoment(moment: Date, pausedAt: Date, resumedAt: Date, calendar: Calendar): Date {
  if (moment.getTime() <= pausedAt.getTime()) return moment;
  return addBusinessMinutes(resumedAt, businessMinutesBetween(pausedAt, moment, calendar), calendar);
}

/** What the SLA state is computed from: a ticket's status and its stored clock. */
export type SlaFacts = {
  status: TicketStatus;
  firstRespondedAt: Date | null;
  firstResponseDueAt: Date;
  firstResponseRiskAt: Date;
  resolutionDueAt: Date;
  resolutionRiskAt: Date;
  breachedAt: Date | null;
};

/** Whether the clock runs in a status: it stands still while waiting on the customer, and once resolved or closed. */
export const clockRuns = (status: TicketStatus) => status === "open" || status === "in_progress";

/** Whether a running ticket has passed a deadline at `now` (the first response counts until it is given). */
export function isPastDeadline(facts: SlaFacts, now: Date): boolean {
  const time = now.getTime();
  return (facts.firstRespondedAt === null && time >= facts.firstResponseDueAt.getTime()) || time >= facts.resolutionDueAt.getTime();
}

/**
 * `breached` once a deadline passed (and ever after), `met` when resolved or
 * closed in time, `paused` while the clock stands still, `at_risk` when less
 * than 20% of a running target is left, `on_track` otherwise.
 */
export function slaState(facts: SlaFacts, now: Date): SlaState {
  if (facts.breachedAt) return "breached";
  if (facts.status === "resolved" || facts.status === "closed") return "met";
  if (!clockRuns(facts.status)) return "paused";
  if (isPastDeadline(facts, now)) return "breached";
  const time = now.getTime();
  const risky = (facts.firstRespondedAt === null && time >= facts.firstResponseRiskAt.getTime()) || time >= facts.resolutionRiskAt.getTime();
  return risky ? "at_risk" : "on_track";
}
