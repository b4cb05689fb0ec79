import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";

/** GET /api/reports/tasks.csv: the task list's rows and filters, as a streamed file. */

type User = Awaited<ReturnType<typeof buildUser>>;

let t: TestContext;
let manager: User;
let developer: User;
let project: { id: string; key: string };

beforeAll(async () => {
  t = await createTestContext();
  const org = await buildOrg(t);
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  project = (await t.request({ method: "POST", url: "/api/projects", token: manager.token, payload: { orgId: org.id, name: "Export", key: "EXP" } })).json();
  const tasks = [
    { title: "=HYPERLINK(\"http://evil\")", labels: ["Ops", "Urgent fix"], status: "in_progress", assigneeId: developer.id },
    { title: "Write docs, quickly", dueDate: "2020-01-01" },
    { title: "Done already", status: "done" },
  ];
  const made = await t.request({ method: "POST", url: "/api/tasks/bulk", token: manager.token, payload: { projectId: project.id, tasks } });
  expect(made.statusCode, made.body).toBe(201);
});
afterAll(() => t.close());

const rows = (body: string) => body.trimEnd().split("\r\n");

describe("GET /api/reports/tasks.csv", () => {
  it("exports the tasks the caller sees with the list's filters, safe for spreadsheets", async () => {
    const response = await t.request({ method: "GET", url: `/api/reports/tasks.csv?project=${project.id}`, token: manager.token });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="tasks-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = rows(response.body);
    expect(lines[0]).toBe(
      "id,organization,key,title,description,status,priority,project,assignee,reporter,labels,due_date,estimate_minutes,logged_minutes,parent,overdue,completed_at,created_at,updated_at",
    );
    expect(lines).toHaveLength(4);
    expect(response.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(response.body).toContain("Ops;Urgent fix");
    expect(response.body).toContain(`"Write docs, quickly"`);
    const overdue = await t.request({ method: "GET", url: `/api/reports/tasks.csv?project=${project.id}&overdue=true`, token: manager.token });
    expect(rows(overdue.body)).toHaveLength(2);
    const several = await t.request({ method: "GET", url: `/api/reports/tasks.csv?project=${project.id}&status=todo&status=done`, token: manager.token });
    expect(rows(several.body)).toHaveLength(3);
  });

  it("needs reports.view, as a problem before any byte", async () => {
    const refused = await t.request({ method: "GET", url: "/api/reports/tasks.csv", token: developer.token });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toMatch(/reports\.view/);
    const bad = await t.request({ method: "GET", url: "/api/reports/tasks.csv?status=nope", token: manager.token });
    expect(bad.statusCode).toBe(400);
  });
});
