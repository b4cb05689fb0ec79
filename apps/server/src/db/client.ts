import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import type { Config } from "../config.js";

/** The database; a transaction is one too (PgTransaction extends PgDatabase). */
// Queries are built from the modules' tables; the relational query API (which needs every table
// here) is not used, so the database layer does not depend on the modules.
export type Db = PgDatabase<PgQueryResultHKT>;
/**
 * What query functions take: the transaction of a change, or the database
 * itself for a read, which runs in autocommit (one round trip per query).
 */
export type Tx = Db;

export type Database = {
  kind: "postgres" | "pglite";
  db: Db;
  /**
   * Where the named prepared statements of hot reads run (db/prepared.ts). On
   * PostgreSQL, a pool of its own whose sessions keep one generic plan per
   * statement (`plan_cache_mode = force_generic_plan`): left to choose,
   * PostgreSQL plans a many-subquery list anew on every execution, which costs
   * more than running it. Every other query keeps the default planning. On
   * PGlite, the same as `db`.
   */
  preparedDb: Db;
  /** The embedded engine, when that is what runs; pg-boss and tests use it directly. */
  pglite: PGlite | null;
  pool: pg.Pool | null;
  preparedPool: pg.Pool | null;
  close(): Promise<void>;
};

// Dates come back as strings ("2026-01-31"), numerics as strings: exact, never floats.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => value);

export async function openDatabase(
  config: Config["database"],
  options: { poolSize?: number; onError?: (error: Error) => void } = {},
): Promise<Database> {
  if (config.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: config.url, max: options.poolSize ?? 10 });
    const preparedPool = new pg.Pool({
      connectionString: config.url,
      max: options.poolSize ?? 10,
      options: "-c plan_cache_mode=force_generic_plan",
    });
    // An idle connection closed by the server (restart, failover) is dropped from the pool; without
    // a listener the 'error' event would end the process.
    pool.on("error", (error) => options.onError?.(error));
    preparedPool.on("error", (error) => options.onError?.(error));
    const db = drizzlePg(pool, { casing: "snake_case" }) as unknown as Db;
    const preparedDb = drizzlePg(preparedPool, { casing: "snake_case" }) as unknown as Db;
    return {
      kind: "postgres",
      db,
      preparedDb,
      pglite: null,
      pool,
      preparedPool,
      close: async () => {
        await Promise.all([pool.end(), preparedPool.end()]);
      },
    };
  }
  if (config.dir) await mkdir(path.dirname(config.dir), { recursive: true });
  return fromPglite(await openPglite(config.dir ? { dataDir: config.dir } : {}));
}

/**
 * Opens an embedded database with the extensions the migrations use (pg_trgm and btree_gin for
 * substring search): PGlite loads an extension only when it is opened with it.
 */
export function openPglite(options: Omit<PGliteOptions, "extensions"> = {}): Promise<PGlite> {
  return PGlite.create({ ...options, extensions: { pg_trgm, btree_gin } });
}

/** Wraps an already open PGlite (tests load one from a migrated snapshot). */
export function fromPglite(pglite: PGlite): Database {
  const db = drizzlePglite(pglite, { casing: "snake_case" }) as unknown as Db;
  return {
    kind: "pglite",
    db,
    preparedDb: db,
    pglite,
    pool: null,
    preparedPool: null,
    close: () => pglite.close(),
  };
}
