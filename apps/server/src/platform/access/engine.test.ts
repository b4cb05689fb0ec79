import { describe, expect, it } from "vitest";
import { NotAuthenticatedError, NotFoundError, PermissionDeniedError } from "../errors.js";
import { anonymous, type OrgAccess, type UserActor } from "./actor.js";
import { allowedActions, anyOf, authorize, can, definePolicy, requires, requiresOwn, superuserOnly, type Scoped } from "./engine.js";

const ORG_A = "00000000-0000-4000-8000-00000000000a";
const ORG_B = "00000000-0000-4000-8000-00000000000b";

function actor(grants: OrgAccess["grants"], overrides: Partial<UserActor> = {}): UserActor {
  return {
    kind: "user",
    userId: "u1",
    username: "someone",
    isSuperuser: false,
    sessionId: "s1",
    orgs: [{ orgId: ORG_A, slug: "a", name: "A", openRegistration: false, createdAt: "2026-01-01T00:00:00.000Z", roles: [], grants, projectLimit: null, developerTrack: null }],
    ...overrides,
  };
}

type Doc = Scoped & { ownerId: string };
const policy = definePolicy<{ view: Doc; edit: Doc; create: null }>("document", {
  view: requires("projects.view"),
  edit: anyOf(requires("projects.change_any"), requiresOwn("projects.change_own", (who, doc) => doc.ownerId === who.userId)),
  create: superuserOnly("create documents"),
});

describe("the permission engine", () => {
  const mine: Doc = { orgId: ORG_A, ownerId: "u1" };
  const theirs: Doc = { orgId: ORG_A, ownerId: "u2" };

  it("allows what a grant covers and names the missing permission otherwise", () => {
    const viewer = actor({ "projects.view": "all" });
    expect(can(viewer, policy, "view", mine)).toBe(true);
    expect(() => authorize(viewer, policy, "edit", mine)).toThrow(new PermissionDeniedError("projects.change_any"));
  });

  it("applies object rules: change_own covers only the actor's own objects", () => {
    const owner = actor({ "projects.view": "all", "projects.change_own": "all" });
    expect(can(owner, policy, "edit", mine)).toBe(true);
    expect(can(owner, policy, "edit", theirs)).toBe(false);
    expect(can(actor({ "projects.change_any": "all" }), policy, "edit", theirs)).toBe(true);
  });

  it("an own-scoped grant needs the object rule even for a general action", () => {
    const scoped = actor({ "projects.view": "own" });
    expect(can(scoped, policy, "view", mine)).toBe(false);
  });

  it("an object of another organization is a 404, never a 403", () => {
    const outsider = actor({ "projects.view": "all" }, { orgs: [{ orgId: ORG_B, slug: "b", name: "B", openRegistration: false, createdAt: "2026-01-01T00:00:00.000Z", roles: [], grants: { "projects.view": "all" }, projectLimit: null, developerTrack: null }] });
    expect(() => authorize(outsider, policy, "view", mine)).toThrow(NotFoundError);
  });

  it("anonymous callers are 401; superusers may do everything", () => {
    expect(() => authorize(anonymous, policy, "view", mine)).toThrow(NotAuthenticatedError);
    const superuser = actor({}, { isSuperuser: true, orgs: [] });
    expect(can(superuser, policy, "edit", theirs)).toBe(true);
    expect(can(superuser, policy, "create", null)).toBe(true);
    expect(() => authorize(actor({ "projects.change_any": "all" }), policy, "create", null)).toThrow("Only the platform superuser may create documents.");
  });

  it("lists the actions allowed on one object, for the UI", () => {
    const owner = actor({ "projects.view": "all", "projects.change_own": "all" });
    expect(allowedActions(owner, policy, mine)).toEqual(["view", "edit"]);
    expect(allowedActions(owner, policy, theirs)).toEqual(["view"]);
    expect(allowedActions(actor({ "projects.view": "all" }, { isSuperuser: true }), policy, mine)).toEqual(["view", "edit", "create"]);
  });
});
