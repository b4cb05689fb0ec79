import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { auditLog } from "../../platform/audit/audit.table.js";

let t: TestContext;
let org: { id: string; slug: string };
let admin: Awaited<ReturnType<typeof buildUser>>;
let manager: Awaited<ReturnType<typeof buildUser>>;
let otherManager: Awaited<ReturnType<typeof buildUser>>;
let developer: Awaited<ReturnType<typeof buildUser>>;
let customer: Awaited<ReturnType<typeof buildUser>>;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  otherManager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  customer = await buildUser(t, { orgId: org.id, roles: ["customer"] });
});
afterAll(() => t.close());

type Team = { id: string; name: string; managerId: string | null; members: Array<{ userId: string; username: string }>; allowedActions: string[] };

describe("teams", () => {
  it("a manager builds a team they manage; its member sees it, other members do not", async () => {
    const created = await t.request({ method: "POST", url: "/api/teams", token: manager.token, payload: { name: "Platform", memberIds: [developer.id] } });
    expect(created.statusCode, created.body).toBe(201);
    const team = created.json<Team>();
    expect(team.managerId).toBe(manager.id);
    expect(team.members).toEqual([{ userId: developer.id, username: developer.username }]);
    expect(team.allowedActions).toEqual(["view", "update", "delete", "manageMembers"]);

    const asMember = await t.request({ method: "GET", url: `/api/teams/${team.id}`, token: developer.token });
    expect(asMember.statusCode).toBe(200);
    expect(asMember.json<Team>().allowedActions).toEqual(["view"]);
    expect((await t.request({ method: "GET", url: `/api/teams/${team.id}`, token: customer.token })).statusCode).toBe(404);
    expect((await t.request({ method: "GET", url: `/api/teams/${team.id}`, token: otherManager.token })).statusCode).toBe(404);
    expect((await t.request({ method: "GET", url: `/api/teams/${team.id}`, token: admin.token })).json<Team>().allowedActions).toContain("assignManager");

    const listed = await t.request({ method: "GET", url: "/api/teams", token: customer.token });
    expect(listed.json<{ total: number }>().total).toBe(0);
    const mine = await t.request({ method: "GET", url: `/api/teams?member=${developer.id}`, token: admin.token });
    expect(mine.json<{ items: Team[] }>().items.map((item) => item.id)).toEqual([team.id]);
  });

  it("keeps names unique per organization and members inside it", async () => {
    await t.request({ method: "POST", url: "/api/teams", token: admin.token, payload: { name: "Design" } });
    const duplicate = await t.request({ method: "POST", url: "/api/teams", token: admin.token, payload: { name: "design" } });
    expect(duplicate.statusCode).toBe(409);
    const stranger = await buildUser(t, { orgId: (await buildOrg(t)).id, roles: ["developer"] });
    const foreign = await t.request({ method: "POST", url: "/api/teams", token: admin.token, payload: { name: "Mixed", memberIds: [stranger.id] } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json<{ errors: Array<{ path: string }> }>().errors[0]?.path).toBe("memberIds.0");
  });

  it("lets a manager run only their own team and never hand it to someone else", async () => {
    const team = (await t.request({ method: "POST", url: "/api/teams", token: manager.token, payload: { name: "Mobile" } })).json<Team>();
    const handOver = await t.request({ method: "PATCH", url: `/api/teams/${team.id}`, token: manager.token, payload: { managerId: otherManager.id } });
    expect(handOver.statusCode).toBe(403);
    const forSomeoneElse = await t.request({ method: "POST", url: "/api/teams", token: manager.token, payload: { name: "Theirs", managerId: otherManager.id } });
    expect(forSomeoneElse.statusCode).toBe(403);
    const byAdmin = await t.request({ method: "PATCH", url: `/api/teams/${team.id}`, token: admin.token, payload: { managerId: otherManager.id } });
    expect(byAdmin.statusCode).toBe(200);
    expect((await t.request({ method: "PATCH", url: `/api/teams/${team.id}`, token: manager.token, payload: { name: "Mine again" } })).statusCode).toBe(404);
  });

  it("adds and removes members, audited in the same transaction", async () => {
    const team = (await t.request({ method: "POST", url: "/api/teams", token: manager.token, payload: { name: "Data" } })).json<Team>();
    const added = await t.request({ method: "POST", url: `/api/teams/${team.id}/members/${customer.id}`, token: manager.token });
    expect(added.statusCode).toBe(201);
    expect((await t.request({ method: "POST", url: `/api/teams/${team.id}/members/${customer.id}`, token: manager.token })).statusCode).toBe(409);
    expect((await t.request({ method: "DELETE", url: `/api/teams/${team.id}/members/${customer.id}`, token: manager.token })).statusCode).toBe(204);
    expect((await t.request({ method: "DELETE", url: `/api/teams/${team.id}/members/${customer.id}`, token: manager.token })).statusCode).toBe(404);
    const entries = await t.services.database.db
      .select({ action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "team"), eq(auditLog.entityId, team.id)))
      .orderBy(auditLog.createdAt);
    expect(entries.map((entry) => entry.action)).toEqual(["team.created", "team.member_added", "team.member_removed"]);
    expect(entries.every((entry) => entry.actorId === manager.id)).toBe(true);
    expect((await t.request({ method: "DELETE", url: `/api/teams/${team.id}`, token: developer.token })).statusCode).toBe(404);
    expect((await t.request({ method: "DELETE", url: `/api/teams/${team.id}`, token: manager.token })).statusCode).toBe(204);
  });
});
