import { z } from "zod";

/**
 * Money is exact: decimal strings with at most two places, compared as integer
 * cents (BigInt) and sent back as "1250.00". Never a float anywhere on the way.
 */

/** An amount the API accepts: up to ten whole digits and at most two decimals. */
export const MONEY_PATTERN = /^\d{1,10}(\.\d{1,2})?$/;

/** An amount that passed {@link MONEY_PATTERN} ("1250.5") in cents (125050n). */
export function toCents(value: string): bigint {
  const [whole = "0", fraction = ""] = value.split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2) || "0");
}

/** Cents as the API writes money: "1250.50", "-3.00". */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const absolute = negative ? -cents : cents;
  const text = `${absolute / 100n}.${String(absolute % 100n).padStart(2, "0")}`;
  return negative ? `-${text}` : text;
}

/** Accepts "1250", "1250.5", "1250.50" (or a JSON number with at most two decimals); yields "1250.50". */
export const moneyInput = z
  .union([z.string().trim(), z.number().nonnegative()])
  .transform((value) => (typeof value === "number" ? String(value) : value))
  .refine(
    (value) => MONEY_PATTERN.test(value),
    'A non-negative amount with at most two decimals, e.g. "1250.00".',
  )
  .transform((value) => formatCents(toCents(value)));
