/**
 * Amounts as people type them. The API takes and returns exact decimal strings ("5000.00"); the UI
 * prints them grouped ("5,000.00 USD", pages/projects/model.ts `formatMoney`), so an input accepts
 * that form too and sends the plain one.
 */
import { MONEY_PATTERN } from "@cairn/shared";

/** An amount the API accepts: up to ten whole digits and at most two decimals (the API's own pattern). */
export const MONEY = MONEY_PATTERN;

/**
 * Digits in groups of three after the first one to three, one separator throughout (comma or a
 * space, as locales print them), then the decimals.
 */
const GROUPED = /^\d{1,3}(?:([, \u00a0\u202f])\d{3})(?:\1\d{3})*(?:\.\d*)?$/;

/**
 * The amount without its group separators: "5,000.00" → "5000.00", "1 250" → "1250". Only proper
 * grouping is undone, so "12,50" (a decimal comma) stays as typed and fails {@link MONEY} rather than
 * being read as 1250.
 */
export function withoutGrouping(text: string): string {
  const value = text.trim();
  return GROUPED.test(value) ? value.replace(/[, \u00a0\u202f]/g, "") : value;
}

/** An amount in cents, for comparing amounts that passed {@link MONEY}. */
export function toCents(value: string): number {
  const [whole = "0", fraction = ""] = value.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2) || "0");
}
