import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { countQueries, type QueryCounter } from "./query-counter.test-util.js";

type User = Awaited<ReturnType<typeof buildUser>>;
type Page = { items: Array<{ id: string; name: string; status: string; dueDate: string | null; cost?: string }>; total: number; page: number; pageSize: number };

let t: TestContext;
let counter: QueryCounter;
let orgA: { id: string; slug: string };
let orgB: { id: string; slug: string };
let admin: User;
let adminOfBoth: User;
let developer: User;
let clientId: string;
let teamId: string;
const names = ["Alpha portal", "Beta shop", "Gamma API", "alphabet soup", "Delta mobile", "Epsilon data", "Zeta ALPHA"];

beforeAll(async () => {
  t = await createTestContext();
  counter = countQueries(t.services.database);
  orgA = await buildOrg(t);
  orgB = await buildOrg(t);
  admin = await buildUser(t, { orgId: orgA.id, roles: ["admin"] });
  adminOfBoth = await buildUser(t, { orgId: orgA.id, roles: ["admin"] });
  await t.request({ method: "POST", url: `/api/orgs/${orgB.slug}/members`, token: (await buildUser(t, { isSuperuser: true })).token, payload: { email: adminOfBoth.email, username: adminOfBoth.username, roles: ["admin"] } });
  adminOfBoth = { ...adminOfBoth, token: (await t.request({ method: "POST", url: "/api/auth/login", payload: { login: adminOfBoth.username, password: adminOfBoth.password } })).json<{ access: string }>().access };
  developer = await buildUser(t, { orgId: orgA.id, roles: ["verified_developer"] });
  clientId = (await t.request({ method: "POST", url: "/api/clients", token: admin.token, payload: { orgId: orgA.id, name: "Client" } })).json<{ id: string }>().id;
  teamId = (await t.request({ method: "POST", url: "/api/teams", token: admin.token, payload: { orgId: orgA.id, name: "Team" } })).json<{ id: string }>().id;
  for (const [index, name] of names.entries()) {
    const response = await t.request({
      method: "POST",
      url: "/api/projects",
      token: admin.token,
      payload: {
        orgId: orgA.id,
        name,
        // The first three are the developer's to manage, which puts them on those projects' people.
        ...(index < 3 ? { managerId: developer.id } : {}),
        dueDate: `2026-0${(index % 9) + 1}-15`,
        cost: `${(index + 1) * 100}.00`,
        ...(index % 2 ? { clientId } : { teamId }),
      },
    });
    const id = response.json<{ id: string }>().id;
    if (index % 3 === 0) await t.request({ method: "PATCH", url: `/api/projects/${id}/status`, token: admin.token, payload: { status: "active" } });
    if (index % 2) await t.request({ method: "POST", url: `/api/projects/${id}/payments`, token: admin.token, payload: { amount: "10.00", method: "cash" } });
  }
  await t.request({ method: "POST", url: "/api/projects", token: adminOfBoth.token, payload: { orgId: orgB.id, name: "Alpha in B" } });
});
afterAll(() => t.close());

const list = async (query: string, token = admin.token) => {
  const response = await t.request({ method: "GET", url: `/api/projects?${query}`, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Page>();
};

describe("GET /api/projects", () => {
  it("searches names case-insensitively by any part", async () => {
    expect((await list("search=ALPHA&ordering=name")).items.map((item) => item.name)).toEqual(["Alpha portal", "alphabet soup", "Zeta ALPHA"]);
    expect((await list("search=50%25")).total).toBe(0);
  });

  it("filters by status, client, team and developer, and combines them", async () => {
    expect((await list("status=active&ordering=name")).items.map((item) => item.name)).toEqual(["Alpha portal", "alphabet soup", "Zeta ALPHA"]);
    expect((await list(`client=${clientId}`)).total).toBe(3);
    expect((await list(`team=${teamId}`)).total).toBe(4);
    expect((await list(`developer=${developer.id}&ordering=name`)).items.map((item) => item.name)).toEqual(["Alpha portal", "Beta shop", "Gamma API"]);
    expect((await list(`search=alpha&status=active&team=${teamId}`)).items.map((item) => item.name).sort()).toEqual(["Alpha portal", "Zeta ALPHA"]);
  });

  it("lists every organization of the caller, narrowed by ?org= (id or slug); another's is a 404", async () => {
    expect((await list("search=alpha", adminOfBoth.token)).total).toBe(4);
    expect((await list(`search=alpha&org=${orgB.slug}`, adminOfBoth.token)).items.map((item) => item.name)).toEqual(["Alpha in B"]);
    expect((await list(`org=${orgA.id}`, adminOfBoth.token)).total).toBe(names.length);
    expect((await t.request({ method: "GET", url: `/api/projects?org=${orgB.slug}`, token: admin.token })).statusCode).toBe(404);
  });

  it("orders by name, creation and due date, both ways, and paginates with a total", async () => {
    expect((await list("ordering=-name&pageSize=2")).items.map((item) => item.name)).toEqual(["Zeta ALPHA", "Gamma API"]);
    expect((await list("ordering=dueDate&pageSize=1")).items[0]?.dueDate).toBe("2026-01-15");
    expect((await list("ordering=-createdAt&pageSize=1")).items[0]?.name).toBe("Zeta ALPHA");
    const second = await list("ordering=name&page=2&pageSize=3");
    expect(second).toMatchObject({ page: 2, pageSize: 3, total: names.length });
    expect(second.items.map((item) => item.name)).toEqual(["Delta mobile", "Epsilon data", "Gamma API"]);
    expect((await t.request({ method: "GET", url: "/api/projects?pageSize=101", token: admin.token })).statusCode).toBe(400);
    expect((await t.request({ method: "GET", url: "/api/projects?ordering=cost", token: admin.token })).statusCode).toBe(400);
  });

  it("costs the same number of queries for a page of 1 or of every project (no N+1)", async () => {
    await list("pageSize=1");
    counter.reset();
    await list("pageSize=1");
    const one = counter.count;
    counter.reset();
    const all = await list("pageSize=100");
    expect(all.items.length).toBe(names.length);
    expect(counter.count).toBe(one);
    expect(one).toBeLessThanOrEqual(4);
  });
});
