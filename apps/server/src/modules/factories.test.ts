import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildClient, buildMember, buildOrg, buildProject, buildTeam, buildUser, type BuiltUser } from "../../test/factories.js";
import { createTestContext, mailText, readMails, type TestContext } from "../../test/harness.js";
import { auditLog } from "../platform/audit/audit.table.js";
import { PermissionDeniedError } from "../platform/errors.js";

/**
 * The test factories make objects the way users do, through the services: a
 * factory is held to the rules of the user it acts as and leaves the audit
 * trail and the mail the real path leaves.
 */

let t: TestContext;
let org: { id: string; slug: string };
let manager: BuiltUser;
let salesperson: BuiltUser;
let developer: BuiltUser;

beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  salesperson = await buildUser(t, { orgId: org.id, roles: ["salesperson"] });
  developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
});
afterAll(() => t?.close());

const auditOf = async (entityId: string) =>
  (
    await t.services.database.db
      .select({ action: auditLog.action, actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.entityId, entityId)))
      .orderBy(asc(auditLog.createdAt), asc(auditLog.id))
  );

describe("buildProject", () => {
  it("opens the project as its author, walks it to the status asked for and adds its members, each step audited", async () => {
    const team = await buildTeam(t, { orgId: org.id, memberIds: [developer.id], by: manager });
    const project = await buildProject(t, { orgId: org.id, status: "completed", visibility: "team", teamId: team.id, memberIds: [developer.id], by: salesperson });
    expect(project).toMatchObject({ status: "completed", visibility: "team", teamId: team.id, ownerId: salesperson.id });
    expect(project.members.map((member) => member.userId).sort()).toEqual([developer.id, salesperson.id].sort());
    const trail = await auditOf(project.id);
    // The owner joins as the project is created, then the developer; planning → active → completed.
    expect(trail.map((entry) => entry.action)).toEqual(["project.created", "project.member_added", "project.member_added", "project.status_changed", "project.status_changed"]);
    expect(new Set(trail.map((entry) => entry.actorId))).toEqual(new Set([salesperson.id]));
  });

  it("is refused what its author may not do", async () => {
    await expect(buildProject(t, { orgId: org.id, by: developer })).rejects.toBeInstanceOf(PermissionDeniedError);
  });

  it("is made by the test's superuser when nobody is named, who owns it without joining the organization", async () => {
    const project = await buildProject(t, { orgId: org.id });
    expect(project.ownerId).not.toBeNull();
    expect(project.members).toEqual([]);
  });
});

describe("buildClient, buildTeam and buildMember", () => {
  it("make the salesperson the client's and the manager the team's, as the API does", async () => {
    expect((await buildClient(t, { orgId: org.id, by: salesperson })).salespersonId).toBe(salesperson.id);
    expect((await buildTeam(t, { orgId: org.id, by: manager })).managerId).toBe(manager.id);
    expect((await buildTeam(t, { orgId: org.id })).managerId).toBeNull();
  });

  it("adds an invited member, who is emailed a link to set a password", async () => {
    const member = await buildMember(t, { orgId: org.slug, roles: ["customer"] });
    expect(member).toMatchObject({ state: "invited", roles: ["customer"] });
    const mails = (await readMails(t)).map(mailText);
    expect(mails.find((mail) => mail.includes(`To: ${member.user.username}@example.test`))).toContain("/reset-password?token=");
  });
});
