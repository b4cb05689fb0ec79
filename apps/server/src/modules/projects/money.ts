import { formatCents, toCents } from "@cairn/shared";

/**
 * Money is exact (see @cairn/shared's money.ts, where the API's money input and the
 * cents arithmetic live): decimal strings, stored as numeric(12,2), sent back as "1250.00".
 */
export { formatCents, toCents };

const TWO_PLACES = /^-?\d+\.\d{2}$/;

/** Normalises a database numeric ("1250", "1250.5") to the API's two places; numeric(12,2) already has them. */
export const formatMoney = (value: string | null | undefined): string =>
  value && TWO_PLACES.test(value) ? value : formatCents(toCents(value ?? "0"));
