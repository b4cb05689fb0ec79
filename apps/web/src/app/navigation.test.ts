import { DEFAULT_ROLES, type Permission } from "@cairn/shared";
import { describe, expect, it } from "vitest";
import { accessIn } from "../lib/me";
import type { Me } from "../lib/types";
import { PRIMARY_ACTIONS, allowed, visibleNavigation } from "./navigation";

function meWithRole(key: string, isSuperuser = false): Me {
  const role = DEFAULT_ROLES.find((item) => item.key === key);
  return {
    user: { id: "u1", username: "ann", isActive: true, isSuperuser, createdAt: "2026-01-01T00:00:00Z" },
    profile: {
      userId: "u1",
      displayName: "Ann",
      bio: "",
      phoneVerified: false,
      timezone: "UTC",
      avatarUrl: null,
      completedAt: null,
    },
    memberships: role
      ? [
          {
            org: { id: "o1", slug: "cairn", name: "Cairn" },
            roles: [key],
            permissions: [...role.permissions],
            ownScoped: [...(role.ownScoped ?? [])],
          },
        ]
      : [],
    onboarding: { profileComplete: false, phoneVerified: false, verified: false },
  };
}

const labels = (can: (permission: Permission) => boolean) =>
  visibleNavigation(can).flatMap((section) => section.items.map((item) => item.label));

describe("navigation follows the caller's permissions", () => {
  it("shows a developer neither Members, Roles nor New project", () => {
    const access = accessIn(meWithRole("developer"), "cairn");
    expect(labels(access.can)).toEqual(["Dashboard", "My work", "Tasks", "Timesheet", "Projects", "Developers"]);
    expect(PRIMARY_ACTIONS.filter((item) => allowed(item, access.can))).toEqual([]);
  });

  it("shows staff with members.view the Members and Roles pages", () => {
    const access = accessIn(meWithRole("support"), "o1");
    expect(labels(access.can)).toEqual([
      "Dashboard",
      "My work",
      "Tasks",
      "Timesheet",
      "Projects",
      "Support",
      "Clients",
      "Teams",
      "Developers",
      "Members",
      "Roles",
    ]);
  });

  it("shows verifiers and sales the Payments page, not support", () => {
    expect(labels(accessIn(meWithRole("verifier"), "o1").can)).toContain("Payments");
    expect(labels(accessIn(meWithRole("salesperson"), "o1").can)).toContain("Payments");
    expect(labels(accessIn(meWithRole("support"), "o1").can)).not.toContain("Payments");
  });

  it("gives a verified developer the New project action", () => {
    const access = accessIn(meWithRole("verified_developer"), "cairn");
    expect(PRIMARY_ACTIONS.filter((item) => allowed(item, access.can)).map((item) => item.label)).toEqual([
      "New project",
    ]);
    expect(access.ownOnly("tasks.manage")).toBe(true);
  });

  it("gives the superuser everything, in organizations it does not belong to", () => {
    const access = accessIn(meWithRole("none", true), "elsewhere");
    expect(labels(access.can)).toEqual([
      "Dashboard",
      "My work",
      "Tasks",
      "Timesheet",
      "Projects",
      "Support",
      "Clients",
      "Payments",
      "Teams",
      "Developers",
      "Members",
      "Roles",
      "Audit log",
      "Settings",
      "Service levels",
    ]);
  });

  it("shows Support to customers and the support team, and the service levels to admins only", () => {
    expect(labels(accessIn(meWithRole("customer"), "o1").can)).toContain("Support");
    expect(labels(accessIn(meWithRole("developer"), "o1").can)).not.toContain("Support");
    expect(labels(accessIn(meWithRole("admin"), "o1").can)).toContain("Service levels");
    expect(labels(accessIn(meWithRole("support"), "o1").can)).not.toContain("Service levels");
  });

  it("shows the Audit log to holders of audit.view only: admins and project managers", () => {
    const withAudit = DEFAULT_ROLES.filter((role) =>
      labels(accessIn(meWithRole(role.key), "o1").can).includes("Audit log"),
    );
    expect(withAudit.map((role) => role.key).sort()).toEqual(["admin", "project_manager"]);
  });

  it("gives everyone with tasks of any kind My work and Tasks, customers' own to-dos included", () => {
    for (const role of DEFAULT_ROLES) {
      expect(labels(accessIn(meWithRole(role.key), "o1").can)).toEqual(
        expect.arrayContaining(["My work", "Tasks"]),
      );
    }
  });

  it("gives nothing in an organization the caller is not a member of", () => {
    expect(labels(accessIn(meWithRole("admin"), "elsewhere").can)).toEqual(["Dashboard"]);
  });
});
