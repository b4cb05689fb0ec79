import type { Database, Db, Tx } from "./client.js";

/** What a Drizzle query builder offers: run it now, or prepare it under a name. */
export type Preparable<R> = {
  execute(values?: Record<string, unknown>): Promise<R>;
  prepare(name: string): { execute(values?: Record<string, unknown>): Promise<R> };
};

type Statement = { execute(values?: Record<string, unknown>): Promise<unknown> };

/** Prepared statements by database and key; bounded, since keys are few but a bug must not grow memory. */
const statementsByDb = new WeakMap<Db, Map<string, Statement>>();
const MAX_STATEMENTS = 512;
let sequence = 0;

/**
 * Runs a hot read as a named prepared statement: Drizzle builds its SQL once
 * per process, the driver sends the text once per connection, and PostgreSQL
 * keeps one plan for it (see `Database.preparedDb`). `key` names the SQL
 * text: the same key must always build the same SQL, with every value a
 * `sql.placeholder`.
 *
 * Only reads outside a transaction (autocommit, `tx === database.db`) are
 * prepared; inside a transaction the query is built and run as usual.
 */
export function executePrepared<R>(
  tx: Tx,
  database: Database,
  key: string,
  build: (tx: Tx) => Preparable<R>,
  values: Record<string, unknown> = {},
): Promise<R> {
  if (tx !== database.db) return build(tx).execute(values);
  const db = database.preparedDb;
  let statements = statementsByDb.get(db);
  if (!statements) {
    statements = new Map();
    statementsByDb.set(db, statements);
  }
  let statement = statements.get(key);
  if (!statement) {
    if (statements.size >= MAX_STATEMENTS) statements.clear();
    // Names are unique per process: PostgreSQL refuses a name reused for other text on one connection.
    statement = build(db).prepare(`cairn_${++sequence}`);
    statements.set(key, statement);
  }
  return statement.execute(values) as Promise<R>;
}
