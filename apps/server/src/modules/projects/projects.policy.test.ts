import { DEFAULT_ROLE_KEYS, type DefaultRoleKey } from "@cairn/shared";
import { describe, expect, it } from "vitest";
import { allowedActions, can } from "../../platform/access/engine.js";
import { actorWithRole, ORG_A, ORG_B } from "./policy-actors.test-util.js";
import { paymentPolicy, projectCreationPolicy, projectPolicy, type ProjectSubject } from "./projects.policy.js";

const someoneElses: ProjectSubject = {
  orgId: ORG_A,
  ownerId: "someone-else",
  managerId: "another",
  customerUserId: null,
  visibility: "organization",
  teamManagerId: null,
  viewerIsMember: false,
  viewerInTeam: false,
};
const ownedBy = (role: DefaultRoleKey): ProjectSubject => ({ ...someoneElses, ownerId: `user-${role}` });
const managedBy = (role: DefaultRoleKey): ProjectSubject => ({ ...someoneElses, managerId: `user-${role}` });
const rolesThat = (predicate: (role: DefaultRoleKey) => boolean) => DEFAULT_ROLE_KEYS.filter(predicate);

describe("project rules follow DESIGN.md's matrix", () => {
  it("lets every role see projects, and nobody outside the organization", () => {
    for (const role of DEFAULT_ROLE_KEYS) expect(can(actorWithRole(role), projectPolicy, "view", someoneElses)).toBe(true);
    expect(can(actorWithRole("admin"), projectPolicy, "view", { ...someoneElses, orgId: ORG_B })).toBe(false);
  });

  it("lets admins, managers, sales and verified developers create projects; developers, verifiers, support and customers not", () => {
    expect(rolesThat((role) => can(actorWithRole(role), projectCreationPolicy, "create", { orgId: ORG_A }))).toEqual([
      "admin",
      "project_manager",
      "salesperson",
      "verified_developer",
    ]);
  });

  it("lets only the admin edit someone else's project", () => {
    expect(rolesThat((role) => can(actorWithRole(role), projectPolicy, "update", someoneElses))).toEqual(["admin"]);
  });

  it("lets a verified developer, a salesperson and a manager edit their own projects, never a developer", () => {
    for (const role of ["verified_developer", "salesperson", "project_manager"] as const) {
      expect(can(actorWithRole(role), projectPolicy, "update", ownedBy(role))).toBe(true);
    }
    expect(can(actorWithRole("project_manager"), projectPolicy, "changeStatus", managedBy("project_manager"))).toBe(true);
    expect(can(actorWithRole("developer"), projectPolicy, "update", ownedBy("developer"))).toBe(false);
    expect(can(actorWithRole("customer"), projectPolicy, "update", ownedBy("customer"))).toBe(false);
  });

  it("shows financials to staff with the permission and to the customer of the project's client only", () => {
    expect(rolesThat((role) => can(actorWithRole(role), projectPolicy, "viewFinancials", someoneElses))).toEqual([
      "admin",
      "project_manager",
      "salesperson",
      "verifier",
    ]);
    const theirClients = { ...someoneElses, customerUserId: "user-customer" };
    expect(can(actorWithRole("customer"), projectPolicy, "viewFinancials", theirClients)).toBe(true);
    expect(can(actorWithRole("customer"), projectPolicy, "viewPayments", theirClients)).toBe(true);
    expect(can(actorWithRole("customer"), projectPolicy, "addPayment", theirClients)).toBe(false);
  });

  it("lets only the admin delete projects", () => {
    expect(rolesThat((role) => can(actorWithRole(role), projectPolicy, "delete", ownedBy(role)))).toEqual(["admin"]);
  });

  it("opens the audit of a project to admins and to the manager of that project", () => {
    expect(can(actorWithRole("project_manager"), projectPolicy, "viewAudit", managedBy("project_manager"))).toBe(true);
    expect(can(actorWithRole("project_manager"), projectPolicy, "viewAudit", someoneElses)).toBe(false);
    expect(can(actorWithRole("admin"), projectPolicy, "viewAudit", someoneElses)).toBe(true);
  });

  it("sends the UI the actions a caller may take", () => {
    expect(allowedActions(actorWithRole("developer"), projectPolicy, someoneElses)).toEqual(["view"]);
    expect(allowedActions(actorWithRole("verified_developer"), projectPolicy, ownedBy("verified_developer"))).toEqual([
      "view",
      "update",
      "changeStatus",
      "manageMembers",
      "uploadFile",
      "deleteFile",
    ]);
  });
});

describe("payment rules", () => {
  const payment = { ...someoneElses, recordedById: "user-salesperson" };

  it("lets sales and admins record payments, verifiers and admins verify them", () => {
    expect(rolesThat((role) => can(actorWithRole(role), projectPolicy, "addPayment", someoneElses))).toEqual(["admin", "salesperson"]);
    expect(rolesThat((role) => can(actorWithRole(role), paymentPolicy, "verify", payment))).toEqual(["admin", "verifier"]);
  });

  it("never lets anyone verify a payment they recorded themselves", () => {
    const own = { ...payment, recordedById: "user-admin" };
    expect(can(actorWithRole("admin"), paymentPolicy, "verify", own)).toBe(false);
  });
});
