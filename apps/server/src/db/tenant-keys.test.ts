import { randomBytes } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../test/harness.js";
import { databaseErrorOf } from "../platform/http/database-errors.js";

/**
 * Tenant isolation below the application (ADR 0007): a row written straight
 * in SQL, bypassing every service and policy, cannot point into another
 * organization. Each reference is tried twice: to an object of the row's own
 * organization (accepted) and to one of another organization (refused with a
 * foreign-key violation, 23503).
 */

type Org = {
  id: string;
  memberId: string;
  clientId: string;
  teamId: string;
  projectId: string;
  adminRoleId: string;
};

let t: TestContext;
let a: Org;
let b: Org;

class Rollback extends Error {}

/** Runs a statement in a transaction that is always rolled back: null when accepted, else the SQLSTATE. */
async function attempt(statement: SQL): Promise<string | null> {
  try {
    await t.services.database.db.transaction(async (tx) => {
      await tx.execute(statement);
      throw new Rollback();
    });
  } catch (error) {
    if (error instanceof Rollback) return null;
    return databaseErrorOf(error)?.code ?? `not a database error: ${String(error)}`;
  }
  return "committed";
}

/** Runs `work` in a transaction that is rolled back at the end, whatever it wrote. */
async function inRolledBack(
  work: (
    read: (statement: SQL) => Promise<unknown[]>,
    run: (statement: SQL) => Promise<unknown>,
  ) => Promise<void>,
): Promise<void> {
  await t.services.database.db
    .transaction(async (tx) => {
      const run = (statement: SQL) => tx.execute(statement);
      const read = async (statement: SQL) => {
        const result: unknown = await tx.execute(statement);
        return (result as { rows: unknown[] }).rows;
      };
      await work(read, run);
      throw new Rollback();
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error;
    });
}

async function rows<T>(statement: SQL): Promise<T[]> {
  const result: unknown = await t.services.database.db.execute(statement);
  return (result as { rows: T[] }).rows;
}

async function buildTenant(): Promise<Org> {
  const org = await buildOrg(t);
  const admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  const member = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  const create = async (url: string, payload: Record<string, unknown>) => {
    const response = await t.request({ method: "POST", url, token: admin.token, payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  };
  const [role] = await rows<{ id: string }>(
    sql`select id from roles where org_id = ${org.id} and key = 'admin'`,
  );
  return {
    id: org.id,
    memberId: member.id,
    clientId: await create("/api/clients", { name: "Client" }),
    teamId: await create("/api/teams", { name: "Team" }),
    projectId: await create("/api/projects", { name: "Project" }),
    adminRoleId: role?.id ?? "",
  };
}

const key = () => `K${randomBytes(3).toString("hex").toUpperCase()}`;

/** A row of organization `own` whose reference points at `ref`'s object. */
const references: Array<[string, (own: Org, ref: Org) => SQL]> = [
  [
    "projects.client_id",
    (own, ref) =>
      sql`insert into projects (org_id, key, name, client_id) values (${own.id}, ${key()}, 'P', ${ref.clientId})`,
  ],
  [
    "projects.team_id",
    (own, ref) =>
      sql`insert into projects (org_id, key, name, team_id) values (${own.id}, ${key()}, 'P', ${ref.teamId})`,
  ],
  [
    "projects.manager_id",
    (own, ref) =>
      sql`insert into projects (org_id, key, name, manager_id) values (${own.id}, ${key()}, 'P', ${ref.memberId})`,
  ],
  [
    "project_members.project_id",
    (own, ref) =>
      sql`insert into project_members (org_id, project_id, user_id) values (${own.id}, ${ref.projectId}, ${own.memberId})`,
  ],
  [
    "project_members.user_id",
    (own, ref) =>
      sql`insert into project_members (org_id, project_id, user_id) values (${own.id}, ${own.projectId}, ${ref.memberId})`,
  ],
  [
    "team_members.team_id",
    (own, ref) =>
      sql`insert into team_members (org_id, team_id, user_id) values (${own.id}, ${ref.teamId}, ${own.memberId})`,
  ],
  [
    "team_members.user_id",
    (own, ref) =>
      sql`insert into team_members (org_id, team_id, user_id) values (${own.id}, ${own.teamId}, ${ref.memberId})`,
  ],
  [
    "teams.manager_id",
    (own, ref) =>
      sql`insert into teams (org_id, name, manager_id) values (${own.id}, ${key()}, ${ref.memberId})`,
  ],
  [
    "payments.project_id",
    (own, ref) =>
      sql`insert into payments (org_id, project_id, amount, method, paid_on) values (${own.id}, ${ref.projectId}, 10, 'cash', '2026-01-02')`,
  ],
  [
    "membership_roles.role_id",
    (own, ref) =>
      sql`insert into membership_roles (org_id, user_id, role_id) values (${own.id}, ${own.memberId}, ${ref.adminRoleId})`,
  ],
  [
    "membership_roles.user_id",
    (own, ref) =>
      sql`insert into membership_roles (org_id, user_id, role_id) values (${own.id}, ${ref.memberId}, ${own.adminRoleId})`,
  ],
  [
    "clients.salesperson_id",
    (own, ref) =>
      sql`insert into clients (org_id, name, salesperson_id) values (${own.id}, 'C', ${ref.memberId})`,
  ],
  [
    "clients.customer_user_id",
    (own, ref) =>
      sql`insert into clients (org_id, name, customer_user_id) values (${own.id}, 'C', ${ref.memberId})`,
  ],
  [
    "attachments.owner_id",
    (own, ref) =>
      sql`insert into attachments (org_id, owner_type, owner_id, storage_key, original_name, content_type, size)
          values (${own.id}, 'project', ${ref.projectId}, ${`projects/2026/01/${randomBytes(16).toString("hex")}`}, 'a.txt', 'text/plain', 1)`,
  ],
  [
    "update of projects.client_id",
    (own, ref) =>
      sql`update projects set client_id = ${ref.clientId} where org_id = ${own.id} and id = ${own.projectId}`,
  ],
  [
    "update of projects.team_id",
    (own, ref) =>
      sql`update projects set team_id = ${ref.teamId} where org_id = ${own.id} and id = ${own.projectId}`,
  ],
  [
    "update of clients.salesperson_id",
    (own, ref) =>
      sql`update clients set salesperson_id = ${ref.memberId} where org_id = ${own.id} and id = ${own.clientId}`,
  ],
];

beforeAll(async () => {
  t = await createTestContext();
  a = await buildTenant();
  b = await buildTenant();
});
afterAll(() => t.close());

describe("a row cannot point into another organization, even written straight in SQL", () => {
  it.each(references)("%s: its own organization's object is accepted", async (_name, build) => {
    expect(await attempt(build(a, a))).toBeNull();
  });

  it.each(references)(
    "%s: another organization's object is a foreign-key violation",
    async (_name, build) => {
      expect(await attempt(build(a, b))).toBe("23503");
      expect(await attempt(build(b, a))).toBe("23503");
    },
  );

  it("an attachment of a type no module declared is refused like a dangling reference", async () => {
    const statement = sql`insert into attachments (org_id, owner_type, owner_id, storage_key, original_name, content_type, size)
      values (${a.id}, 'nothing', ${a.projectId}, ${`projects/2026/01/${randomBytes(16).toString("hex")}`}, 'a.txt', 'text/plain', 1)`;
    expect(await attempt(statement)).toBe("23503");
  });
});

describe("what goes away takes only its own reference with it", () => {
  it("a member who leaves is cleared as manager, salesperson and customer; the rows stay in their organization", async () => {
    const team = key();
    await inRolledBack(async (read, run) => {
      await run(sql`insert into teams (org_id, name, manager_id) values (${a.id}, ${team}, ${a.memberId})`);
      await run(
        sql`insert into clients (org_id, name, salesperson_id, customer_user_id) values (${a.id}, ${team}, ${a.memberId}, ${a.memberId})`,
      );
      await run(
        sql`update projects set manager_id = ${a.memberId} where org_id = ${a.id} and id = ${a.projectId}`,
      );
      await run(sql`delete from memberships where org_id = ${a.id} and user_id = ${a.memberId}`);
      expect(await read(sql`select org_id, manager_id from teams where name = ${team}`)).toEqual([
        { org_id: a.id, manager_id: null },
      ]);
      expect(
        await read(sql`select org_id, salesperson_id, customer_user_id from clients where name = ${team}`),
      ).toEqual([{ org_id: a.id, salesperson_id: null, customer_user_id: null }]);
      expect(await read(sql`select org_id, manager_id from projects where id = ${a.projectId}`)).toEqual([
        { org_id: a.id, manager_id: null },
      ]);
    });
  });

  it("a deleted client or team is cleared from its projects; a deleted project takes its members, payments and files", async () => {
    await inRolledBack(async (read, run) => {
      await run(
        sql`update projects set client_id = ${a.clientId}, team_id = ${a.teamId} where id = ${a.projectId}`,
      );
      await run(
        sql`insert into payments (org_id, project_id, amount, method, paid_on) values (${a.id}, ${a.projectId}, 10, 'cash', '2026-01-02')`,
      );
      await run(sql`insert into attachments (org_id, owner_type, owner_id, storage_key, original_name, content_type, size)
          values (${a.id}, 'project', ${a.projectId}, ${`projects/2026/01/${randomBytes(16).toString("hex")}`}, 'a.txt', 'text/plain', 1)`);
      await run(sql`delete from clients where id = ${a.clientId}`);
      await run(sql`delete from teams where id = ${a.teamId}`);
      expect(
        await read(sql`select org_id, client_id, team_id from projects where id = ${a.projectId}`),
      ).toEqual([{ org_id: a.id, client_id: null, team_id: null }]);
      await run(sql`delete from projects where id = ${a.projectId}`);
      expect(await read(sql`select 1 from payments where project_id = ${a.projectId}`)).toEqual([]);
      expect(await read(sql`select 1 from project_members where project_id = ${a.projectId}`)).toEqual([]);
      expect(await read(sql`select 1 from attachments where owner_id = ${a.projectId}`)).toEqual([]);
    });
  });

  it("a whole organization can still be deleted: every cascade and clearing agrees", async () => {
    await inRolledBack(async (read, run) => {
      await run(
        sql`update projects set client_id = ${b.clientId}, team_id = ${b.teamId}, manager_id = ${b.memberId} where id = ${b.projectId}`,
      );
      await run(sql`delete from organizations where id = ${b.id}`);
      expect(await read(sql`select count(*)::int as n from projects where org_id = ${b.id}`)).toEqual([
        { n: 0 },
      ]);
    });
  });
});
