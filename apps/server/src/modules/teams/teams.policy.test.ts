import { DEFAULT_ROLE_KEYS } from "@cairn/shared";
import { describe, expect, it } from "vitest";
import { can } from "../../platform/access/engine.js";
import { actorWithRole, ORG_A } from "../projects/policy-actors.test-util.js";
import { teamPolicy, type TeamSubject } from "./teams.policy.js";

const team = (overrides: Partial<TeamSubject> = {}): TeamSubject => ({ orgId: ORG_A, managerId: "someone", memberIds: [], ...overrides });

describe("team rules", () => {
  it("lets admins manage every team and project managers only their own", () => {
    expect(can(actorWithRole("admin"), teamPolicy, "update", team())).toBe(true);
    expect(can(actorWithRole("project_manager"), teamPolicy, "update", team())).toBe(false);
    expect(can(actorWithRole("project_manager"), teamPolicy, "update", team({ managerId: "user-project_manager" }))).toBe(true);
    expect(can(actorWithRole("project_manager"), teamPolicy, "assignManager", team({ managerId: "user-project_manager" }))).toBe(false);
  });

  it("shows a team only to its members, its manager and admins", () => {
    const seers = DEFAULT_ROLE_KEYS.filter((role) => can(actorWithRole(role), teamPolicy, "view", team({ memberIds: ["user-developer"] })));
    expect(seers).toEqual(["admin", "developer"]);
    expect(can(actorWithRole("project_manager"), teamPolicy, "view", team({ managerId: "user-project_manager" }))).toBe(true);
  });

  it("lets only team managers create teams, managed by themselves unless they are admins", () => {
    expect(can(actorWithRole("project_manager"), teamPolicy, "create", team({ managerId: "user-project_manager" }))).toBe(true);
    expect(can(actorWithRole("project_manager"), teamPolicy, "create", team({ managerId: "someone" }))).toBe(false);
    expect(can(actorWithRole("salesperson"), teamPolicy, "create", team({ managerId: "user-salesperson" }))).toBe(false);
  });
});
