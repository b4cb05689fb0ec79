import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { projectKeys, projectPicker, projectsApi } from "../../api/projects";
import {
  PAYMENT_DECISIONS,
  paymentKeys,
  paymentsApi,
  type PaymentListParams,
  type QueuedPayment,
} from "../../api/payments";
import { useOrg, type OrgContextValue } from "../../app/org";
import type { Column } from "../../components/DataTable";
import { ListPage, defineOrgList, type ListFilter } from "../../components/ListPage";
import { pickerFilter } from "../../components/listFilters";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { Dialog } from "../../components/ui/Dialog";
import { FilterSelect } from "../../components/ui/FilterSelect";
import { NoPermission } from "../../components/ui/NoPermission";
import { useToast } from "../../components/ui/Toast";
import { errorMessage, type Page } from "../../lib/api";
import { param } from "../../lib/listSearch";
import { PAYMENT_LABELS, PAYMENT_TONES, VerifyPaymentForm } from "../projects/ProjectPayments";
import { METHOD_LABELS, can, formatDate, formatMoney } from "../projects/model";

/** `?status=any` lists every status; without it a verifier sees what waits for them. */
const STATUS_VALUES = [...PAYMENT_DECISIONS, "any"] as const;
const statusSchema = param.oneOf(STATUS_VALUES);

const statusFilter: ListFilter<typeof statusSchema> = {
  schema: statusSchema,
  Control: function StatusControl({ value, onChange }) {
    const verifier = useOrg().access.can("payments.verify");
    const shown = value === "any" ? undefined : (value ?? (verifier ? "pending" : undefined));
    return (
      <FilterSelect
        label="Status"
        anyLabel="Any status"
        value={shown}
        onChange={(next) =>
          onChange(next === undefined ? (verifier ? "any" : undefined) : statusSchema.parse(next))
        }
        options={PAYMENT_DECISIONS.map((status) => ({ value: status, label: PAYMENT_LABELS[status] }))}
      />
    );
  },
};

/** The status the API is asked for: pending by default for verifiers, none for `any`. */
function statusQuery(status: string | undefined, { access }: OrgContextValue): string | undefined {
  if (status === "any") return undefined;
  return status ?? (access.can("payments.verify") ? "pending" : undefined);
}

export const paymentsList = defineOrgList({
  orderings: ["recordedAt", "amount"],
  filters: {
    status: statusFilter,
    project: pickerFilter({ label: "Project", anyLabel: "Any project", picker: projectPicker }),
  },
  query: (params, context) => {
    const query: PaymentListParams = {
      ...params,
      org: context.org.slug,
      status: statusQuery(params.status, context),
      ordering: params.ordering ?? "-recordedAt",
    };
    return {
      queryKey: paymentKeys.list(query),
      queryFn: ({ signal }) => paymentsApi.list(query, signal),
    };
  },
  rowKey: (payment: QueuedPayment) => payment.id,
  label: "Payments",
  description: ({ org, access }) =>
    access.can("payments.verify")
      ? `Payments recorded on ${org.name}'s projects: approve what reached the account, reject what did not.`
      : `Payments recorded on ${org.name}'s projects.`,
  emptyHint: ({ access }) =>
    access.can("payments.verify")
      ? "Nothing waits for verification. Sales records payments on a project's page; they appear here."
      : "Sales records payments on a project's page; they appear here.",
  empty: { icon: "check", title: "No payments" },
  noMatch: { title: "No payment matches", hint: "Try another status or project, or clear the filters." },
});

/** The same list as a verifier's queue: what waits for them is the default. */
const verifierList = {
  ...paymentsList,
  label: "Payments to verify",
  empty: { icon: "check" as const, title: "Nothing to verify" },
};

/** "Payments to verify" for holders of payments.verify; "Payments" for anyone seeing projects' money. */
export function PaymentsPage() {
  const context = useOrg();
  const { access, org } = context;
  if (!access.can("payments.verify") && !access.can("projects.view_financials")) {
    return <NoPermission permission="payments.verify" orgName={org.name} />;
  }
  return <Payments />;
}

function Payments() {
  const context = useOrg();
  const { org, access } = context;
  const queryClient = useQueryClient();
  const toast = useToast();
  const [rejecting, setRejecting] = useState<QueuedPayment | null>(null);
  const verifier = access.can("payments.verify");

  /** The row shows the decision at once; it leaves the pending queue on the next visit. */
  const updated = (saved: QueuedPayment) => {
    queryClient.setQueriesData<Page<QueuedPayment>>({ queryKey: paymentKeys.all }, (page) =>
      page
        ? { ...page, items: page.items.map((row) => (row.id === saved.id ? { ...row, ...saved } : row)) }
        : page,
    );
    // The project's balance and payment status change with it.
    void queryClient.invalidateQueries({ queryKey: projectKeys.detail(saved.project.id) });
  };

  const approve = useMutation({
    mutationFn: (payment: QueuedPayment) => projectsApi.verifyPayment(payment.id, { decision: "approve" }),
    onSuccess: (saved, payment) => {
      updated({ ...payment, ...saved });
      toast.success(
        `${formatMoney(payment.amount, payment.currency)} on ${payment.project.name} is approved.`,
      );
    },
    onError: (error) => toast.error(errorMessage(error), "The payment was not approved"),
  });

  const columns: Column<QueuedPayment>[] = [
    {
      key: "project",
      header: "Project",
      cell: (payment) => (
        <div className="min-w-0">
          <Link
            to="/o/$org/projects/$projectId"
            params={{ org: org.slug, projectId: payment.project.id }}
            className="block truncate font-medium text-zinc-900 hover:underline"
          >
            {payment.project.name}
          </Link>
          <p className="truncate text-xs text-zinc-500">{payment.project.key}</p>
        </div>
      ),
    },
    {
      key: "amount",
      header: "Amount",
      sortField: "amount",
      className: "text-right tabular-nums whitespace-nowrap",
      cell: (payment) => (
        <span className="font-medium text-zinc-900">{formatMoney(payment.amount, payment.currency)}</span>
      ),
    },
    {
      key: "method",
      header: "Method",
      hideBelow: "md",
      cell: (payment) => <span className="text-zinc-600">{METHOD_LABELS[payment.method]}</span>,
    },
    {
      key: "reference",
      header: "Reference",
      hideBelow: "lg",
      cell: (payment) => <span className="text-zinc-600">{payment.reference || "—"}</span>,
    },
    {
      key: "paidOn",
      header: "Paid on",
      className: "whitespace-nowrap tabular-nums",
      cell: (payment) => <span className="text-zinc-600">{formatDate(payment.paidOn)}</span>,
    },
    {
      key: "recordedBy",
      header: "Recorded by",
      hideBelow: "md",
      cell: (payment) => (
        <span className="text-zinc-600">{payment.recordedBy ? `@${payment.recordedBy.username}` : "—"}</span>
      ),
    },
    {
      key: "status",
      header: "Status",
      cell: (payment) => (
        <div className="min-w-0">
          <Badge tone={PAYMENT_TONES[payment.status]}>{PAYMENT_LABELS[payment.status]}</Badge>
          {payment.note ? (
            <p className="mt-0.5 max-w-48 truncate text-xs text-zinc-500">“{payment.note}”</p>
          ) : null}
        </div>
      ),
    },
    {
      key: "actions",
      header: <span className="sr-only">Actions</span>,
      className: "text-right whitespace-nowrap",
      cell: (payment) =>
        can(payment, "verify") ? (
          <div className="inline-flex gap-1.5">
            <Button
              size="sm"
              variant="primary"
              disabled={approve.isPending && approve.variables.id === payment.id}
              aria-label={`Approve ${formatMoney(payment.amount, payment.currency)} on ${payment.project.name}`}
              onClick={() => approve.mutate(payment)}
            >
              Approve
            </Button>
            <Button
              size="sm"
              aria-label={`Reject ${formatMoney(payment.amount, payment.currency)} on ${payment.project.name}`}
              onClick={() => setRejecting(payment)}
            >
              Reject
            </Button>
          </div>
        ) : null,
    },
  ];

  return (
    <ListPage list={verifier ? verifierList : paymentsList} context={context} columns={columns}>
      <Dialog
        open={rejecting !== null}
        onClose={() => setRejecting(null)}
        title="Reject payment"
        description={
          rejecting
            ? `${formatMoney(rejecting.amount, rejecting.currency)} on ${rejecting.project.name}, paid on ${formatDate(rejecting.paidOn)}. Say why, for sales.`
            : undefined
        }
      >
        {rejecting ? (
          <VerifyPaymentForm
            payment={rejecting}
            decision="reject"
            onClose={() => setRejecting(null)}
            onSaved={(saved) => {
              updated({ ...rejecting, ...saved });
              toast.success(
                `${formatMoney(saved.amount, saved.currency)} on ${rejecting.project.name} is rejected.`,
              );
            }}
          />
        ) : null}
      </Dialog>
    </ListPage>
  );
}
