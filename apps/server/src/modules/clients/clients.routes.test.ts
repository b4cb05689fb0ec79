import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";

type User = Awaited<ReturnType<typeof buildUser>>;
type Client = { id: string; name: string; salespersonId: string | null; customerUserId: string | null; customer: { username: string } | null; projectCount: number; allowedActions: string[] };

let t: TestContext;
let org: { id: string; slug: string };
let sales: User;
let support: User;
let developer: User;
let customer: User;
let admin: User;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  sales = await buildUser(t, { orgId: org.id, roles: ["salesperson"] });
  support = await buildUser(t, { orgId: org.id, roles: ["support"] });
  developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  customer = await buildUser(t, { orgId: org.id, roles: ["customer"] });
});
afterAll(() => t.close());

describe("clients", () => {
  it("a salesperson brings a client linked to a customer account; they own it", async () => {
    const response = await t.request({
      method: "POST",
      url: "/api/clients",
      token: sales.token,
      payload: { name: "Globex", company: "Globex Corporation", contactEmail: "hank@globex.test", phone: "+1 555 0100", notes: "Met at the fair", customerUserId: customer.id },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<Client>()).toMatchObject({ name: "Globex", salespersonId: sales.id, customerUserId: customer.id, customer: { username: customer.username }, projectCount: 0 });
    expect(response.json<Client>().allowedActions).toEqual(["view", "update", "delete"]);
  });

  it("staff see and search clients; developers and customers do not", async () => {
    const list = await t.request({ method: "GET", url: "/api/clients?search=corporation", token: support.token });
    expect(list.json<{ items: Client[] }>().items.map((client) => client.name)).toEqual(["Globex"]);
    expect(list.json<{ items: Client[] }>().items[0]?.allowedActions).toEqual(["view"]);
    expect((await t.request({ method: "GET", url: "/api/clients", token: developer.token })).statusCode).toBe(403);
    expect((await t.request({ method: "GET", url: "/api/clients", token: customer.token })).statusCode).toBe(403);
    expect((await t.request({ method: "POST", url: "/api/clients", token: support.token, payload: { name: "Nope" } })).statusCode).toBe(403);
  });

  it("links only members of the organization", async () => {
    const stranger = await buildUser(t, { orgId: (await buildOrg(t)).id, roles: ["customer"] });
    const response = await t.request({ method: "POST", url: "/api/clients", token: sales.token, payload: { name: "Initech", customerUserId: stranger.id } });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: Array<{ path: string }> }>().errors[0]?.path).toBe("customerUserId");
  });

  it("edits with an audit trail and refuses to delete a client that has projects", async () => {
    const client = (await t.request({ method: "POST", url: "/api/clients", token: sales.token, payload: { name: "Umbrella" } })).json<Client>();
    const edit = await t.request({ method: "PATCH", url: `/api/clients/${client.id}`, token: admin.token, payload: { notes: "Careful", phone: null } });
    expect(edit.statusCode).toBe(200);
    await t.request({ method: "POST", url: "/api/projects", token: sales.token, payload: { name: "Umbrella site", clientId: client.id } });
    // No delete is offered while it has projects; asking anyway is a 409 that says why.
    const withProject = (await t.request({ method: "GET", url: `/api/clients/${client.id}`, token: sales.token })).json<Client>();
    expect(withProject).toMatchObject({ projectCount: 1, allowedActions: ["view", "update"] });
    const refused = await t.request({ method: "DELETE", url: `/api/clients/${client.id}`, token: sales.token });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ detail: string }>().detail).toBe("Umbrella has 1 project(s); move or delete them first.");
    const lone = (await t.request({ method: "POST", url: "/api/clients", token: sales.token, payload: { name: "Lone" } })).json<Client>();
    expect((await t.request({ method: "DELETE", url: `/api/clients/${lone.id}`, token: sales.token })).statusCode).toBe(204);
    expect((await t.request({ method: "GET", url: `/api/clients/${lone.id}`, token: sales.token })).statusCode).toBe(404);
    const audit = await t.request({ method: "GET", url: `/api/audit?entityType=client&entityId=${client.id}`, token: admin.token });
    expect(audit.json<{ items: Array<{ action: string }> }>().items.map((entry) => entry.action)).toEqual(["client.updated", "client.created"]);
  });
});
