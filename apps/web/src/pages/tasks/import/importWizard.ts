/**
 * The rules of the CSV import wizard that need no page: what each column means, the template, the
 * client-side size check, the dry run's summary, an import's progress and status words, and how a
 * pushed `import.updated` joins what the page already holds.
 */
import {
  IMPORT_ERRORS_LISTED,
  TASK_IMPORT_COLUMNS,
  TASK_IMPORT_MAX_BYTES,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type ImportDryRun,
  type ImportStatus,
  type ImportView,
  type TaskImportColumn,
} from "@cairn/shared";
import { formatBytes } from "../../projects/model";

const count = new Intl.NumberFormat("en");

/** `1 row`, `1,204 rows`. */
export function quantity(value: number, singular: string, plural = `${singular}s`): string {
  return `${count.format(value)} ${value === 1 ? singular : plural}`;
}

const oneOf = (values: readonly string[]) => `${values.slice(0, -1).join(", ")} or ${values.at(-1) ?? ""}`;

/** What goes in each column, shown beside the drop zone (every column is listed: the type says so). */
export const COLUMN_HELP: Readonly<Record<TaskImportColumn, string>> = {
  title: "Required: the only column a file must have.",
  description: "Markdown.",
  status: `${oneOf(TASK_STATUSES)}.`,
  priority: `${oneOf(TASK_PRIORITIES)}.`,
  assignee: "A member's username or email.",
  dueDate: "A day as YYYY-MM-DD.",
  estimateMinutes: "Whole minutes, such as 90.",
  labels: "Separated by semicolons: frontend;payments.",
  externalId:
    "Your id of the row, such as its key in another tool. Importing a row whose externalId is already in the project updates that task instead of adding a second one.",
  parent: "The externalId of another row of the file: this task becomes its sub-task.",
};

/** The header line every import file may start with, as a file to fill in. */
export function templateCsv(): string {
  return `${TASK_IMPORT_COLUMNS.join(",")}\r\n`;
}

/** The template as a link's address, so "Download a template" is a plain link with `download`. */
export function templateHref(): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(templateCsv())}`;
}

/** The server's limit as people say it: "20 MB". */
export const MAX_SIZE = `${TASK_IMPORT_MAX_BYTES / 1024 / 1024} MB`;

/** Why a file cannot be sent, before uploading it: the server would refuse it with a 413. */
export function fileProblem(file: { name: string; size: number }): string | null {
  if (file.size > TASK_IMPORT_MAX_BYTES)
    return `${file.name} is ${formatBytes(file.size)}: a file can be at most ${MAX_SIZE}. Split it and import the parts one after another.`;
  if (file.size === 0) return `${file.name} is empty: a file needs a header line and at least one task.`;
  return null;
}

/** A dry run in numbers: rows, how many would be imported and how many were refused. */
export function dryRunSummary(dryRun: ImportDryRun): { text: string; invalid: number } {
  const invalid = dryRun.total - dryRun.valid;
  return {
    text: `${quantity(dryRun.total, "row")}, ${count.format(dryRun.valid)} ready to import, ${count.format(invalid)} with errors`,
    invalid,
  };
}

/** The status of an import in words. */
export const STATUS_WORDS: Readonly<Record<ImportStatus, string>> = {
  queued: "Waiting to start",
  running: "Importing",
  completed: "Completed",
  failed: "Failed",
  undone: "Undone",
};

/** Whether the import still runs, so the page follows it. */
export function isActive(status: ImportStatus): boolean {
  return status === "queued" || status === "running";
}

/** How far an import is, 0–100; a finished one is full even when its file had no rows. */
export function progressPercent(view: Pick<ImportView, "status" | "processed" | "total">): number {
  if (!isActive(view.status)) return 100;
  return view.total > 0 ? (view.processed / view.total) * 100 : 0;
}

/** Statuses in the order an import goes through them; a push never takes one back. */
const STAGE: Readonly<Record<ImportStatus, number>> = {
  queued: 0,
  running: 1,
  completed: 2,
  failed: 2,
  undone: 3,
};

/**
 * The import once a pushed `import.updated` arrives. Only the person who started an import gets its
 * pushes, so one the page does not hold yet is taken as it is: it is the one the wizard is about to
 * show (the first push may beat the wizard's first GET). Pushes may leave the errors out to stay
 * small, so the errors already held are kept; a push older than what the page holds (a poll answered
 * after it) is ignored.
 */
export function withPush(current: ImportView | undefined, pushed: ImportView): ImportView {
  if (!current) return pushed;
  if (isBehind(pushed, current)) return current;
  const errors = pushed.errors.length || !pushed.errorCount ? pushed.errors : current.errors;
  return { ...pushed, errors };
}

/**
 * The import once a GET (the first read or a poll) answers. A GET sent before a push and answered
 * after it tells of an earlier moment than the push: what the page holds stays, so the bar never
 * goes back (it would jump from full to empty when the import ends between the GET and its answer).
 */
export function withFetched(current: ImportView | undefined, fetched: ImportView): ImportView {
  return current && current.id === fetched.id && isBehind(fetched, current) ? current : fetched;
}

/** True when `view` tells of an earlier moment of the import than `than`. */
function isBehind(view: ImportView, than: ImportView): boolean {
  return (
    STAGE[view.status] < STAGE[than.status] ||
    (view.status === than.status && view.processed < than.processed)
  );
}

/** A finished import whose errors the page does not hold in full (a push without them): fetch it. */
export function lacksErrors(view: ImportView): boolean {
  return !isActive(view.status) && view.errors.length < Math.min(view.errorCount, IMPORT_ERRORS_LISTED);
}

/**
 * What an import did with the rows it went through. A row may have several errors, so the refused
 * rows are counted from the listed errors; when the view lists fewer errors than there are (the
 * first 1000), that count and the unchanged rows are unknown (null). Unchanged rows named a task
 * by externalId that already held the file's values.
 */
export function outcome(view: ImportView): {
  created: number;
  updated: number;
  refused: number | null;
  unchanged: number | null;
} {
  const { created, updated } = view;
  if (view.errors.length < view.errorCount) return { created, updated, refused: null, unchanged: null };
  const refused = new Set(view.errors.map((error) => error.row)).size;
  return { created, updated, refused, unchanged: Math.max(0, view.processed - created - updated - refused) };
}
