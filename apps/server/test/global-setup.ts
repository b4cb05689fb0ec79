import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { fromPglite, openDatabase, openPglite } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- declaration merging needs an interface
  export interface ProvidedContext {
    runId: string;
    /** PostgreSQL: the migrated template database every test file copies. */
    templateDatabase: string | null;
    /** PGlite: a dump of the migrated database every test file loads. */
    pgliteSnapshot: string | null;
  }
}

/** Where the test run creates its databases: DATABASE_URL names the server (any database on it). */
export function adminUrl(database = "postgres"): string | null {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Migrates once per run: a template database on PostgreSQL, a snapshot on
 * PGlite. Each test file then gets its own copy (see harness.ts).
 */
export default async function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  project.provide("runId", runId);
  const admin = adminUrl();
  if (admin) {
    const template = `cairn_test_${runId}_tpl`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${template}`);
    await client.end();
    const database = await openDatabase({ kind: "postgres", url: adminUrl(template) ?? "" }, { poolSize: 1 });
    await migrate(database);
    await database.close();
    project.provide("templateDatabase", template);
    project.provide("pgliteSnapshot", null);
    return async () => {
      const cleanup = new pg.Client({ connectionString: admin });
      await cleanup.connect();
      const { rows } = await cleanup.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE $1",
        [`cairn_test_${runId}_%`],
      );
      for (const { datname } of rows) await cleanup.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await cleanup.end();
    };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "cairn-test-"));
  const pglite = await openPglite();
  const database = fromPglite(pglite);
  await migrate(database);
  const snapshot = path.join(dir, "snapshot.tar.gz");
  const dump = await pglite.dumpDataDir("gzip");
  await writeFile(snapshot, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide("templateDatabase", null);
  project.provide("pgliteSnapshot", snapshot);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
