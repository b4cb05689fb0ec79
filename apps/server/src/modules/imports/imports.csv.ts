import {
  TASK_DESCRIPTION_MAX,
  TASK_ESTIMATE_MAX_MINUTES,
  TASK_IMPORT_COLUMNS,
  TASK_IMPORT_EXTERNAL_ID_MAX,
  TASK_LABEL_MAX,
  TASK_LABELS_PER_TASK,
  TASK_PRIORITIES,
  TASK_STATUS_LABELS,
  TASK_STATUSES,
  TASK_TITLE_MAX,
  isoDate,
  unsafeTextReason,
  type ImportRowError,
  type TaskImportColumn,
  type TaskPriority,
  type TaskStatus,
} from "@cairn/shared";
import Papa from "papaparse";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ValidationError } from "../../platform/errors.js";

/**
 * Reading an import's file: streamed through PapaParse (never held whole; ADR 0012), checked row by row
 * without the database. What concerns the whole file (not UTF-8, not CSV, an unknown or missing
 * column) is an `ImportFileError`, a 400 that refuses the file; what concerns one row is an
 * `ImportRowError` naming the row (the header is row 1) and the column.
 */

/** One row as the file says it, checked. `undefined`: the file has no such column. */
export type ImportRow = {
  row: number;
  title: string;
  description?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
  /** A username or an email, as written (lowercase); resolved against the organization later. */
  assignee?: string | null;
  dueDate?: string | null;
  estimateMinutes?: number | null;
  labels?: string[];
  externalId: string | null;
  /** Another row's (or an existing task's) externalId. */
  parent?: string | null;
};

export class ImportFileError extends ValidationError {
  constructor(message: string, detail = "The file cannot be imported; nothing was written.") {
    super([{ path: "file", message }], detail);
  }
}

/** Statuses and priorities as people write them in a spreadsheet: the API's word or the label, any case. */
const STATUS_WORDS = new Map<string, TaskStatus>(
  TASK_STATUSES.flatMap((status) => [
    [status, status],
    [TASK_STATUS_LABELS[status].toLowerCase(), status],
  ]),
);
const PRIORITY_WORDS = new Map<string, TaskPriority>(TASK_PRIORITIES.map((priority) => [priority, priority]));
const COLUMN_NAMES = new Map<string, TaskImportColumn>(TASK_IMPORT_COLUMNS.map((column) => [column.toLowerCase(), column]));
const dueDate = isoDate();

/** The columns of a header row, or the file's refusal. */
export function readHeader(cells: string[]): TaskImportColumn[] {
  const columns: TaskImportColumn[] = [];
  const unknown: string[] = [];
  for (const cell of cells) {
    const column = COLUMN_NAMES.get(cell.trim().toLowerCase());
    if (!column) unknown.push(cell.trim() || "(empty)");
    else if (columns.includes(column)) throw new ImportFileError(`The column ${column} appears twice.`);
    else columns.push(column);
  }
  const [only] = cells;
  if (cells.length === 1 && only && /[;\t]/.test(only)) {
    throw new ImportFileError(`The cells are separated by "${only.includes(";") ? ";" : "tab"}", not by commas: save the file as CSV with commas (CSV UTF-8 in Excel).`);
  }
  if (unknown.length) {
    throw new ImportFileError(
      `Unknown column${unknown.length > 1 ? "s" : ""}: ${unknown.slice(0, 5).map((name) => name.slice(0, 40)).join(", ")}. The columns are ${TASK_IMPORT_COLUMNS.join(", ")}.`,
    );
  }
  if (!columns.includes("title")) throw new ImportFileError(`The file has no title column (its first line must name the columns: ${TASK_IMPORT_COLUMNS.join(", ")}).`);
  return columns;
}

/**
 * One data row checked: the row and its errors (every bad column, not only the first). A row with
 * errors is refused, but what it says of itself (its externalId) still tells its children why.
 */
export function readRow(columns: TaskImportColumn[], cells: string[], row: number): { row: ImportRow | null; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const fail = (column: string, message: string) => void errors.push({ row, column, message });
  if (cells.length !== columns.length) {
    fail("row", `Expected ${columns.length} cells, found ${cells.length}.`);
    return { row: null, errors };
  }
  const out: ImportRow = { row, title: "", externalId: null };
  for (let index = 0; index < columns.length; index++) {
    const column = columns[index] as TaskImportColumn;
    const raw = cells[index] as string;
    const unsafe = unsafeTextReason(raw);
    if (unsafe) {
      fail(column, unsafe);
      continue;
    }
    const value = raw.trim();
    switch (column) {
      case "title":
        if (!value) fail(column, "A task needs a title.");
        else if (value.length > TASK_TITLE_MAX) fail(column, `At most ${TASK_TITLE_MAX} characters.`);
        else out.title = value;
        break;
      case "description":
        if (raw.length > TASK_DESCRIPTION_MAX) fail(column, `At most ${TASK_DESCRIPTION_MAX.toLocaleString("en")} characters.`);
        else out.description = raw;
        break;
      case "status": {
        if (!value) break;
        const status = STATUS_WORDS.get(value.toLowerCase());
        if (status) out.status = status;
        else fail(column, `Unknown status "${value.slice(0, 40)}": use ${TASK_STATUSES.join(", ")}.`);
        break;
      }
      case "priority": {
        if (!value) break;
        const priority = PRIORITY_WORDS.get(value.toLowerCase());
        if (priority) out.priority = priority;
        else fail(column, `Unknown priority "${value.slice(0, 40)}": use ${TASK_PRIORITIES.join(", ")}.`);
        break;
      }
      case "assignee":
        out.assignee = value ? value.toLowerCase() : null;
        break;
      case "dueDate": {
        if (!value) {
          out.dueDate = null;
          break;
        }
        const parsed = dueDate.safeParse(value);
        if (parsed.success) out.dueDate = parsed.data;
        else fail(column, parsed.error.issues[0]?.message ?? "Use YYYY-MM-DD.");
        break;
      }
      case "estimateMinutes": {
        if (!value) {
          out.estimateMinutes = null;
          break;
        }
        const minutes = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
        if (Number.isNaN(minutes)) fail(column, "Whole minutes, such as 90.");
        else if (minutes > TASK_ESTIMATE_MAX_MINUTES) fail(column, "That is more than two years of work.");
        else out.estimateMinutes = minutes;
        break;
      }
      case "labels": {
        const labels = new Map<string, string>();
        for (const part of value ? value.split(";") : []) {
          // As the API's taskLabel reads one: spaces collapsed; never a comma (`;` separates them here).
          const label = part.trim().replace(/\s+/g, " ");
          if (!label) continue;
          const problem = label.length > TASK_LABEL_MAX ? `At most ${TASK_LABEL_MAX} characters.` : label.includes(",") ? "A label cannot hold ';' or ','." : null;
          if (problem) {
            fail(column, `"${label.slice(0, 40)}": ${problem}`);
            break;
          }
          labels.set(label.toLowerCase(), label);
        }
        if (labels.size > TASK_LABELS_PER_TASK) fail(column, `At most ${TASK_LABELS_PER_TASK} labels.`);
        else out.labels = [...labels.values()];
        break;
      }
      case "externalId":
        if (value.length > TASK_IMPORT_EXTERNAL_ID_MAX) fail(column, `At most ${TASK_IMPORT_EXTERNAL_ID_MAX} characters.`);
        else out.externalId = value || null;
        break;
      case "parent":
        out.parent = value || null;
        break;
    }
  }
  if (out.parent && out.parent === out.externalId) fail("parent", "A task cannot be its own parent.");
  return { row: out, errors };
}

/**
 * Bytes to text, refusing what is not UTF-8 (a spreadsheet saved as Latin-1 or UTF-16, a binary
 * file): a decoder in fatal mode, fed chunk by chunk, fails on the first bad sequence; it drops a
 * byte-order mark. It also counts quotes: in CSV every `"` is paired (a quoted cell opens and
 * closes, a quote inside one is doubled), so an odd count at the end is a quoted cell never
 * closed, a file cut short, which the parser would otherwise read to the end as one cell.
 */
function utf8Text(): Transform {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let quotes = 0;
  const refuse = () =>
    new ImportFileError("The file is not UTF-8 text. Save it as \"CSV UTF-8\" (Excel) or CSV with the UTF-8 encoding.", "The file is not UTF-8 text; nothing was written.");
  const count = (text: string) => {
    for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) quotes++;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        done(refuse());
        return;
      }
      if (text.includes("\u0000")) {
        done(new ImportFileError("The file is binary, not CSV text.", "The file is not CSV; nothing was written."));
        return;
      }
      count(text);
      done(null, text);
    },
    flush(done) {
      let rest: string;
      try {
        rest = decoder.decode();
      } catch {
        done(refuse());
        return;
      }
      count(rest);
      if (quotes % 2) done(new ImportFileError("A quoted cell is never closed: the file is cut short or not CSV.", "The file is not valid CSV; nothing was written."));
      else done(null, rest);
    },
  });
}

export type ScanVisitor = {
  /** Every data row, good or bad, in order. Returning a promise holds the parser until it settles. */
  row(result: { row: ImportRow | null; errors: ImportRowError[] }, rowNumber: number): void | Promise<void>;
};

/**
 * Reads a file row by row: the header first (its refusal stops everything), then each data row
 * to `visitor`. Returns the header's columns and the number of data rows. The stream is read
 * once, with backpressure: a visitor that awaits holds the parser.
 */
export async function scanCsv(input: Readable, visitor: ScanVisitor): Promise<{ columns: TaskImportColumn[]; total: number }> {
  let columns: TaskImportColumn[] | null = null;
  let total = 0;
  // Commas only, as API.md says (PapaParse would guess the delimiter otherwise); blank lines skipped.
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { delimiter: ",", skipEmptyLines: true });
  const rows = new Transform({
    objectMode: true,
    transform(cells: string[], _encoding, done) {
      try {
        if (!columns) {
          columns = readHeader(cells);
          done();
          return;
        }
        total++;
        const pending = visitor.row(readRow(columns, cells, total + 1), total + 1);
        if (pending) pending.then(() => done(), done);
        else done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  await pipeline(input, utf8Text(), parser, rows);
  if (!columns) throw new ImportFileError("The file is empty: its first line must name the columns, such as title,status,assignee.");
  return { columns, total };
}
