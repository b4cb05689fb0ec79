import type { ImportDryRun, ImportUndo, ImportView } from "@cairn/shared";
import { and, asc, eq } from "drizzle-orm";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildProject, buildUser, type BuiltUser } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/harness.js";
import { auditLog } from "../../platform/audit/audit.table.js";
import { notifications } from "../notifications/notifications.table.js";
import { projectMembers } from "../projects/index.js";
import { tasks } from "../tasks/tasks.table.js";
import { taskImports } from "./imports.table.js";
import { importForm, waitForImport } from "./imports.test-util.js";

let t: TestContext;
let admin: BuiltUser;
let manager: BuiltUser;
let developer: BuiltUser;
let newcomer: BuiltUser;
let outsider: BuiltUser;
let orgId: string;
let orgSlug: string;
let projectId: string;

const send = (token: string | undefined, csv: string | Buffer, options: { dryRun?: boolean; project?: string; fieldsFirst?: boolean } = {}) => {
  const fields: Array<[string, string]> = [
    ["projectId", options.project ?? projectId],
    ["dryRun", String(options.dryRun ?? false)],
  ];
  const file: ["file", string | Buffer] = ["file", csv];
  return t.request({ method: "POST", url: "/api/tasks/import", token, ...importForm(options.fieldsFirst === false ? [file, ...fields] : [...fields, file]) });
};

const finished = (token: string, importId: string) => waitForImport(t, token, importId);

async function runImport(token: string, csv: string): Promise<ImportView> {
  const started = await send(token, csv);
  expect(started.statusCode, started.body).toBe(202);
  return finished(token, started.json<{ importId: string }>().importId);
}

const projectTasks = () =>
  t.services.database.db
    .select({ id: tasks.id, number: tasks.number, title: tasks.title, status: tasks.status, priority: tasks.priority, assigneeId: tasks.assigneeId, parentId: tasks.parentId, labels: tasks.labels, externalId: tasks.externalId, dueDate: tasks.dueDate, estimateMinutes: tasks.estimateMinutes, completedAt: tasks.completedAt })
    .from(tasks)
    .where(eq(tasks.projectId, projectId))
    .orderBy(asc(tasks.number));

/** The files under private storage's imports area (uploads waiting to run, errors files). */
const storedImportFiles = async () => {
  const entries = await readdir(path.join(t.config.privateDir, "imports"), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
};

beforeAll(async () => {
  t = await createTestContext();
  const org = await buildOrg(t);
  orgId = org.id;
  orgSlug = org.slug;
  admin = await buildUser(t, { orgId, roles: ["admin"] });
  manager = await buildUser(t, { orgId, roles: ["project_manager"] });
  developer = await buildUser(t, { orgId, roles: ["developer"] });
  newcomer = await buildUser(t, { orgId, roles: ["developer"] });
  outsider = await buildUser(t, { orgId: (await buildOrg(t)).id, roles: ["admin"] });
  projectId = (await buildProject(t, { orgId, key: "IMP", by: manager, managerId: manager.id, memberIds: [developer.id] })).id;
});
afterAll(() => t.close());

describe("POST /api/tasks/import: the dry run", () => {
  it("reports every bad row with its column, and writes nothing", async () => {
    const csv = [
      "title,status,priority,assignee,dueDate,estimateMinutes,labels,externalId,parent",
      `Set up CI,todo,high,${developer.username},2026-12-24,90,infra;ci,E-1,`,
      `Write docs,shipped,medium,,,,docs,E-2,`,
      `Fix login,todo,urgent,nobody@example.test,2026-02-30,abc,,E-3,`,
      `Child first,todo,low,,,,,E-4,E-5`,
      `Parent later,in progress,low,${newcomer.email.toUpperCase()},,,,E-5,`,
      `Loop A,todo,,,,,,L-1,L-2`,
      `Loop B,todo,,,,,,L-2,L-1`,
      `Orphan,todo,,,,,,E-6,NOPE`,
      `Duplicate,todo,,,,,,E-1,`,
      `,todo,,,,,,E-7,`,
      `Child of a refused row,todo,,,,,,E-8,E-2`,
      `Too,many,cells,here,and,there,and,more,and,more`,
    ].join("\n");
    const before = await projectTasks();
    const membersBefore = await t.services.database.db.select().from(projectMembers).where(eq(projectMembers.projectId, projectId));
    const response = await send(manager.token, csv, { dryRun: true });
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json<ImportDryRun>();
    expect(result.total).toBe(12);
    const byRow = (row: number) => result.errors.filter((error) => error.row === row).map((error) => error.column);
    expect(byRow(2)).toEqual([]);
    expect(byRow(3)).toEqual(["status"]);
    expect(byRow(4).sort()).toEqual(["assignee", "dueDate", "estimateMinutes"]);
    expect(byRow(5)).toEqual([]);
    expect(byRow(6)).toEqual([]);
    expect(byRow(7)).toEqual(["parent"]);
    expect(byRow(8)).toEqual(["parent"]);
    expect(result.errors.find((error) => error.row === 7)?.message).toMatch(/loop: row 7 → row 8 → row 7/);
    expect(byRow(9)).toEqual(["parent"]);
    expect(byRow(10)).toEqual(["externalId"]);
    expect(result.errors.find((error) => error.row === 10)?.message).toBe("Row 2 has this externalId already.");
    expect(byRow(11)).toEqual(["title"]);
    expect(byRow(12)).toEqual(["parent"]);
    expect(result.errors.find((error) => error.row === 12)?.message).toBe("Its parent, row 3, is refused.");
    expect(byRow(13)).toEqual(["row"]);
    expect(result.valid).toBe(3);
    // Nothing written: no task, no project member (the newcomer would join on a real import), no import, no file.
    expect(await projectTasks()).toEqual(before);
    expect(await t.services.database.db.select().from(projectMembers).where(eq(projectMembers.projectId, projectId))).toEqual(membersBefore);
    expect(await t.services.database.db.select().from(taskImports).where(eq(taskImports.projectId, projectId))).toEqual([]);
    expect(await storedImportFiles()).toEqual([]);
  });

  it("takes the fields after the file too, and columns in any order and case", async () => {
    const response = await send(manager.token, "ExternalId,Title\nX-1,Only a title\n", { dryRun: true, fieldsFirst: false });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<ImportDryRun>()).toEqual({ total: 1, valid: 1, errors: [] });
  });

  it("reads Excel's CSV UTF-8: a byte-order mark, CRLF line ends, a quoted cell with commas and a line break", async () => {
    const csv = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('title,description\r\n"Ship, then tell","Line one\r\nline two"\r\n\r\nCafé crème,\r\n')]);
    const response = await send(manager.token, csv, { dryRun: true });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<ImportDryRun>()).toEqual({ total: 2, valid: 2, errors: [] });
  });
});

describe("POST /api/tasks/import: files that cannot be imported", () => {
  const refused = async (csv: string | Buffer, status: number, pattern: RegExp) => {
    const response = await send(manager.token, csv, { dryRun: false });
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect(response.body).toMatch(pattern);
    expect(response.body).not.toMatch(/stack|select |insert /i);
  };

  it("an unknown column, no title column, a repeated column, an empty file, a header alone: 400", async () => {
    await refused("title,colour\nA,red\n", 400, /Unknown column: colour/);
    await refused("status\ntodo\n", 400, /no title column/);
    await refused("title,Title\nA,B\n", 400, /appears twice/);
    await refused("", 400, /empty/);
    await refused("title\n", 400, /no task rows/);
  });

  it("not UTF-8, binary, a spreadsheet, a cut quote: 400; larger than 20 MB: 413", async () => {
    await refused(Buffer.from("title\nCaf\xe9 cr\xe8me\n", "latin1"), 400, /not UTF-8/);
    await refused(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 400, /PNG image, not CSV/);
    await refused(Buffer.concat([Buffer.from("title\nA\n"), Buffer.from([0, 1, 2])]), 400, /binary, not CSV/);
    await refused('title\n"never closed\n', 400, /quoted cell is never closed/);
    await refused(Buffer.alloc(20 * 1024 * 1024 + 10, "a"), 413, /at most 20 MB/);
  });

  it("a missing or bad projectId, a bad dryRun, an unknown field: 400", async () => {
    const noProject = await t.request({ method: "POST", url: "/api/tasks/import", token: manager.token, ...importForm([["file", "title\nA\n"]]) });
    expect(noProject.statusCode).toBe(400);
    expect(noProject.json<{ errors: Array<{ path: string }> }>().errors[0]?.path).toBe("projectId");
    const bad = await t.request({ method: "POST", url: "/api/tasks/import", token: manager.token, ...importForm([["projectId", projectId], ["dryRun", "maybe"], ["file", "title\nA\n"]]) });
    expect(bad.statusCode).toBe(400);
    const extra = await t.request({ method: "POST", url: "/api/tasks/import", token: manager.token, ...importForm([["projectId", projectId], ["colour", "red"], ["file", "title\nA\n"]]) });
    expect(extra.statusCode).toBe(400);
    expect(await t.services.database.db.select().from(taskImports).where(eq(taskImports.projectId, projectId))).toEqual([]);
    expect(await storedImportFiles()).toEqual([]);
  });

  it("who may not import: 401 without a token, 403 without tasks.manage, 404 for another organization's project", async () => {
    expect((await send(undefined, "title\nA\n")).statusCode).toBe(401);
    expect((await send(developer.token, "title\nA\n")).statusCode).toBe(403);
    expect((await send(outsider.token, "title\nA\n")).statusCode).toBe(404);
    expect((await send(outsider.token, "title\nA\n", { dryRun: true })).statusCode).toBe(404);
    expect(await storedImportFiles()).toEqual([]);
  });
});

describe("an import: job, progress, upsert by externalId, errors.csv and undo", () => {
  const file = (suffix = "") =>
    [
      "title,description,status,priority,assignee,dueDate,estimateMinutes,labels,externalId,parent",
      `Epic${suffix},"The big one, with ""quotes""\nand two lines",in_progress,high,${developer.username},2026-12-24,600,Planning;Q1,EPIC,`,
      `Child before its parent${suffix},,todo,medium,,,,q1,C-0,P-1`,
      `Parent${suffix},,todo,low,${newcomer.email},,,,P-1,EPIC`,
      `Done already${suffix},,done,,,,,,D-1,`,
      `Bad row${suffix},,nope,,,,,,B-1,`,
      `No externalId${suffix},,,,,,,,,`,
    ].join("\n");

  let importId: string;

  it("creates the tasks in the background, linking parents, assignees and labels, and reports refused rows", async () => {
    const started = await send(manager.token, file());
    expect(started.statusCode, started.body).toBe(202);
    importId = started.json<{ importId: string }>().importId;
    const view = await finished(manager.token, importId);
    expect(view).toMatchObject({ status: "completed", total: 6, processed: 6, created: 5, updated: 0, errorCount: 1, failure: null, fileName: "tasks.csv", projectId });
    expect(view.errors).toEqual([{ row: 6, column: "status", message: 'Unknown status "nope": use todo, in_progress, done.' }]);
    const created = await projectTasks();
    expect(created.map((task) => task.title)).toEqual(["Epic", "Child before its parent", "Parent", "Done already", "No externalId"]);
    expect(created.map((task) => task.number)).toEqual([1, 2, 3, 4, 5]);
    const [epic, child, parent, done] = created;
    expect(epic).toMatchObject({ status: "in_progress", priority: "high", assigneeId: developer.id, dueDate: "2026-12-24", estimateMinutes: 600, labels: ["Planning", "Q1"], externalId: "EPIC" });
    expect(child?.labels).toEqual(["Q1"]);
    expect(child?.parentId).toBe(parent?.id);
    expect(parent?.parentId).toBe(epic?.id);
    expect(parent?.assigneeId).toBe(newcomer.id);
    expect(done?.completedAt).not.toBeNull();
    // The newcomer joined the project to work on it, as assigning one by one does.
    const members = await t.services.database.db.select().from(projectMembers).where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, newcomer.id)));
    expect(members).toHaveLength(1);
    // The uploaded file is gone once imported; the errors file stays for errors.csv.
    expect(await storedImportFiles()).toHaveLength(1);
    const audit = await t.services.database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, projectId)).orderBy(asc(auditLog.createdAt));
    expect(audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(["import.started", "import.finished"]));
    const told = await t.services.database.db.select({ title: notifications.title, link: notifications.link }).from(notifications).where(eq(notifications.userId, manager.id));
    expect(told).toContainEqual({ title: "Import of tasks.csv into IMP finished", link: `/o/${orgSlug}/projects/${projectId}/import?import=${importId}` });
  });

  it("errors.csv lists every refused row", async () => {
    const response = await t.request({ method: "GET", url: `/api/imports/${importId}/errors.csv`, token: manager.token });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="import-errors-/);
    expect(response.body).toBe('row,column,message\r\n6,status,"Unknown status ""nope"": use todo, in_progress, done."\r\n');
  });

  it("importing the file again updates the tasks by externalId instead of adding them", async () => {
    const view = await runImport(manager.token, file(" (v2)"));
    expect(view).toMatchObject({ status: "completed", created: 1, updated: 4, errorCount: 1 });
    const all = await projectTasks();
    // Only the row without an externalId is new.
    expect(all).toHaveLength(6);
    expect(all.map((task) => task.title)).toEqual(["Epic (v2)", "Child before its parent (v2)", "Parent (v2)", "Done already (v2)", "No externalId", "No externalId (v2)"]);
    expect(all[1]?.parentId).toBe(all[2]?.id);
    // The same file a third time changes nothing: nothing is counted as updated.
    const again = await runImport(manager.token, file(" (v2)"));
    expect(again).toMatchObject({ created: 1, updated: 0 });
  });

  it("undo removes the tasks an import created that nobody changed, and names the ones it keeps", async () => {
    const view = await runImport(manager.token, "title,externalId\nFresh one,F-1\nFresh two,F-2\nFresh three,\n");
    expect(view.created).toBe(3);
    const fresh = (await projectTasks()).filter((task) => task.title.startsWith("Fresh"));
    const edited = await t.request({ method: "PATCH", url: `/api/tasks/${fresh[1]?.id}`, token: manager.token, payload: { title: "Fresh two, edited" } });
    expect(edited.statusCode, edited.body).toBe(200);
    const undone = await t.request({ method: "POST", url: `/api/imports/${view.id}/undo`, token: manager.token });
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json<ImportUndo>()).toEqual({ removed: 2, kept: [{ id: fresh[1]?.id, key: `IMP-${fresh[1]?.number}`, title: "Fresh two, edited", reason: "Changed since the import" }] });
    expect((await projectTasks()).filter((task) => task.title.startsWith("Fresh")).map((task) => task.title)).toEqual(["Fresh two, edited"]);
    expect((await t.request({ method: "GET", url: `/api/imports/${view.id}`, token: manager.token })).json<ImportView>().status).toBe("undone");
    const twice = await t.request({ method: "POST", url: `/api/imports/${view.id}/undo`, token: manager.token });
    expect(twice.statusCode).toBe(409);
  });

  it("another organization's people find no import (404), members without tasks.manage may not (403), and nothing changes", async () => {
    const before = await projectTasks();
    // The project's developer sees the project, not its imports: 403, as for importing.
    for (const [user, status] of [[outsider, 404], [developer, 403]] as const) {
      expect((await t.request({ method: "GET", url: `/api/imports/${importId}`, token: user.token })).statusCode).toBe(status);
      expect((await t.request({ method: "GET", url: `/api/imports/${importId}/errors.csv`, token: user.token })).statusCode).toBe(status);
      expect((await t.request({ method: "POST", url: `/api/imports/${importId}/undo`, token: user.token })).statusCode).toBe(status);
    }
    expect((await t.request({ method: "GET", url: `/api/imports/${importId}` })).statusCode).toBe(401);
    expect((await t.request({ method: "GET", url: "/api/imports/not-a-uuid", token: manager.token })).statusCode).toBe(400);
    expect((await t.request({ method: "GET", url: "/api/imports/00000000-0000-4000-8000-000000000000", token: admin.token })).statusCode).toBe(404);
    expect(await projectTasks()).toEqual(before);
  });
});

describe("an import larger than one batch", () => {
  it("writes every batch in order: parents in earlier batches and in later ones, numbers in the file's order", async () => {
    const big = (await buildProject(t, { orgId, key: "BIG", by: manager, managerId: manager.id })).id;
    const rows = 12_000;
    const lines = ["title,externalId,parent"];
    for (let index = 0; index < rows; index++) {
      // Rows 6000+ name a parent 6000 rows back (an earlier batch); rows 0–999 one 10,000 ahead (a later batch).
      const parent = index >= 6000 ? `E-${index - 6000}` : index < 1000 ? `E-${index + 10_000}` : "";
      lines.push(`Task ${index},E-${index},${parent}`);
    }
    const started = await send(manager.token, `${lines.join("\n")}\n`, { project: big });
    expect(started.statusCode, started.body).toBe(202);
    const view = await finished(manager.token, started.json<{ importId: string }>().importId);
    expect(view).toMatchObject({ status: "completed", total: rows, processed: rows, created: rows, errorCount: 0 });
    const written = await t.services.database.db.select({ id: tasks.id, number: tasks.number, externalId: tasks.externalId, parentId: tasks.parentId }).from(tasks).where(eq(tasks.projectId, big)).orderBy(asc(tasks.number));
    expect(written).toHaveLength(rows);
    expect(written.every((task, index) => task.number === index + 1 && task.externalId === `E-${index}`)).toBe(true);
    const idOf = (index: number) => written[index]?.id;
    expect(written[7000]?.parentId).toBe(idOf(1000));
    expect(written[11_999]?.parentId).toBe(idOf(5999));
    expect(written[0]?.parentId).toBe(idOf(10_000));
    expect(written[999]?.parentId).toBe(idOf(10_999));
    expect(written.filter((task) => task.parentId).length).toBe(7000);
  }, 60_000);
});
