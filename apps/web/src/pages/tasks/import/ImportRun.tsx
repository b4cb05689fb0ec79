import type { ImportUndo, ImportView } from "@cairn/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState, type Ref } from "react";
import { importKeys, importsApi } from "../../../api/imports";
import { useOrg } from "../../../app/org";
import { ExportLink } from "../../../components/ExportLink";
import { Alert } from "../../../components/ui/Alert";
import { Button, buttonClass } from "../../../components/ui/Button";
import { useConfirm } from "../../../components/ui/ConfirmDialog";
import { cn } from "../../../components/ui/cn";
import { Card } from "../../../components/ui/PageHeader";
import { ProgressBar } from "../../../components/ui/ProgressBar";
import { useToast } from "../../../components/ui/Toast";
import { errorMessage } from "../../../lib/api";
import { formatDateTime } from "../../projects/model";
import { tasksImported } from "../cache";
import { ImportErrors } from "./ImportErrors";
import { StepActions } from "./ImportSetup";
import { STATUS_WORDS, outcome, progressPercent, quantity } from "./importWizard";

const count = new Intl.NumberFormat("en");

type RunProps = { view: ImportView; headingRef: Ref<HTMLHeadingElement> };

/** Step 3: the job at work, its bar moved by pushes and polls (pages/tasks/import/ImportPage.tsx). */
export function ImportProgress({ view, headingRef }: RunProps) {
  return (
    <Card title={`Importing ${view.fileName}`} headingRef={headingRef}>
      <div className="space-y-2">
        <div className="flex items-center justify-between gap-3 text-sm">
          {/* Only the status is announced: a count read out every 700 ms would drown everything else. */}
          <p role="status" className="font-medium text-zinc-900">
            {STATUS_WORDS[view.status]}…
          </p>
          {view.total > 0 ? (
            <p className="text-zinc-600 tabular-nums">
              {count.format(view.processed)} of {quantity(view.total, "row")}
            </p>
          ) : null}
        </div>
        <ProgressBar value={progressPercent(view)} label={`Importing ${view.fileName}`} tone="accent" />
        <p className="pt-1 text-[13px] text-zinc-500">
          You may leave this page: the import goes on, and this page&apos;s address shows it again.
        </p>
      </div>
    </Card>
  );
}

/** One number of the outcome, large, with what it counts. */
function Figure({ label, value, tone }: { label: string; value: number; tone?: "red" | undefined }) {
  return (
    <div className="rounded-md border border-zinc-200 px-3 py-2">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd
        className={cn(
          "text-xl font-semibold tabular-nums",
          tone === "red" ? "text-red-700" : "text-zinc-900",
        )}
      >
        {count.format(value)}
      </dd>
    </div>
  );
}

const TITLES = { completed: "Import completed", failed: "Import failed", undone: "Import undone" } as const;

/**
 * Step 4: what the import did (created, updated, refused), the refused rows with their CSV, the way
 * to the tasks, and Undo: the tasks it created go, except those people changed since (named here).
 */
export function ImportResult({ view, headingRef, onAgain }: RunProps & { onAgain: () => void }) {
  const { org } = useOrg();
  const queryClient = useQueryClient();
  const confirm = useConfirm();
  const toast = useToast();
  const [undone, setUndone] = useState<ImportUndo | null>(null);
  const undo = useMutation({
    mutationFn: () => importsApi.undo(view.id),
    onSuccess: (result) => {
      setUndone(result);
      void queryClient.invalidateQueries({ queryKey: importKeys.detail(view.id) });
      tasksImported(queryClient, view.projectId);
    },
    onError: (error) => toast.error(errorMessage(error), "The import was not undone"),
  });
  const askUndo = async () => {
    const ok = await confirm({
      title: "Undo this import?",
      body: `The ${quantity(view.created, "task")} it created will be deleted, except those someone has changed since: they are kept and listed. Tasks it updated keep the imported values.`,
      confirmLabel: "Undo import",
    });
    if (ok) undo.mutate();
  };
  const status = view.status === "queued" || view.status === "running" ? "completed" : view.status;
  const rows = outcome(view);

  return (
    <Card
      title={TITLES[status]}
      description={`${view.fileName}${view.finishedAt ? `, finished ${formatDateTime(view.finishedAt)}` : ""}`}
      headingRef={headingRef}
    >
      <div className="space-y-4">
        {view.status === "failed" ? (
          <Alert tone="error" title="Nothing was imported">
            {/* An import is one transaction: a failed one wrote nothing, and the file can simply be tried again. */}
            {view.failure ?? "The import failed on the server. Try the file again."}
          </Alert>
        ) : (
          <dl className="grid grid-cols-[repeat(auto-fit,minmax(8rem,1fr))] gap-3" aria-label="Outcome">
            <Figure label="Created" value={rows.created} />
            <Figure label="Updated" value={rows.updated} />
            {rows.unchanged ? <Figure label="Unchanged" value={rows.unchanged} /> : null}
            {rows.refused !== null ? (
              <Figure label="Refused" value={rows.refused} tone={rows.refused ? "red" : undefined} />
            ) : (
              <Figure label="Errors" value={view.errorCount} tone="red" />
            )}
          </dl>
        )}
        {undone ? (
          <Alert tone="success" title={`Removed ${quantity(undone.removed, "task")}`}>
            {undone.kept.length ? (
              <>
                <p>Kept, because people changed them after the import:</p>
                <ul className="mt-1 space-y-0.5" aria-label="Kept tasks">
                  {undone.kept.map((task) => (
                    <li key={task.id}>
                      <Link
                        to="/o/$org/tasks/$taskId"
                        params={{ org: org.slug, taskId: task.id }}
                        className="font-mono text-xs font-medium underline"
                      >
                        {task.key}
                      </Link>{" "}
                      {task.title} <span className="opacity-80">({task.reason})</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </Alert>
        ) : view.status === "undone" ? (
          <Alert tone="info" title="This import was undone">
            The tasks it created were removed, except those people had changed since.
          </Alert>
        ) : null}
        {view.errorCount ? (
          <section aria-labelledby="import-errors" className="space-y-2">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <h3 id="import-errors" className="text-sm font-semibold text-zinc-900">
                Refused rows{" "}
                <span className="font-normal text-zinc-500">
                  {view.errors.length < view.errorCount
                    ? `(the first ${count.format(view.errors.length)} problems are listed; the CSV has them all)`
                    : "(rows are lines of the file, the header is row 1)"}
                </span>
              </h3>
              <ExportLink
                href={importsApi.errorsCsvUrl(view.id)}
                filename={`${view.fileName.replace(/\.csv$/i, "")}-errors.csv`}
                label="Download errors (CSV)"
                size="sm"
              />
            </div>
            <ImportErrors errors={view.errors} label="Refused rows" />
          </section>
        ) : null}
      </div>
      <StepActions>
        {view.status === "completed" && view.created > 0 ? (
          <Button className="mr-auto" loading={undo.isPending} onClick={() => void askUndo()}>
            Undo import
          </Button>
        ) : null}
        <Button onClick={onAgain}>Import another file</Button>
        <Link
          to="/o/$org/projects/$projectId/tasks"
          params={{ org: org.slug, projectId: view.projectId }}
          className={buttonClass("primary")}
        >
          View tasks
        </Link>
      </StepActions>
    </Card>
  );
}

/** An import this page cannot show (not found, not the caller's, the server unreachable). */
export function ImportUnavailable({
  error,
  onRetry,
  onAgain,
}: {
  error: unknown;
  onRetry: () => void;
  onAgain: () => void;
}) {
  return (
    <Alert tone="error" title="The import could not be loaded.">
      {errorMessage(error)}{" "}
      <button type="button" className="font-medium underline" onClick={onRetry}>
        Try again
      </button>{" "}
      or{" "}
      <button type="button" className="font-medium underline" onClick={onAgain}>
        start a new import
      </button>
      .
    </Alert>
  );
}
