import { randomUUID } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adminUrl } from "../../test/global-setup.js";
import { fromPglite, openDatabase, openPglite, type Database } from "./client.js";
import { MIGRATIONS_FOLDER } from "./migrate.js";

/**
 * The migrations of "one house for many modules" (0005–0008) applied to a
 * database that already holds data written under 0004: project files move
 * into attachments with their ids, and rows that pointed across
 * organizations (which only a bug could have written) are repaired the way
 * ADR 0007 says, so that the composite foreign keys can hold.
 */

const BEFORE = "0004_audit_log_clock_timestamp";

let database: Database;
let dropDatabase: () => Promise<void> = async () => {};
let folder: string;

async function freshDatabase(): Promise<Database> {
  const admin = adminUrl();
  if (!admin) return fromPglite(await openPglite());
  const name = `cairn_test_${inject("runId")}_migrations_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  dropDatabase = async () => {
    const cleanup = new pg.Client({ connectionString: admin });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  };
  return openDatabase({ kind: "postgres", url: adminUrl(name) ?? "" }, { poolSize: 2 });
}

async function migrateWith(migrationsFolder: string): Promise<void> {
  if (database.kind === "pglite")
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder });
  else await migratePg(database.db as unknown as NodePgDatabase, { migrationsFolder });
}

/** A copy of the migrations folder whose journal stops at `tag`. */
async function migrationsUpTo(tag: string): Promise<string> {
  const copy = await mkdtemp(path.join(os.tmpdir(), "cairn-migrations-"));
  await cp(MIGRATIONS_FOLDER, copy, { recursive: true });
  const journalFile = path.join(copy, "meta", "_journal.json");
  const journal = JSON.parse(await readFile(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
  const last = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(last, `${tag} is in the journal`).toBeGreaterThanOrEqual(0);
  journal.entries = journal.entries.slice(0, last + 1);
  await writeFile(journalFile, JSON.stringify(journal));
  return copy;
}

async function rows(statement: SQL): Promise<Array<Record<string, unknown>>> {
  const result: unknown = await database.db.execute(statement);
  return (result as { rows: Array<Record<string, unknown>> }).rows;
}

const id = {
  orgA: randomUUID(),
  orgB: randomUUID(),
  memberA: randomUUID(),
  memberB: randomUUID(),
  superuser: randomUUID(),
  roleA: randomUUID(),
  roleB: randomUUID(),
  clientA: randomUUID(),
  clientB: randomUUID(),
  teamA: randomUUID(),
  teamB: randomUUID(),
  projectA: randomUUID(),
  strayProject: randomUUID(),
  projectB: randomUUID(),
  paymentA: randomUUID(),
  strayPayment: randomUUID(),
  fileA: randomUUID(),
  strayFile: randomUUID(),
};
const keys = {
  fileA: "projects/2026/01/0123456789abcdef0123456789abcdef",
  strayFile: "projects/2026/01/fedcba9876543210fedcba9876543210",
};

beforeAll(async () => {
  database = await freshDatabase();
  folder = await migrationsUpTo(BEFORE);
  await migrateWith(folder);
  // Data as version 0004 held it: good rows, and one stray row of each kind that points across organizations.
  const statements: SQL[] = [
    sql`insert into users (id, email, username, is_superuser) values
      (${id.memberA}, 'a@example.test', 'a', false), (${id.memberB}, 'b@example.test', 'b', false), (${id.superuser}, 's@example.test', 's', true)`,
    sql`insert into organizations (id, slug, name) values (${id.orgA}, 'org-a', 'A'), (${id.orgB}, 'org-b', 'B')`,
    sql`insert into memberships (org_id, user_id) values (${id.orgA}, ${id.memberA}), (${id.orgB}, ${id.memberB})`,
    sql`insert into roles (id, org_id, key, name) values (${id.roleA}, ${id.orgA}, 'admin', 'Admin'), (${id.roleB}, ${id.orgB}, 'admin', 'Admin')`,
    sql`insert into membership_roles (org_id, user_id, role_id) values (${id.orgA}, ${id.memberA}, ${id.roleA}), (${id.orgA}, ${id.memberA}, ${id.roleB})`,
    sql`insert into clients (id, org_id, name, salesperson_id, customer_user_id) values
      (${id.clientA}, ${id.orgA}, 'Client A', ${id.memberA}, ${id.memberB}), (${id.clientB}, ${id.orgB}, 'Client B', ${id.memberB}, null)`,
    sql`insert into teams (id, org_id, name, manager_id) values (${id.teamA}, ${id.orgA}, 'Team A', ${id.memberA}), (${id.teamB}, ${id.orgB}, 'Team B', ${id.memberA})`,
    sql`insert into team_members (org_id, team_id, user_id) values (${id.orgA}, ${id.teamA}, ${id.memberA}), (${id.orgA}, ${id.teamB}, ${id.memberA})`,
    sql`insert into projects (id, org_id, key, name, client_id, team_id, owner_id, manager_id) values
      (${id.projectA}, ${id.orgA}, 'PA', 'Project A', ${id.clientA}, ${id.teamA}, ${id.superuser}, ${id.memberA}),
      (${id.strayProject}, ${id.orgA}, 'PS', 'Stray', ${id.clientB}, ${id.teamB}, ${id.memberB}, ${id.memberB}),
      (${id.projectB}, ${id.orgB}, 'PB', 'Project B', ${id.clientB}, null, ${id.memberB}, null)`,
    sql`insert into project_members (org_id, project_id, user_id, role) values (${id.orgA}, ${id.projectA}, ${id.memberA}, 'owner'), (${id.orgA}, ${id.projectB}, ${id.memberA}, 'member')`,
    sql`insert into payments (id, org_id, project_id, amount, method, paid_on) values
      (${id.paymentA}, ${id.orgA}, ${id.projectA}, 100, 'cash', '2026-01-02'), (${id.strayPayment}, ${id.orgA}, ${id.projectB}, 5, 'card', '2026-01-03')`,
    sql`insert into project_files (id, org_id, project_id, storage_key, original_name, content_type, size, uploaded_by_id, created_at) values
      (${id.fileA}, ${id.orgA}, ${id.projectA}, ${keys.fileA}, 'étude.pdf', 'application/pdf', 1234, ${id.memberA}, '2026-01-04T10:00:00Z'),
      (${id.strayFile}, ${id.orgB}, ${id.projectA}, ${keys.strayFile}, 'notes.txt', 'text/plain', 12, null, '2026-01-05T10:00:00Z')`,
  ];
  for (const statement of statements) await database.db.execute(statement);
  await migrateWith(MIGRATIONS_FOLDER);
}, 120_000);

afterAll(async () => {
  await database?.close();
  await dropDatabase();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe("migrating a database with data from 0004", () => {
  it("moves every project file into attachments with its id, key, name, type, size, uploader and date", async () => {
    expect(await rows(sql`select to_regclass('public.project_files') as still`)).toEqual([{ still: null }]);
    const moved = await rows(
      sql`select id, org_id, owner_type, owner_id, storage_key, original_name, content_type, size, uploaded_by_id from attachments order by created_at`,
    );
    expect(moved).toEqual([
      {
        id: id.fileA,
        org_id: id.orgA,
        owner_type: "project",
        owner_id: id.projectA,
        storage_key: keys.fileA,
        original_name: "étude.pdf",
        content_type: "application/pdf",
        size: 1234,
        uploaded_by_id: id.memberA,
      },
      // Its organization now comes from its project.
      expect.objectContaining({
        id: id.strayFile,
        org_id: id.orgA,
        owner_id: id.projectA,
        storage_key: keys.strayFile,
      }),
    ]);
    const [dated] = await rows(sql`select created_at from attachments where id = ${id.fileA}`);
    expect(new Date(String(dated?.created_at)).toISOString()).toBe("2026-01-04T10:00:00.000Z");
  });

  it("keeps the rows that were right as they were", async () => {
    expect(
      await rows(
        sql`select client_id, team_id, owner_id, manager_id from projects where id = ${id.projectA}`,
      ),
    ).toEqual([{ client_id: id.clientA, team_id: id.teamA, owner_id: id.superuser, manager_id: id.memberA }]);
    expect(await rows(sql`select org_id from payments where id = ${id.paymentA}`)).toEqual([
      { org_id: id.orgA },
    ]);
    expect(await rows(sql`select manager_id from teams where id = ${id.teamA}`)).toEqual([
      { manager_id: id.memberA },
    ]);
    expect(await rows(sql`select salesperson_id from clients where id = ${id.clientA}`)).toEqual([
      { salesperson_id: id.memberA },
    ]);
  });

  it("repairs what pointed across organizations, toward what it belongs to", async () => {
    // Optional references to another organization's client, team or person are cleared; the owner is an actor and stays.
    expect(
      await rows(
        sql`select org_id, client_id, team_id, owner_id, manager_id from projects where id = ${id.strayProject}`,
      ),
    ).toEqual([{ org_id: id.orgA, client_id: null, team_id: null, owner_id: id.memberB, manager_id: null }]);
    expect(await rows(sql`select manager_id from teams where id = ${id.teamB}`)).toEqual([
      { manager_id: null },
    ]);
    expect(await rows(sql`select customer_user_id from clients where id = ${id.clientA}`)).toEqual([
      { customer_user_id: null },
    ]);
    // A payment follows its project.
    expect(await rows(sql`select org_id from payments where id = ${id.strayPayment}`)).toEqual([
      { org_id: id.orgB },
    ]);
    // Memberships of another organization's project, team or role are no memberships at all.
    expect(await rows(sql`select project_id from project_members order by project_id`)).toEqual([
      { project_id: id.projectA },
    ]);
    expect(await rows(sql`select team_id from team_members`)).toEqual([{ team_id: id.teamA }]);
    expect(await rows(sql`select role_id from membership_roles`)).toEqual([{ role_id: id.roleA }]);
  });

  it("ends with the composite keys and the attachments' owner check in place", async () => {
    const constraints = (
      await rows(
        sql`select conname from pg_constraint where contype = 'f' and conname like '%_fk' order by conname`,
      )
    ).map((row) => row.conname);
    expect(constraints).toEqual(
      expect.arrayContaining([
        "clients_customer_membership_fk",
        "clients_salesperson_membership_fk",
        "membership_roles_role_fk",
        "payments_project_fk",
        "project_members_project_fk",
        "projects_client_fk",
        "projects_manager_membership_fk",
        "projects_team_fk",
        "team_members_team_fk",
        "teams_manager_membership_fk",
      ]),
    );
    expect(await rows(sql`select owner_type, table_name from attachment_owner_tables order by owner_type`)).toEqual([
      { owner_type: "project", table_name: "projects" },
      { owner_type: "task", table_name: "tasks" },
      { owner_type: "ticket", table_name: "tickets" },
      { owner_type: "ticket_comment", table_name: "ticket_comments" },
    ]);
  });
});
