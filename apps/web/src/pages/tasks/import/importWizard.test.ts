import { TASK_IMPORT_COLUMNS, TASK_IMPORT_MAX_BYTES, type ImportView } from "@cairn/shared";
import { describe, expect, it } from "vitest";
import {
  COLUMN_HELP,
  dryRunSummary,
  fileProblem,
  lacksErrors,
  outcome,
  progressPercent,
  templateCsv,
  templateHref,
  withFetched,
  withPush,
} from "./importWizard";

const view = (overrides: Partial<ImportView> = {}): ImportView => ({
  id: "0b8f4a36-36f5-4d5e-9f3a-7f0f6bb1c001",
  projectId: "0b8f4a36-36f5-4d5e-9f3a-7f0f6bb1c002",
  fileName: "tasks.csv",
  status: "running",
  total: 10,
  processed: 4,
  created: 3,
  updated: 0,
  errors: [],
  errorCount: 0,
  failure: null,
  createdAt: "2026-12-01T12:00:00Z",
  finishedAt: null,
  ...overrides,
});

const badRow = { row: 3, column: "status", message: "Unknown status: doing." };

describe("the import wizard", () => {
  it("offers a template whose header is every column the server takes, and explains each", () => {
    expect(templateCsv()).toBe(`${TASK_IMPORT_COLUMNS.join(",")}\r\n`);
    expect(decodeURIComponent(templateHref().replace(/^data:text\/csv;charset=utf-8,/, ""))).toBe(
      templateCsv(),
    );
    for (const column of TASK_IMPORT_COLUMNS) expect(COLUMN_HELP[column]).not.toBe("");
    expect(COLUMN_HELP.status).toBe("todo, in_progress or done.");
  });

  it("refuses a file over the server's limit before uploading it, and an empty one", () => {
    expect(fileProblem({ name: "big.csv", size: TASK_IMPORT_MAX_BYTES + 1 })).toMatch(
      /^big\.csv is 20\.0 MB: a file can be at most 20 MB\. Split it/,
    );
    expect(fileProblem({ name: "empty.csv", size: 0 })).toMatch(/empty/);
    expect(fileProblem({ name: "ok.csv", size: TASK_IMPORT_MAX_BYTES })).toBeNull();
  });

  it("sums a dry run up as rows, ready and with errors", () => {
    expect(dryRunSummary({ total: 1204, valid: 1200, errors: [badRow] })).toEqual({
      text: "1,204 rows, 1,200 ready to import, 4 with errors",
      invalid: 4,
    });
    expect(dryRunSummary({ total: 1, valid: 1, errors: [] }).text).toBe(
      "1 row, 1 ready to import, 0 with errors",
    );
  });

  it("fills the bar as rows are processed, and fully once finished", () => {
    expect(progressPercent(view())).toBe(40);
    expect(progressPercent(view({ status: "queued", total: 0, processed: 0 }))).toBe(0);
    expect(progressPercent(view({ status: "completed", total: 0, processed: 0 }))).toBe(100);
  });

  it("takes a push for an import the page does not hold yet, and never goes backwards", () => {
    expect(withPush(undefined, view())).toEqual(view());
    const held = view({ processed: 6 });
    expect(withPush(held, view({ processed: 8 }))?.processed).toBe(8);
    // A push overtaken by a poll's answer, or one from before the import finished, changes nothing.
    expect(withPush(held, view({ processed: 5 }))).toBe(held);
    const finished = view({ status: "completed", processed: 10 });
    expect(withPush(finished, view({ processed: 10 }))).toBe(finished);
    expect(withPush(finished, view({ status: "undone", processed: 10 }))?.status).toBe("undone");
  });

  it("keeps a push's later progress when a poll sent before it answers after it", () => {
    expect(withFetched(undefined, view())).toEqual(view());
    const finished = view({ status: "completed", processed: 10 });
    // The first GET went out while the import was starting; the completed push came first.
    expect(withFetched(finished, view({ status: "running", processed: 0 }))).toBe(finished);
    expect(withFetched(view({ processed: 6 }), view({ processed: 5 }))?.processed).toBe(6);
    // A later answer replaces what is held, errors included; so does the same moment (a full read after a push without errors).
    const fetched = view({ status: "completed", processed: 10, errors: [badRow], errorCount: 1 });
    expect(withFetched(view({ status: "completed", processed: 10, errorCount: 1 }), fetched)).toBe(fetched);
    expect(withFetched(view({ processed: 2 }), view({ processed: 7 }))?.processed).toBe(7);
    // Another import's view is never kept in place of the one asked for.
    const other = view({ id: "0b8f4a36-36f5-4d5e-9f3a-7f0f6bb1c009", status: "completed" });
    expect(withFetched(other, view())).toEqual(view());
  });

  it("keeps the errors it holds when a push leaves them out, and fetches them when it finished without", () => {
    const held = view({ errors: [badRow], errorCount: 1 });
    const pushed = withPush(held, view({ processed: 9, errorCount: 2 }));
    expect(pushed?.errors).toEqual([badRow]);
    expect(pushed?.errorCount).toBe(2);
    expect(lacksErrors(view({ status: "completed", errors: [badRow], errorCount: 2 }))).toBe(true);
    expect(lacksErrors(view({ status: "running", errors: [], errorCount: 2 }))).toBe(false);
    expect(lacksErrors(view({ status: "completed", errors: [badRow, badRow], errorCount: 2 }))).toBe(false);
    expect(lacksErrors(view({ status: "completed", errors: [], errorCount: 0 }))).toBe(false);
  });
});

describe("an import's outcome", () => {
  it("counts refused rows, not errors, and the rows that changed nothing", () => {
    const errors = [badRow, { ...badRow, column: "dueDate" }, { ...badRow, row: 7 }];
    const done = view({ status: "completed", processed: 10, created: 3, updated: 2, errors, errorCount: 3 });
    expect(outcome(done)).toEqual({ created: 3, updated: 2, refused: 2, unchanged: 3 });
  });

  it("does not guess when the view lists only the first errors", () => {
    const done = view({
      status: "completed",
      processed: 5000,
      created: 10,
      errors: [badRow],
      errorCount: 4990,
    });
    expect(outcome(done)).toEqual({ created: 10, updated: 0, refused: null, unchanged: null });
  });
});
