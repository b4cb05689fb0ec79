import { z } from "zod";
import { isoDate } from "./common.js";

/** Shapes of a profile that the server validates and the web forms check before sending. */

/** E.164: a plus, a country code and up to 15 digits in all. */
export const phoneNumber = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, "Use the international format, e.g. +15551234567.");

export const DISPLAY_NAME_MAX_LENGTH = 80;
export const BIO_MAX_LENGTH = 500;
/** A bio counts toward a developer's verification (the profile is complete) from this many characters, trimmed. */
export const BIO_MIN_LENGTH = 20;

export const IANA_TIMEZONES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("timeZone").concat("UTC"));

/** An IANA name's spelling: areas and places, the first capitalised (`Asia/Kolkata`, `Etc/GMT+5`). */
const ZONE_NAME = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){1,2}$/;

/**
 * A time zone the tz database knows. ICU lists one name of each linked pair, often the older one
 * (`Asia/Calcutta`, `Europe/Kiev`), so the list alone would refuse `Asia/Kolkata` and `Europe/Kyiv`,
 * the names IANA itself gives: any other name is asked of the runtime's own database.
 */
export function isTimeZone(value: string): boolean {
  if (IANA_TIMEZONES.has(value)) return true;
  if (!ZONE_NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** PATCH /api/me/profile and PATCH /api/users/{id}/profile: every field optional, null clears. */
export const profilePatchInput = z
  .object({
    displayName: z
      .string()
      .trim()
      .max(DISPLAY_NAME_MAX_LENGTH, `At most ${DISPLAY_NAME_MAX_LENGTH} characters.`)
      .optional(),
    bio: z.string().trim().max(BIO_MAX_LENGTH, `At most ${BIO_MAX_LENGTH} characters.`).optional(),
    nationalId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{5,20}$/, "5 to 20 letters, digits or dashes.")
      .nullable()
      .optional(),
    phone: phoneNumber.nullable().optional(),
    dateOfBirth: isoDate()
      .refine((value) => value < new Date().toISOString().slice(0, 10), "Must be in the past.")
      .nullable()
      .optional(),
    timezone: z
      .string()
      .refine(isTimeZone, "Not an IANA time zone, e.g. Europe/Paris.")
      .optional(),
  })
  .strict();
export type ProfilePatchInput = z.infer<typeof profilePatchInput>;

/** POST /api/me/phone/code: the number to send a code to (it becomes the profile's when it differs). */
export const phoneCodeInput = z.object({ phone: phoneNumber }).strict();

/** POST /api/me/phone/verify: the 6-digit code that was sent. */
export const phoneVerifyInput = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, "Enter the 6 digits of the code."),
  })
  .strict();
