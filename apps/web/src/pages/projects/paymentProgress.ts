/**
 * Approved money against a project's net price, for the payments card: exact decimal strings
 * ("10500.00") compared in cents, never through a float's rounding.
 */

/** "5000.5" → 500050; undefined for anything that is not a plain non-negative amount. */
export function cents(value: string | undefined): number | undefined {
  const match = value?.trim().match(/^(\d{1,13})(?:\.(\d{0,2}))?$/);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** 500050 → "5000.50", as the API writes amounts. */
export function fromCents(value: number): string {
  const whole = Math.floor(value / 100);
  return `${whole}.${String(value % 100).padStart(2, "0")}`;
}

export type PaymentProgress = {
  paid: string;
  netPrice: string;
  /** 0–100, for the bar (full when paid or overpaid). */
  percent: number;
  /** Approved money past the net price ("500.00"), or null. */
  over: string | null;
};

/** Null when the caller does not see the money, or the project has no price yet. */
export function paymentProgress(project: {
  netPrice?: string | undefined;
  paidAmount?: string | undefined;
  amountPaid?: string | undefined;
}): PaymentProgress | null {
  const price = cents(project.netPrice);
  const paidText = project.paidAmount ?? project.amountPaid ?? "0";
  const paid = cents(paidText);
  if (price === undefined || paid === undefined || price === 0) return null;
  return {
    paid: fromCents(paid),
    netPrice: fromCents(price),
    percent: Math.min(100, Math.floor((paid / price) * 100)),
    over: paid > price ? fromCents(paid - price) : null,
  };
}

/**
 * What a new payment of `amount` would pass the net price by, counting the approved money and the
 * payments still waiting (the server warns the same way once it is recorded); null when it fits.
 */
export function overBy(
  amount: string,
  netPrice: string | undefined,
  counted: readonly string[],
): string | null {
  const price = cents(netPrice);
  const typed = cents(amount);
  if (price === undefined || typed === undefined || typed === 0) return null;
  const total = counted.reduce((sum, value) => sum + (cents(value) ?? 0), typed);
  return total > price ? fromCents(total - price) : null;
}
