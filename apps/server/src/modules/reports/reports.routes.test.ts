import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import type { UserActor } from "../../platform/access/actor.js";
import { runAs } from "../../platform/services.js";
import { csvCell } from "./csv.js";
import { projectReportLines } from "./reports.service.js";

type User = Awaited<ReturnType<typeof buildUser>>;

let t: TestContext;
let org: { id: string; slug: string };
let admin: User;
let manager: User;
let developer: User;
let outsider: User;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  outsider = await buildUser(t, { orgId: (await buildOrg(t)).id, roles: ["admin"] });
  for (const [index, name] of ["Atlas", "Borealis", "=HYPERLINK(\"http://evil\")", "Comma, Inc"].entries()) {
    await t.request({ method: "POST", url: "/api/projects", token: admin.token, payload: { name, key: `K${index}X`, cost: `${index}00.00` } });
  }
  await t.request({ method: "POST", url: "/api/projects", token: outsider.token, payload: { name: "Not yours" } });
});
afterAll(() => t.close());

const parseRows = (body: string) => body.trimEnd().split("\r\n");

describe("GET /api/reports/projects.csv", () => {
  it("exports what the caller may see, as an attachment, with financial columns for those who may see money", async () => {
    const response = await t.request({ method: "GET", url: "/api/reports/projects.csv", token: admin.token });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="projects-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parseRows(response.body);
    expect(rows[0]).toBe(
      "id,organization,key,name,status,priority,visibility,client,team,owner,manager,start_date,due_date,payment_status,archived,members,created_at,updated_at,currency,cost,discount,net_price,amount_paid",
    );
    expect(rows).toHaveLength(5);
    expect(response.body).not.toContain("Not yours");
    expect(rows.find((row) => row.includes(",K1X,"))).toContain(",USD,100.00,0.00,100.00,0.00");
    expect(response.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(response.body).toContain(`"Comma, Inc"`);
  });

  it("takes the list's filters", async () => {
    const response = await t.request({ method: "GET", url: "/api/reports/projects.csv?search=bor", token: manager.token });
    expect(parseRows(response.body)).toHaveLength(2);
  });

  it("needs reports.view (403 as a problem, not a broken file) and hides other organizations (404)", async () => {
    const refused = await t.request({ method: "GET", url: "/api/reports/projects.csv", token: developer.token });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers["content-type"]).toContain("application/problem+json");
    expect((await t.request({ method: "GET", url: `/api/reports/projects.csv?org=${org.slug}`, token: outsider.token })).statusCode).toBe(404);
    expect((await t.request({ method: "GET", url: "/api/reports/projects.csv" })).statusCode).toBe(401);
  });

  it("is produced batch by batch, each in its own short transaction", async () => {
    const principal = await t.services.principals.get(admin.id);
    if (!principal) throw new Error("no principal");
    const actor: UserActor = { kind: "user", userId: principal.userId, username: principal.username, isSuperuser: false, sessionId: null, orgs: principal.orgs };
    let transactions = 0;
    const chunks: string[] = [];
    const run = <T>(work: Parameters<typeof runAs<T>>[2]) => {
      transactions++;
      return runAs(t.services, actor, work);
    };
    for await (const chunk of projectReportLines(run, {}, { financial: false, batchSize: 2 })) chunks.push(chunk);
    expect(chunks).toHaveLength(1 + 2);
    expect(transactions).toBe(3);
    expect(chunks.join("").trimEnd().split("\r\n")).toHaveLength(5);
  });
});

describe("CSV cells", () => {
  it("quotes separators and neutralises formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then')).toBe('"say ""hi"", then"');
    expect(csvCell("+1 555")).toBe(`"'+1 555"`);
    expect(csvCell("@SUM(A1)")).toBe(`"'@SUM(A1)"`);
    expect(csvCell(null)).toBe("");
  });
});
