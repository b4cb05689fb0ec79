const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** "in 3 hours", "2 minutes ago"; the exact time for a title attribute. */
export function moment(iso: string | null, now = Date.now()): { relative: string; absolute: string } {
  if (!iso) return { relative: "—", absolute: "" };
  const date = new Date(iso);
  const seconds = Math.round((date.getTime() - now) / 1000);
  const unit = UNITS.find(([, size]) => Math.abs(seconds) >= size);
  return {
    relative: unit ? relative.format(Math.round(seconds / unit[1]), unit[0]) : "now",
    absolute: absolute.format(date),
  };
}

const UNITS: readonly (readonly [Intl.RelativeTimeFormatUnit, number])[] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

/** An instant as the wall clock of `zone` shows it: "Mon 12 Jan 2026, 08:00". */
export function inZone(iso: string, zone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    timeZone: zone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(iso));
}

/** How a schedule's zone reads. */
export function zoneLabel(timezone: string): string {
  return timezone === "user" ? "each user's time zone" : timezone.replace(/_/g, " ");
}
