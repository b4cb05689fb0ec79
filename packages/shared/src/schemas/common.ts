import { z } from "zod";

/**
 * Building blocks for every payload schema, on both sides. Strings that carry a NUL
 * or a lone surrogate are refused for every route by the server's validator (they
 * cannot be stored in PostgreSQL or written to the audit log); dates are kept to a
 * range that people mean, so the year 0000 or 9999 never reaches the database.
 */

/** Earliest and latest calendar year a date field accepts, unless the field says otherwise. */
export const DATE_MIN_YEAR = 1900;
export const DATE_MAX_YEAR = 2200;

const yearOf = (value: string) => Number(value.slice(0, 4));

/** A `YYYY-MM-DD` calendar date between 1900 and 2200 (or the given years). */
export function isoDate(options: { minYear?: number; maxYear?: number; message?: string } = {}) {
  const minYear = options.minYear ?? DATE_MIN_YEAR;
  const maxYear = options.maxYear ?? DATE_MAX_YEAR;
  return z.iso
    .date(options.message ?? "Use YYYY-MM-DD.")
    .refine((value) => yearOf(value) >= minYear && yearOf(value) <= maxYear, {
      message: `Use a date between ${minYear} and ${maxYear}.`,
    });
}

/** An ISO-8601 timestamp with an offset (`2026-11-30T08:00:00Z`) between 1900 and 2200. */
export function isoDateTime(options: { minYear?: number; maxYear?: number } = {}) {
  const minYear = options.minYear ?? DATE_MIN_YEAR;
  const maxYear = options.maxYear ?? DATE_MAX_YEAR;
  return z.iso
    .datetime({ offset: true, message: "Use an ISO-8601 timestamp, e.g. 2026-11-30T08:00:00Z." })
    .refine(
      (value) => {
        // The year as written and as UTC: 2201-01-01T00:00:00+14:00 is still 2200 in UTC, and still refused.
        const years = [yearOf(value), new Date(value).getUTCFullYear()];
        return years.every((year) => year >= minYear && year <= maxYear);
      },
      { message: `Use a time between ${minYear} and ${maxYear}.` },
    );
}

/** Code points that PostgreSQL text cannot hold or that are not characters at all. */
const NUL = "\u0000";
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string may not be accepted, or null when it may. */
export function unsafeTextReason(value: string): string | null {
  if (value.includes(NUL)) return "Must not contain the NUL character.";
  if (LONE_SURROGATE.test(value)) return "Must be valid Unicode text (it holds a lone surrogate).";
  return null;
}
