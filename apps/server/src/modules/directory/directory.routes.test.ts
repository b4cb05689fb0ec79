import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, unique, type TestContext } from "../../../test/harness.js";
import { memberships } from "../access/tenancy.table.js";
import { projectMembers, projects } from "../projects/projects.table.js";
import { teams } from "../teams/teams.table.js";
import { buildDeveloper } from "../onboarding/onboarding.test-util.js";

type Developer = { id: string; username: string; displayName: string; bio: string; verified: boolean; roles: string[]; projects: Array<{ id: string; name: string }> };
type Page = { items: Developer[]; total: number; page: number; pageSize: number };

let t: TestContext;
const people = {} as Record<"alice" | "bob" | "carol" | "dave" | "erin" | "admin" | "customer" | "manager" | "outsider" | "superuser", { id: string; token: string; username: string }>;
const ids = {} as Record<"orgA" | "orgB" | "slugB" | "shared" | "teamOnly" | "other", string>;
const tag = unique("d").toLowerCase();

beforeAll(async () => {
  t = await createTestContext();
  const orgA = await buildOrg(t);
  const orgB = await buildOrg(t);
  Object.assign(ids, { orgA: orgA.id, orgB: orgB.id, slugB: orgB.slug });
  people.alice = await buildDeveloper(t, orgA.id, { username: `${tag}alice`, displayName: "Alice Andersen", complete: true });
  people.bob = await buildDeveloper(t, orgA.id, { username: `${tag}bob`, displayName: "Bob Builder", roles: ["verified_developer"] });
  people.carol = await buildDeveloper(t, orgA.id, { username: `${tag}carol`, displayName: "Carol Gone" });
  people.erin = await buildDeveloper(t, orgA.id, { username: `${tag}erin`, displayName: "Erin Idle" });
  people.dave = await buildDeveloper(t, orgB.id, { username: `${tag}dave`, displayName: "Dave Elsewhere" });
  people.admin = await buildUser(t, { orgId: orgA.id, roles: ["admin"], username: `${tag}admin` });
  people.customer = await buildUser(t, { orgId: orgA.id, roles: ["customer"], username: `${tag}customer` });
  people.manager = await buildUser(t, { orgId: orgA.id, roles: ["project_manager"], username: `${tag}manager` });
  people.outsider = await buildUser(t, { orgId: orgB.id, roles: ["customer"] });
  people.superuser = await buildUser(t, { isSuperuser: true });
  const { db } = t.services.database;
  // Carol left the organization: no longer in its directory.
  await db.update(memberships).set({ isActive: false }).where(and(eq(memberships.orgId, orgA.id), eq(memberships.userId, people.carol.id)));
  const [team] = await db.insert(teams).values({ orgId: orgA.id, name: "Core", managerId: people.manager.id }).returning();
  const [shared, teamOnly, other] = await db
    .insert(projects)
    .values([
      { orgId: orgA.id, key: "SHARED", name: "Shared website", ownerId: people.admin.id },
      { orgId: orgA.id, key: "SECRET", name: "Team-only engine", visibility: "team", teamId: team?.id, ownerId: people.manager.id },
      { orgId: orgB.id, key: "OTHER", name: "Other org app" },
    ])
    .returning();
  if (!shared || !teamOnly || !other) throw new Error("projects not created");
  Object.assign(ids, { shared: shared.id, teamOnly: teamOnly.id, other: other.id });
  await db.insert(projectMembers).values([
    { orgId: orgA.id, projectId: shared.id, userId: people.alice.id },
    { orgId: orgA.id, projectId: shared.id, userId: people.bob.id },
    { orgId: orgA.id, projectId: teamOnly.id, userId: people.bob.id },
    { orgId: orgB.id, projectId: other.id, userId: people.dave.id },
  ]);
});
afterAll(() => t.close());

async function list(who: keyof typeof people, query = "") {
  const response = await t.request({ method: "GET", url: `/api/developers${query}`, token: people[who].token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Page>();
}
const names = (page: Page) => page.items.map((item) => item.username.slice(tag.length));

describe("GET /api/developers", () => {
  it("lists the active developers and verified developers of the caller's organization, for a customer too", async () => {
    const page = await list("customer");
    expect(names(page)).toEqual(["alice", "bob", "erin"]);
    expect(page).toMatchObject({ total: 3, page: 1, pageSize: 20 });
    const alice = page.items[0];
    expect(alice).toMatchObject({ displayName: "Alice Andersen", verified: false, roles: ["developer"], projects: [{ id: ids.shared, name: "Shared website" }] });
    expect(alice?.bio).toMatch(/careful backends/);
    expect(Object.keys(alice ?? {})).not.toContain("nationalId");
    expect(Object.keys(alice ?? {})).not.toContain("phone");
    expect(page.items[1]).toMatchObject({ verified: true, roles: ["verified_developer"] });
  });

  it("searches usernames and display names, partially and in any case", async () => {
    expect(names(await list("customer", `?search=${tag.toUpperCase()}ALI`))).toEqual(["alice"]);
    expect(names(await list("customer", "?search=builder"))).toEqual(["bob"]);
    expect(names(await list("customer", "?search=e"))).toEqual(["alice", "bob", "erin"]);
    expect(names(await list("customer", "?search=nobody-like-this"))).toEqual([]);
    // LIKE wildcards are taken literally.
    expect(names(await list("customer", "?search=%25"))).toEqual([]);
  });

  it("filters by project, showing only projects the caller may see", async () => {
    expect(names(await list("customer", `?project=${ids.shared}`))).toEqual(["alice", "bob"]);
    // A team-only project is invisible to the customer: it matches nobody, as an unknown one would.
    expect(names(await list("customer", `?project=${ids.teamOnly}`))).toEqual([]);
    expect(names(await list("admin", `?project=${ids.teamOnly}`))).toEqual(["bob"]);
    expect(names(await list("manager", `?project=${ids.teamOnly}`))).toEqual(["bob"]);
    expect(names(await list("customer", `?project=${ids.other}`))).toEqual([]);
    expect(names(await list("customer", `?project=${crypto.randomUUID()}`))).toEqual([]);
    const bob = (await list("customer", "?search=builder")).items[0];
    expect(bob?.projects.map((project) => project.name)).toEqual(["Shared website"]);
    const bobForAdmin = (await list("admin", "?search=builder")).items[0];
    expect(bobForAdmin?.projects.map((project) => project.name)).toEqual(["Shared website", "Team-only engine"]);
  });

  it("filters by verification and organization; paginates and orders", async () => {
    expect(names(await list("customer", "?verified=true"))).toEqual(["bob"]);
    expect(names(await list("customer", "?verified=false"))).toEqual(["alice", "erin"]);
    const first = await list("customer", "?ordering=-username&pageSize=2");
    expect(names(first)).toEqual(["erin", "bob"]);
    expect(first.total).toBe(3);
    expect(names(await list("customer", "?ordering=-username&pageSize=2&page=2"))).toEqual(["alice"]);
    expect(names(await list("customer", "?ordering=displayName&search=e"))).toEqual(["alice", "bob", "erin"]);
    expect(names(await list("superuser", `?org=${ids.slugB}`))).toEqual(["dave"]);
    expect(names(await list("superuser", `?search=${tag}`))).toEqual(["alice", "bob", "dave", "erin"]);
    const elsewhere = await t.request({ method: "GET", url: `/api/developers?org=${ids.slugB}`, token: people.customer.token });
    expect(elsewhere.statusCode).toBe(404);
    expect(names(await list("outsider"))).toEqual(["dave"]);
  });

  it("refuses bad filters with field errors", async () => {
    const response = await t.request({ method: "GET", url: "/api/developers?project=nope&ordering=email&pageSize=500", token: people.customer.token });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: Array<{ path: string }> }>().errors.map((error) => error.path).sort()).toEqual(["ordering", "pageSize", "project"]);
  });
});

describe("GET /api/developers/{userId}", () => {
  it("shows public profile fields, roles, verification state and visible projects", async () => {
    const response = await t.request({ method: "GET", url: `/api/developers/${people.alice.id}`, token: people.customer.token });
    expect(response.statusCode, response.body).toBe(200);
    const alice = response.json<Developer & Record<string, unknown>>();
    expect(alice).toMatchObject({
      id: people.alice.id,
      displayName: "Alice Andersen",
      verified: false,
      roles: ["developer"],
      phoneVerified: false,
      profileComplete: true,
      projects: [{ id: ids.shared, name: "Shared website" }],
      orgs: [{ id: ids.orgA, roles: ["developer"], verified: false }],
    });
    expect(alice).not.toHaveProperty("nationalId");
    expect(alice).not.toHaveProperty("phone");
    expect(alice).not.toHaveProperty("dateOfBirth");
    const bob = await t.request({ method: "GET", url: `/api/developers/${people.bob.id}`, token: people.customer.token });
    expect(bob.json<Developer>().projects.map((project) => project.name)).toEqual(["Shared website"]);
    expect(bob.json<Developer & { orgs: unknown[] }>()).toMatchObject({ verified: true, orgs: [{ id: ids.orgA, roles: ["verified_developer"], verified: true }] });
  });

  it("is a 404 for someone who is not a developer, not active, or in another organization", async () => {
    for (const who of ["admin", "carol", "dave"] as const) {
      const response = await t.request({ method: "GET", url: `/api/developers/${people[who].id}`, token: people.customer.token });
      expect(response.statusCode, who).toBe(404);
    }
    const dave = await t.request({ method: "GET", url: `/api/developers/${people.dave.id}`, token: people.superuser.token });
    expect(dave.json<Developer>().projects.map((project) => project.name)).toEqual(["Other org app"]);
  });
});
