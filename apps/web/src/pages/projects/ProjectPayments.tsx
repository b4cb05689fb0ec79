import { createPaymentInput, isoDate, verifyPaymentInput, type PaymentVerdict } from "@cairn/shared";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { z } from "zod";
import { Alert } from "../../components/ui/Alert";
import { Badge, type BadgeTone } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/ConfirmDialog";
import { Dialog, DialogForm } from "../../components/ui/Dialog";
import { Field, Select, TextField, TextAreaField } from "../../components/ui/Field";
import { Card } from "../../components/ui/PageHeader";
import { SkeletonText } from "../../components/ui/Skeleton";
import { useToast } from "../../components/ui/Toast";
import { paymentKeys, paymentsApi } from "../../api/payments";
import { projectKeys, projectsApi } from "../../api/projects";
import { errorMessage } from "../../lib/api";
import { checkedBy } from "../../lib/fields";
import { useForm } from "../../lib/form";
import { MONEY, withoutGrouping } from "../../lib/money";
import {
  METHOD_LABELS,
  PAYMENT_METHODS,
  PAYMENT_STATUS_LABELS,
  PAYMENT_STATUS_TONES,
  can,
  formatDate,
  formatMoney,
  type Payment,
  type ProjectDetail,
} from "./model";
import { overBy, paymentProgress, type PaymentProgress } from "./paymentProgress";

export const PAYMENT_TONES: Record<Payment["status"], BadgeTone> = {
  pending: "amber",
  approved: "green",
  rejected: "red",
};
export const PAYMENT_LABELS: Record<Payment["status"], string> = {
  pending: "Pending",
  approved: "Approved",
  rejected: "Rejected",
};

const today = () => new Date().toISOString().slice(0, 10);

/** POST /api/projects/{id}/payments as the dialog holds it: the amount as typed, the date always given. */
const paymentInput = createPaymentInput.extend({
  // Typed as shown ("5,000.00") or plain; sent plain ("5000.00").
  amount: z
    .string()
    .transform(withoutGrouping)
    .refine((value) => MONEY.test(value), 'An amount with at most two decimals, e.g. "1,500.00".')
    .pipe(checkedBy(createPaymentInput.shape.amount)),
  paidOn: isoDate({ message: "Choose the date it was paid." }),
});

const verifyInput = verifyPaymentInput.pick({ note: true });

/** GET/POST /api/projects/{id}/payments and POST /api/payments/{id}/verify. */
export function ProjectPayments({ project }: { project: ProjectDetail }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [recording, setRecording] = useState(false);
  const [verifying, setVerifying] = useState<{ payment: Payment; decision: PaymentVerdict } | null>(null);
  const payments = useQuery({
    queryKey: projectKeys.payments(project.id),
    queryFn: ({ signal }) => projectsApi.payments(project.id, signal),
    select: (data) => data.items,
  });
  const refresh = () => {
    // The project's payments, its balance and payment status, and the lists'.
    void queryClient.invalidateQueries({ queryKey: projectKeys.all });
    void queryClient.invalidateQueries({ queryKey: paymentKeys.all });
  };
  const canAdd = can(project, "addPayment");
  const progress = paymentProgress(project);
  const [warning, setWarning] = useState<string | null>(null);
  const confirm = useConfirm();
  const withdraw = useMutation({
    mutationFn: (payment: Payment) => paymentsApi.withdraw(payment.id),
    onSuccess: (_, payment) => {
      toast.success(`${formatMoney(payment.amount, payment.currency)} is withdrawn.`);
      refresh();
    },
    onError: (error) => toast.error(errorMessage(error), "The payment was not withdrawn"),
  });
  const askWithdraw = async (payment: Payment) => {
    const ok = await confirm({
      title: `Withdraw ${formatMoney(payment.amount, payment.currency)}?`,
      body: `The payment of ${formatDate(payment.paidOn)} leaves the project and the verifiers' queue. Record it again if it was right after all.`,
      confirmLabel: "Withdraw payment",
    });
    if (ok) withdraw.mutate(payment);
  };

  return (
    <Card
      title="Payments"
      description="Recorded by sales, confirmed by finance."
      actions={
        canAdd ? (
          <Button
            size="sm"
            icon="plus"
            onClick={() => {
              setWarning(null);
              setRecording(true);
            }}
          >
            Record payment
          </Button>
        ) : null
      }
    >
      {project.paymentStatus || progress ? <PaymentSummary project={project} progress={progress} /> : null}
      {warning ? (
        <Alert tone="warning" title="Past the net price" className="mb-4">
          {warning}
        </Alert>
      ) : null}
      {payments.isLoading ? (
        <SkeletonText lines={3} />
      ) : !payments.data ? (
        <p className="text-sm text-red-700">{errorMessage(payments.error)}</p>
      ) : payments.data.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No payment yet.{canAdd ? " Record one when the client pays; a verifier then confirms it." : ""}
        </p>
      ) : (
        // Under the summary the table keeps its distance; alone it sits flush with the card's edges.
        <div
          className={
            project.paymentStatus || progress || warning
              ? "-mx-4 -mb-4 overflow-x-auto border-t border-zinc-100"
              : "-mx-4 -my-4 overflow-x-auto"
          }
        >
          <table className="w-full text-left text-sm" aria-label="Payments">
            <thead className="border-b border-zinc-100 text-xs text-zinc-500">
              <tr>
                <th scope="col" className="h-8 px-4 font-medium">
                  Amount
                </th>
                <th scope="col" className="h-8 px-2 font-medium">
                  Paid on
                </th>
                <th scope="col" className="hidden h-8 px-2 font-medium sm:table-cell">
                  Method
                </th>
                <th scope="col" className="h-8 px-2 font-medium">
                  Status
                </th>
                <th scope="col" className="h-8 px-4 text-right font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {payments.data.map((payment) => (
                <tr key={payment.id} className="align-top">
                  <td className="px-4 py-2 tabular-nums">
                    <p className="font-medium text-zinc-900">
                      {formatMoney(payment.amount, payment.currency)}
                    </p>
                    <p className="text-xs text-zinc-500">
                      {payment.reference ? `${payment.reference} · ` : ""}
                      by {payment.recordedBy ? `@${payment.recordedBy.username}` : "—"}
                    </p>
                  </td>
                  <td className="px-2 py-2 text-zinc-600 tabular-nums">{formatDate(payment.paidOn)}</td>
                  <td className="hidden px-2 py-2 text-zinc-600 sm:table-cell">
                    {METHOD_LABELS[payment.method]}
                  </td>
                  <td className="px-2 py-2">
                    <Badge tone={PAYMENT_TONES[payment.status]}>{PAYMENT_LABELS[payment.status]}</Badge>
                    {payment.verifiedBy ? (
                      <p className="mt-0.5 text-xs text-zinc-500">by @{payment.verifiedBy.username}</p>
                    ) : null}
                    {payment.note ? (
                      <p className="mt-0.5 max-w-56 text-xs text-zinc-600">“{payment.note}”</p>
                    ) : null}
                  </td>
                  <td className="px-4 py-2 text-right whitespace-nowrap">
                    {can(payment, "withdraw") ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Withdraw ${formatMoney(payment.amount, payment.currency)}`}
                        disabled={withdraw.isPending}
                        onClick={() => void askWithdraw(payment)}
                      >
                        Withdraw
                      </Button>
                    ) : null}
                    {can(payment, "verify") ? (
                      <div className="inline-flex gap-1.5">
                        <Button
                          size="sm"
                          variant="primary"
                          onClick={() => setVerifying({ payment, decision: "approve" })}
                        >
                          Approve
                        </Button>
                        <Button size="sm" onClick={() => setVerifying({ payment, decision: "reject" })}>
                          Reject
                        </Button>
                      </div>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog
        open={recording}
        onClose={() => setRecording(false)}
        title="Record payment"
        description={`A payment for ${project.name}. It counts once a verifier approves it.`}
      >
        <RecordPaymentForm
          project={project}
          payments={payments.data ?? []}
          onClose={() => setRecording(false)}
          onSaved={(payment) => {
            toast.success(
              `${formatMoney(payment.amount, payment.currency)} is recorded and awaits verification.`,
            );
            setWarning(payment.warning ?? null);
            refresh();
          }}
        />
      </Dialog>
      <Dialog
        open={verifying !== null}
        onClose={() => setVerifying(null)}
        title={verifying?.decision === "approve" ? "Approve payment" : "Reject payment"}
        description={
          verifying
            ? `${formatMoney(verifying.payment.amount, verifying.payment.currency)} paid on ${formatDate(verifying.payment.paidOn)} by ${METHOD_LABELS[verifying.payment.method].toLowerCase()}.`
            : undefined
        }
      >
        {verifying ? (
          <VerifyPaymentForm
            payment={verifying.payment}
            decision={verifying.decision}
            onClose={() => setVerifying(null)}
            onSaved={(payment) => {
              toast.success(`The payment is ${payment.status}.`);
              refresh();
            }}
          />
        ) : null}
      </Dialog>
    </Card>
  );
}

/** "5,000.00 of 10,500.00 USD paid", the bar of approved money against the net price, and the status. */
function PaymentSummary({ project, progress }: { project: ProjectDetail; progress: PaymentProgress | null }) {
  const currency = project.currency ?? "USD";
  const over = progress?.over ?? null;
  return (
    <div className="mb-4 space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
        {progress ? (
          <p className="text-sm text-zinc-700 tabular-nums">
            <span className="font-medium text-zinc-900">{formatMoney(progress.paid, "").trim()}</span> of{" "}
            {formatMoney(progress.netPrice, currency)} paid
          </p>
        ) : (
          <span />
        )}
        {project.paymentStatus ? (
          <Badge tone={PAYMENT_STATUS_TONES[project.paymentStatus]}>
            {PAYMENT_STATUS_LABELS[project.paymentStatus]}
          </Badge>
        ) : null}
      </div>
      {progress ? (
        <div
          role="progressbar"
          aria-label="Paid of the net price"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={progress.percent}
          aria-valuetext={`${formatMoney(progress.paid, currency)} of ${formatMoney(progress.netPrice, currency)}`}
          className="h-2 overflow-hidden rounded-full bg-zinc-100"
        >
          <div
            className={
              over
                ? "h-full bg-violet-500"
                : progress.percent >= 100
                  ? "h-full bg-emerald-500"
                  : "h-full bg-sky-500"
            }
            style={{ width: `${progress.percent}%` }}
          />
        </div>
      ) : null}
      {over ? (
        <p className="text-xs font-medium text-violet-700">
          Overpaid by {formatMoney(over, currency)}: approved payments pass the net price.
        </p>
      ) : null}
    </div>
  );
}

function RecordPaymentForm({
  project,
  payments,
  onClose,
  onSaved,
}: {
  project: ProjectDetail;
  /** The project's payments: approved and waiting ones count toward the net price. */
  payments: Payment[];
  onClose: () => void;
  onSaved: (payment: Payment & { warning?: string }) => void;
}) {
  const form = useForm({
    schema: paymentInput,
    initial: { amount: "", method: "bank_transfer", reference: "", paidOn: today() },
    onSubmit: async (values) => {
      const payment = await projectsApi.recordPayment(project.id, {
        ...values,
        reference: values.reference || undefined,
      });
      // POST answers with a `warning` when approved and waiting payments pass the net price.
      onSaved(payment);
      onClose();
    },
  });
  const excess = overBy(
    String(form.values.amount ?? "").replace(/[,\s]/g, ""),
    project.netPrice,
    payments.filter((payment) => payment.status !== "rejected").map((payment) => payment.amount),
  );
  return (
    <DialogForm form={form} onCancel={onClose} submitLabel="Record payment">
      {excess ? (
        <Alert tone="warning" className="mb-4">
          With this amount, approved and waiting payments pass the net price of{" "}
          {formatMoney(project.netPrice, project.currency)} by {formatMoney(excess, project.currency)}. You
          can still record it (an advance or a fee), and a verifier decides.
        </Alert>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          form={form}
          name="amount"
          label="Amount"
          hint={project.currency ? `In ${project.currency}` : undefined}
          inputMode="decimal"
          placeholder="0.00"
          autoFocus
        />
        <TextField form={form} name="paidOn" label="Paid on" type="date" max={today()} />
        <Field label="Method" error={form.errors.method}>
          {(props) => (
            <Select {...props} {...form.input("method")}>
              {PAYMENT_METHODS.map((method) => (
                <option key={method} value={method}>
                  {METHOD_LABELS[method]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <TextField
          form={form}
          name="reference"
          label="Reference"
          aside="Optional"
          placeholder="Invoice or transfer id"
        />
      </div>
    </DialogForm>
  );
}

/** A verifier's decision with a note: on the project's card, and rejecting from the payments page. */
export function VerifyPaymentForm({
  payment,
  decision,
  onClose,
  onSaved,
}: {
  payment: Payment;
  decision: PaymentVerdict;
  onClose: () => void;
  onSaved: (payment: Payment) => void;
}) {
  const form = useForm({
    schema: verifyInput,
    initial: { note: "" },
    onSubmit: async (values) => {
      const saved = await projectsApi.verifyPayment(payment.id, { decision, note: values.note || undefined });
      onSaved(saved);
      onClose();
    },
  });
  return (
    <DialogForm
      form={form}
      onCancel={onClose}
      submitLabel={decision === "approve" ? "Approve payment" : "Reject payment"}
      submitVariant={decision === "approve" ? "primary" : "danger"}
    >
      <TextAreaField
        form={form}
        name="note"
        label="Note"
        aside={decision === "approve" ? "Optional" : "Recommended"}
        hint="Seen by sales and in the project's activity."
        rows={3}
        autoFocus
        placeholder={decision === "reject" ? "Why is it rejected?" : "E.g. matched on the bank statement"}
      />
    </DialogForm>
  );
}
