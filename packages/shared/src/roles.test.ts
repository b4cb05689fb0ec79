import { describe, expect, it } from "vitest";
import { ownScopeOf, PERMISSION_CODENAMES } from "./permissions.js";
import { DEFAULT_ROLES, memberTrack } from "./roles.js";

const grants = (key: string) => DEFAULT_ROLES.find((role) => role.key === key)?.permissions ?? [];

describe("default roles follow DESIGN.md's matrix", () => {
  it("grant only known permissions, and own-scoped ones only when granted", () => {
    for (const role of DEFAULT_ROLES) {
      for (const permission of role.permissions) expect(PERMISSION_CODENAMES).toContain(permission);
      for (const permission of role.ownScoped ?? []) expect(role.permissions).toContain(permission);
    }
  });

  it("scope to own objects only permissions that know what own means", () => {
    for (const role of DEFAULT_ROLES) {
      for (const permission of role.ownScoped ?? []) expect(ownScopeOf(permission), `${role.key}: ${permission}`).not.toBeNull();
    }
  });

  it("gives the admin every permission", () => {
    expect([...new Set(grants("admin"))].sort()).toEqual([...PERMISSION_CODENAMES].sort());
  });

  it("lets everyone see developers and projects, and keep personal tasks", () => {
    for (const role of DEFAULT_ROLES) expect(grants(role.key)).toEqual(expect.arrayContaining(["developers.view", "projects.view", "tasks.personal"]));
  });

  it("keeps a new developer read-only with a one-project limit", () => {
    const developer = DEFAULT_ROLES.find((role) => role.key === "developer");
    expect(developer?.projectLimit).toBe(1);
    expect(grants("developer")).not.toContain("projects.add");
    expect(grants("developer")).not.toContain("projects.change_own");
    expect(grants("verified_developer")).toContain("projects.add");
  });

  it("puts exactly one default role at each step of the developer track", () => {
    const on = (track: string) => DEFAULT_ROLES.filter((role) => role.developerTrack === track).map((role) => role.key);
    expect(on("unverified")).toEqual(["developer"]);
    expect(on("verified")).toEqual(["verified_developer"]);
  });

  it("places a member by the furthest track among their roles", () => {
    expect(memberTrack([null, "unverified"])).toBe("unverified");
    expect(memberTrack(["unverified", null, "verified"])).toBe("verified");
    expect(memberTrack([null, undefined])).toBeNull();
    expect(memberTrack([])).toBeNull();
  });

  it("separates recording payments from verifying them", () => {
    expect(grants("salesperson")).toContain("payments.add");
    expect(grants("salesperson")).not.toContain("payments.verify");
    expect(grants("verifier")).toContain("payments.verify");
    expect(grants("verifier")).not.toContain("payments.add");
  });
});
