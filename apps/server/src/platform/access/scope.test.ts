import { sql, type SQL } from "drizzle-orm";
import { PgDialect, pgTable, uuid } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { PermissionDeniedError } from "../errors.js";
import type { OrgAccess, UserActor } from "./actor.js";
import { allOf, anyOf, can, definePolicy, fact, requires, requiresOwn, type Scoped } from "./engine.js";
import { asPlaceholder, listScope, listScopeValues, requireListScope } from "./scope.js";

const ORG_A = "00000000-0000-4000-8000-00000000000a";
const ORG_B = "00000000-0000-4000-8000-00000000000b";
const ORG_C = "00000000-0000-4000-8000-00000000000c";

const docs = pgTable("docs", { id: uuid("id"), orgId: uuid("org_id"), ownerId: uuid("owner_id") });
type Doc = Scoped & { ownerId: string | null; shared: boolean };
type DocColumns = Pick<typeof docs, "orgId" | "ownerId" | "id">;

const owns = fact<Doc, DocColumns>("owner", (actor, doc) => doc.ownerId === actor.userId, (d, me) => sql`${d.ownerId} = ${me}`);
const shared = fact<Doc, DocColumns>("shared", (_actor, doc) => doc.shared, (d) => sql`${d.id} in (select doc_id from shares)`);

const policy = definePolicy<{ view: Doc; edit: Doc; legacy: Doc }, { view: DocColumns; edit: DocColumns }>("document", {
  view: allOf(requires("projects.view", owns), anyOf(requires("teams.manage"), shared, owns)),
  edit: requiresOwn("projects.change_own", owns),
  legacy: requires("projects.view", (actor, doc) => doc.ownerId === actor.userId),
});

const org = (orgId: string, grants: OrgAccess["grants"]): OrgAccess => ({
  orgId,
  slug: orgId.slice(-1),
  name: orgId,
  openRegistration: false,
  createdAt: "2026-01-01T00:00:00.000Z",
  roles: [],
  grants,
  projectLimit: null,
  developerTrack: null,
});
const actor = (orgs: OrgAccess[], overrides: Partial<UserActor> = {}): UserActor => ({ kind: "user", userId: "u1", username: "u1", isSuperuser: false, sessionId: null, orgs, ...overrides });
const text = (condition: SQL) => new PgDialect().sqlToQuery(condition);

describe("list scopes written from the rules", () => {
  it("groups organizations by what is left of the rule there, and names the caller once", () => {
    const caller = actor([
      org(ORG_A, { "projects.view": "all", "teams.manage": "all" }),
      org(ORG_B, { "projects.view": "all" }),
      org(ORG_C, { "projects.view": "all" }),
    ]);
    const query = text(listScope(caller, policy, "view", docs));
    expect(query.sql).toBe(
      `("docs"."org_id" = any($1::uuid[]) or ("docs"."org_id" = any($2::uuid[]) and ("docs"."id" in (select doc_id from shares) or "docs"."owner_id" = $3)))`,
    );
    expect(query.params).toEqual([[ORG_A], [ORG_B, ORG_C], "u1"]);
  });

  it("reads an `own` grant through the rule's own facts, and leaves out organizations without the permission", () => {
    const caller = actor([org(ORG_A, { "projects.view": "own" }), org(ORG_B, { "members.view": "all" })]);
    const query = text(listScope(caller, policy, "view", docs));
    expect(query.sql).toBe(`("docs"."org_id" = any($1::uuid[]) and ("docs"."owner_id" = $2 and ("docs"."id" in (select doc_id from shares) or "docs"."owner_id" = $3)))`);
    expect(text(listScope(actor([org(ORG_B, { "members.view": "all" })]), policy, "view", docs)).sql).toBe("false");
  });

  it("gives the superuser every organization, and requiresOwn the own objects in any scope", () => {
    const superuser = actor([], { isSuperuser: true });
    expect(text(listScope(superuser, policy, "view", docs)).sql).toBe("true");
    expect(text(listScope(superuser, policy, "edit", docs)).sql).toBe(`"docs"."owner_id" = $1`);
    expect(text(listScope(actor([org(ORG_A, { "projects.change_own": "all" })]), policy, "edit", docs)).sql).toBe(
      `("docs"."org_id" = any($1::uuid[]) and "docs"."owner_id" = $2)`,
    );
  });

  it("binds placeholders whose values and shape come from the same plan (one prepared statement per shape)", () => {
    const one = actor([org(ORG_A, { "projects.view": "all", "teams.manage": "all" }), org(ORG_B, { "projects.view": "all" })]);
    const other = actor([org(ORG_C, { "projects.view": "all", "teams.manage": "all" }), org(ORG_A, { "projects.view": "all" })], { userId: "u2" });
    const values = listScopeValues(one, policy, "view", { name: "v" });
    expect(values).toEqual({ shape: listScopeValues(other, policy, "view", { name: "v" }).shape, values: { v0: [ORG_A], v1: [ORG_B], me: "u1" } });
    const [first, second] = [one, other].map((caller) => text(listScope(caller, policy, "view", docs, { bind: asPlaceholder, name: "v" })).sql);
    expect(first).toBe(second);
    expect(listScopeValues(actor([org(ORG_A, { "projects.view": "all" })]), policy, "view").shape).not.toBe(values.shape);
  });

  it("agrees with the object rule on every kind of grant", () => {
    const objects: Doc[] = [
      { orgId: ORG_A, ownerId: "u1", shared: false },
      { orgId: ORG_A, ownerId: "u2", shared: true },
      { orgId: ORG_A, ownerId: "u2", shared: false },
    ];
    const seen = (grants: OrgAccess["grants"]) => objects.map((doc) => can(actor([org(ORG_A, grants)]), policy, "view", doc));
    expect(seen({ "projects.view": "all", "teams.manage": "all" })).toEqual([true, true, true]);
    expect(seen({ "projects.view": "all" })).toEqual([true, true, false]);
    expect(seen({ "projects.view": "own" })).toEqual([true, false, false]);
    expect(seen({})).toEqual([false, false, false]);
  });

  it("refuses a list the caller could see nothing of with a 403 naming the permission, and a rule that does not read as SQL", () => {
    const caller = actor([org(ORG_A, { "projects.view": "own" }), org(ORG_B, {})]);
    expect(() => requireListScope(caller, policy, "view")).not.toThrow();
    expect(() => requireListScope(caller, policy, "view", ORG_B)).toThrow(new PermissionDeniedError("projects.view"));
    expect(() => requireListScope(actor([], { isSuperuser: true }), policy, "view", ORG_B)).not.toThrow();
    // @ts-expect-error -- `legacy` scopes no list: its rule is a plain function
    expect(() => listScope(caller, policy, "legacy", docs)).toThrow(/does not read as SQL/);
  });
});
