import { TASK_IMPORT_COLUMNS, type ImportDryRun } from "@cairn/shared";
import type { ReactNode, Ref } from "react";
import { DropBox, useFileDrop } from "../../../components/FileDrop";
import { Alert } from "../../../components/ui/Alert";
import { Button, buttonClass } from "../../../components/ui/Button";
import { Icon } from "../../../components/ui/Icon";
import { Card } from "../../../components/ui/PageHeader";
import { ProgressBar } from "../../../components/ui/ProgressBar";
import { Spinner } from "../../../components/ui/Spinner";
import { ApiError, errorMessage } from "../../../lib/api";
import { formatBytes } from "../../projects/model";
import { ImportErrors } from "./ImportErrors";
import { COLUMN_HELP, MAX_SIZE, dryRunSummary, quantity, templateHref } from "./importWizard";

type StepProps = { headingRef: Ref<HTMLHeadingElement> };

/** Step 1: the file, dropped or chosen, beside what its columns may hold and a template. */
export function UploadStep({
  refusal,
  onFile,
  headingRef,
}: StepProps & { refusal: string | null; onFile: (file: File) => void }) {
  const take = (files: File[]) => {
    const [file] = files;
    if (file) onFile(file);
  };
  const drop = useFileDrop(take);
  return (
    <div className="grid items-start gap-5 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <Card title="Choose a CSV file" headingRef={headingRef}>
        <div {...drop.handlers} className="space-y-3">
          <DropBox
            over={drop.over}
            prompt="Drop a CSV file here, or"
            buttonLabel="choose a file"
            inputLabel="CSV file"
            hint={`UTF-8, up to ${MAX_SIZE}.`}
            accept=".csv,text/csv"
            onFiles={take}
            className="py-8"
          />
          {refusal ? <Alert tone="error">{refusal}</Alert> : null}
          <ol className="list-decimal space-y-1 pl-5 text-[13px] text-zinc-600">
            <li>
              Every row is checked first, and the problems shown: nothing is written until you press Import.
            </li>
            <li>The import runs in the background; you may leave the page meanwhile.</li>
            <li>
              It can be undone: the tasks it created are removed, except those someone has changed since.
            </li>
          </ol>
        </div>
      </Card>
      <Card
        title="Columns"
        description="The first line names the columns, in any order; only title is required."
        actions={
          <a href={templateHref()} download="tasks-template.csv" className={buttonClass("secondary", "sm")}>
            <Icon name="download" />
            Download a template
          </a>
        }
      >
        <dl className="divide-y divide-zinc-100 text-sm">
          {TASK_IMPORT_COLUMNS.map((column) => (
            <div
              key={column}
              className="grid gap-x-4 gap-y-0.5 py-2 first:pt-0 last:pb-0 sm:grid-cols-[9rem_1fr]"
            >
              <dt className="font-mono text-[13px] text-zinc-900">{column}</dt>
              <dd className="text-zinc-600">{COLUMN_HELP[column]}</dd>
            </div>
          ))}
        </dl>
      </Card>
    </div>
  );
}

/** An upload under way: how much has gone, then the server at work on it. */
function Uploading({ file, progress, doing }: { file: File; progress: number; doing: string }) {
  const sent = progress >= 1;
  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between gap-3 text-sm text-zinc-600">
        <span className="flex items-center gap-2">
          {sent ? <Spinner /> : null}
          {sent ? doing : `Uploading ${formatBytes(file.size)}…`}
        </span>
        <span className="tabular-nums">{Math.round(progress * 100)}%</span>
      </div>
      <ProgressBar value={progress * 100} label={`Uploading ${file.name}`} tone="accent" />
    </div>
  );
}

/** Step 2, while the server reads the file (the dry run). */
export function CheckingStep({ file, progress, headingRef }: StepProps & { file: File; progress: number }) {
  return (
    <Card title={`Checking ${file.name}`} headingRef={headingRef}>
      <Uploading file={file} progress={progress} doing="Checking every row…" />
    </Card>
  );
}

/** The buttons at the foot of a step. */
export function StepActions({ children }: { children: ReactNode }) {
  return (
    <div className="mt-4 flex flex-wrap justify-end gap-2 border-t border-zinc-100 pt-4">{children}</div>
  );
}

/** What the server said about a file it refused as a whole (not CSV, unknown column, too large…). */
function Refusal({ error, fallback }: { error: unknown; fallback: string }) {
  const problem = error instanceof ApiError ? error.problem : null;
  return (
    <Alert tone="error" title={problem?.title ?? fallback}>
      <p>{problem?.detail ?? errorMessage(error)}</p>
      {problem?.errors?.length ? (
        <ul className="mt-1 list-disc space-y-0.5 pl-5">
          {problem.errors.map((item) => (
            <li key={`${item.path}-${item.message}`}>
              {item.path ? <code className="font-mono text-xs">{item.path}</code> : null}
              {item.path ? ": " : ""}
              {item.message}
            </li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

/** Step 2, when the file as a whole was refused: why, and the way to another file. */
export function RefusedStep({
  file,
  error,
  onAgain,
  headingRef,
}: StepProps & { file: File; error: unknown; onAgain: () => void }) {
  return (
    <Card title={`${file.name} cannot be imported`} headingRef={headingRef}>
      <Refusal error={error} fallback="The file could not be checked" />
      <StepActions>
        <Button variant="primary" onClick={onAgain}>
          Choose another file
        </Button>
      </StepActions>
    </Card>
  );
}

/** Step 2: the dry run's verdict, every bad row, and the choice to import the good ones. */
export function PreviewStep({
  file,
  dryRun,
  onAgain,
  onImport,
  headingRef,
}: StepProps & { file: File; dryRun: ImportDryRun; onAgain: () => void; onImport: () => void }) {
  const summary = dryRunSummary(dryRun);
  return (
    <Card title={`Check ${file.name}`} headingRef={headingRef}>
      <div className="space-y-4">
        <p className="text-sm font-medium text-zinc-900" data-testid="dry-run-summary">
          {summary.text}
        </p>
        {dryRun.valid === 0 ? (
          <Alert tone="error" title="No row can be imported">
            {dryRun.total === 0
              ? "The file has a header but no task rows."
              : "Fix the rows below in the file, then choose it again."}
          </Alert>
        ) : summary.invalid > 0 ? (
          <Alert tone="warning" title={`${quantity(summary.invalid, "row")} will be left out`}>
            Fix the file and choose it again, or import the {quantity(dryRun.valid, "good row")} now and the
            others later: rows with an externalId update their task instead of adding it twice.
          </Alert>
        ) : (
          <Alert tone="success" title="Every row is ready to import" />
        )}
        {dryRun.errors.length ? (
          <section aria-labelledby="dry-run-errors" className="space-y-2">
            <h3 id="dry-run-errors" className="text-sm font-semibold text-zinc-900">
              Errors{" "}
              <span className="font-normal text-zinc-500">
                ({quantity(dryRun.errors.length, "problem")}; rows are lines of the file, the header is row 1)
              </span>
            </h3>
            <ImportErrors errors={dryRun.errors} label="Errors in the file" />
          </section>
        ) : null}
      </div>
      <StepActions>
        <Button onClick={onAgain}>Choose another file</Button>
        <Button variant="primary" disabled={dryRun.valid === 0} onClick={onImport}>
          Import {quantity(dryRun.valid, "task")}
        </Button>
      </StepActions>
    </Card>
  );
}

/** Step 3 before the job exists: the file on its way again; a failure can be retried. */
export function StartingStep({
  file,
  progress,
  error,
  onRetry,
  onAgain,
  headingRef,
}: StepProps & { file: File; progress: number; error: unknown; onRetry: () => void; onAgain: () => void }) {
  return (
    <Card title={`Importing ${file.name}`} headingRef={headingRef}>
      {error ? (
        <>
          <Refusal error={error} fallback="The import could not start" />
          <StepActions>
            <Button onClick={onAgain}>Choose another file</Button>
            <Button variant="primary" onClick={onRetry}>
              Try again
            </Button>
          </StepActions>
        </>
      ) : (
        <Uploading file={file} progress={progress} doing="Starting the import…" />
      )}
    </Card>
  );
}
