/**
 * Twenty identical creations at the same moment: exactly one is created (201) and the
 * other nineteen are told it exists (409 problem+json naming the field), and exactly
 * one row is stored. On PostgreSQL the requests really race (the unique index decides);
 * on PGlite they are served one after the other (the service's own check decides).
 *
 * Resources with a unique key (see the *.table.ts files): projects (org, key), teams
 * (org, lower(name)), users (lower(email), lower(username)) through registration and
 * through an admin adding a member, memberships (org, user), roles (org, key),
 * organizations (slug), project members (project, user) and team members (team, user).
 * Clients have no unique key (two clients may share a name), so they are not raced.
 */
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, unique, type TestContext } from "../../../test/harness.js";

const BURST = 20;

type User = Awaited<ReturnType<typeof buildUser>>;
type Problem = {
  status: number;
  code?: string;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
};

let t: TestContext;
let org: { id: string; slug: string };
let admin: User;
let superuser: User;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  superuser = await buildUser(t, { isSuperuser: true });
});
afterAll(() => t.close());

let ip = 0;
/** The same request BURST times at once, each from its own address (sign-up allows 20 an hour per IP). */
async function burst(request: InjectOptions & { token?: string }): Promise<LightMyRequestResponse[]> {
  const { token, headers, ...rest } = request;
  return Promise.all(
    Array.from({ length: BURST }, () =>
      t.app.inject({
        ...rest,
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        remoteAddress: `10.77.${Math.floor(++ip / 250)}.${(ip % 250) + 1}`,
      }),
    ),
  );
}

async function count(query: SQL): Promise<number> {
  const result: unknown = await t.services.database.db.execute(query);
  return Number((result as { rows: Array<{ n: number | string }> }).rows[0]?.n ?? -1);
}

/**
 * One 201 and BURST - 1 409s; every 409 is problem+json and names one of `fields`
 * in `errors[].path` or in `detail` (when `fields` is given).
 */
function expectOneCreated(responses: LightMyRequestResponse[], fields: string[] | null) {
  const statuses = responses.map((response) => response.statusCode);
  const summary = responses
    .filter((response) => response.statusCode !== 409 && response.statusCode !== 201)
    .map((response) => `${response.statusCode} ${response.body.slice(0, 300)}`)
    .slice(0, 3)
    .join("\n");
  expect(
    {
      created: statuses.filter((status) => status === 201).length,
      conflicts: statuses.filter((status) => status === 409).length,
    },
    `statuses ${statuses.join(",")}\n${summary}`,
  ).toEqual({ created: 1, conflicts: BURST - 1 });
  for (const response of responses.filter((r) => r.statusCode === 409)) {
    expect(response.headers["content-type"], response.body).toContain("application/problem+json");
    expect(response.body).not.toMatch(
      /duplicate key|violates|select |insert into|postgres|pglite|\n\s{4}at |\.ts:\d+/i,
    );
    if (!fields) continue;
    const problem = response.json<Problem>();
    const named =
      (problem.errors ?? []).some((error) => fields.includes(error.path)) ||
      fields.some((field) => new RegExp(`\\b${field}\\b`, "i").test(problem.detail ?? ""));
    expect(named, `a 409 that names ${fields.join(" or ")}: ${response.body}`).toBe(true);
  }
}

describe(`${BURST} identical creations at once`, () => {
  it("projects (same key in an organization): one created, one row", async () => {
    const responses = await burst({
      method: "POST",
      url: "/api/projects",
      token: admin.token,
      payload: { orgId: org.id, name: "Race project", key: "RACE" },
    });
    expectOneCreated(responses, ["key"]);
    expect(
      await count(sql`select count(*)::int as n from projects where org_id = ${org.id} and key = 'RACE'`),
    ).toBe(1);
  });

  it("projects (same name, key derived from it): one created, one row", async () => {
    // Names are not unique, but a key left out is derived from the name: the derived keys collide.
    const responses = await burst({
      method: "POST",
      url: "/api/projects",
      token: admin.token,
      payload: { orgId: org.id, name: "Derived Race" },
    });
    const created = responses.filter((response) => response.statusCode === 201);
    const rows = await count(
      sql`select count(*)::int as n from projects where org_id = ${org.id} and name = 'Derived Race'`,
    );
    // Either the service picks a free key for each (BURST rows, every key distinct) or one wins and the rest are 409s.
    if (created.length === 1) expectOneCreated(responses, ["key", "name"]);
    else {
      const conflicts = responses.filter((response) => response.statusCode === 409);
      expect(
        created.length,
        `mixed: ${created.length} created, ${conflicts.length} refused about a key the caller did not send, e.g. ${conflicts[0]?.body.slice(0, 240) ?? responses.find((r) => r.statusCode !== 201)?.body.slice(0, 240)}`,
      ).toBe(BURST);
      const keys = new Set(created.map((response) => response.json<{ key: string }>().key));
      expect(keys.size).toBe(BURST);
    }
    expect(rows).toBe(created.length);
  });

  it("teams (same name in an organization, any case): one created, one row", async () => {
    const responses = await burst({
      method: "POST",
      url: "/api/teams",
      token: admin.token,
      payload: { orgId: org.id, name: "Race Team" },
    });
    expectOneCreated(responses, ["name"]);
    expect(
      await count(
        sql`select count(*)::int as n from teams where org_id = ${org.id} and lower(name) = 'race team'`,
      ),
    ).toBe(1);
  });

  it("organization members (same email and username): one user, one membership", async () => {
    const username = unique("racemember");
    const email = `${username}@example.test`;
    const responses = await burst({
      method: "POST",
      url: `/api/orgs/${org.slug}/members`,
      token: admin.token,
      payload: { email, username, roles: ["developer"] },
    });
    expectOneCreated(responses, ["email", "username"]);
    expect(
      await count(sql`select count(*)::int as n from users where lower(email) = ${email.toLowerCase()}`),
    ).toBe(1);
    expect(
      await count(
        sql`select count(*)::int as n from memberships m join users u on u.id = m.user_id where m.org_id = ${org.id} and lower(u.email) = ${email.toLowerCase()}`,
      ),
    ).toBe(1);
  });

  it("roles (same key in an organization): one created, one row", async () => {
    const responses = await burst({
      method: "POST",
      url: `/api/orgs/${org.slug}/roles`,
      token: admin.token,
      payload: { key: "race_role", name: "Race role", permissions: ["projects.view"] },
    });
    expectOneCreated(responses, ["key"]);
    expect(
      await count(sql`select count(*)::int as n from roles where org_id = ${org.id} and key = 'race_role'`),
    ).toBe(1);
  });

  it("registrations (same email and username): one account, one row", async () => {
    const username = unique("racer");
    const email = `${username}@example.test`;
    const responses = await burst({
      method: "POST",
      url: "/api/auth/register",
      payload: { email, username, password: "Quiet-Harbor-Lantern-42x", accountType: "developer" },
    });
    expectOneCreated(responses, ["email", "username"]);
    expect(
      await count(
        sql`select count(*)::int as n from users where lower(email) = ${email.toLowerCase()} or lower(username) = ${username.toLowerCase()}`,
      ),
    ).toBe(1);
  });

  it("organizations (same slug, as the superuser): one created, one row", async () => {
    const slug = unique("race-org-").toLowerCase();
    const responses = await burst({
      method: "POST",
      url: "/api/orgs",
      token: superuser.token,
      payload: { slug, name: "Race Org" },
    });
    expectOneCreated(responses, ["slug"]);
    expect(await count(sql`select count(*)::int as n from organizations where slug = ${slug}`)).toBe(1);
  });

  it("organizations with the same first admin (new user): one organization, one user", async () => {
    const slug = unique("race-org-admin-").toLowerCase();
    const username = unique("raceadmin");
    const email = `${username}@example.test`;
    const responses = await burst({
      method: "POST",
      url: "/api/orgs",
      token: superuser.token,
      payload: { slug, name: "Race Org With Admin", admin: { email, username } },
    });
    expectOneCreated(responses, ["slug"]);
    expect(await count(sql`select count(*)::int as n from organizations where slug = ${slug}`)).toBe(1);
    expect(
      await count(sql`select count(*)::int as n from users where lower(email) = ${email.toLowerCase()}`),
    ).toBe(1);
  });

  it("project members (same user on a project): one added, one row", async () => {
    const developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const project = await t.request({
      method: "POST",
      url: "/api/projects",
      token: admin.token,
      payload: { orgId: org.id, name: "Race members", key: "RACEMEM" },
    });
    expect(project.statusCode, project.body).toBe(201);
    const projectId = project.json<{ id: string }>().id;
    const responses = await burst({
      method: "POST",
      url: `/api/projects/${projectId}/members`,
      token: admin.token,
      payload: { userId: developer.id, role: "member" },
    });
    expectOneCreated(responses, null);
    expect(
      await count(
        sql`select count(*)::int as n from project_members where project_id = ${projectId} and user_id = ${developer.id}`,
      ),
    ).toBe(1);
  });

  it("team members (same user on a team): one added, one row", async () => {
    const developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    const team = await t.request({
      method: "POST",
      url: "/api/teams",
      token: admin.token,
      payload: { orgId: org.id, name: "Race members team" },
    });
    expect(team.statusCode, team.body).toBe(201);
    const teamId = team.json<{ id: string }>().id;
    const responses = await burst({
      method: "POST",
      url: `/api/teams/${teamId}/members/${developer.id}`,
      token: admin.token,
    });
    expectOneCreated(responses, null);
    expect(
      await count(
        sql`select count(*)::int as n from team_members where team_id = ${teamId} and user_id = ${developer.id}`,
      ),
    ).toBe(1);
  });
});
