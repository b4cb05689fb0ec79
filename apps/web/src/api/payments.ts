/**
 * /api/payments: the payments the caller may see across an organization's projects (the verifier's
 * queue is `?status=pending`), and withdrawing a waiting one. URLs and cache keys; one project's
 * payments live in api/projects.ts.
 */
import { api, type Page } from "../lib/api";
import type { Payment } from "../pages/projects/model";

/** A payment's own status, the API's enum (the list filters by it). */
export { PAYMENT_DECISIONS } from "@cairn/shared";

/** A payment in the cross-project list: with the project it belongs to. */
export type QueuedPayment = Payment & { project: { id: string; key: string; name: string } };

export type PaymentListParams = {
  org: string;
  page?: number | undefined;
  pageSize?: number | undefined;
  status?: string | undefined;
  project?: string | undefined;
  /** Payments of one client's projects. */
  client?: string | undefined;
  /** `-recordedAt` (newest first, the default), `recordedAt`, `amount`, `-amount`. */
  ordering?: string | undefined;
};

export const paymentKeys = {
  /** Every cross-project list of payments. */
  all: ["payments"] as const,
  list: (params: PaymentListParams) => [...paymentKeys.all, "list", params] as const,
};

export const paymentsApi = {
  list: (params: PaymentListParams, signal?: AbortSignal) =>
    api<Page<QueuedPayment>>("/api/payments", { query: params, signal }),
  /** The recorder takes back a payment nobody has verified yet (409 `payment_decided` afterwards). */
  withdraw: (id: string) => api<void>(`/api/payments/${encodeURIComponent(id)}`, { method: "DELETE" }),
};
