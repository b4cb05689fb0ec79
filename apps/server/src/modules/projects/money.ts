import { z } from "zod";

/**
 * Money is exact: decimal strings with at most two places, compared as
 * integer cents (BigInt), stored as numeric(12,2) and sent back as "1250.00".
 * Never a float anywhere on the way.
 */
const MONEY = /^\d{1,10}(\.\d{1,2})?$/;

/** Accepts "1250", "1250.5", "1250.50" (or a JSON number with at most two decimals); yields "1250.50". */
export const moneyInput = z
  .union([z.string().trim(), z.number().nonnegative()])
  .transform((value) => (typeof value === "number" ? String(value) : value))
  .refine((value) => MONEY.test(value), "A non-negative amount with at most two decimals, e.g. \"1250.00\".")
  .transform((value) => formatCents(toCents(value)));

export function toCents(value: string): bigint {
  const [whole = "0", fraction = ""] = value.split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2) || "0");
}

export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const absolute = negative ? -cents : cents;
  const text = `${absolute / 100n}.${String(absolute % 100n).padStart(2, "0")}`;
  return negative ? `-${text}` : text;
}

const TWO_PLACES = /^-?\d+\.\d{2}$/;

/** Normalises a database numeric ("1250", "1250.5") to the API's two places; numeric(12,2) already has them. */
export const formatMoney = (value: string | null | undefined): string =>
  value && TWO_PLACES.test(value) ? value : formatCents(toCents(value ?? "0"));
