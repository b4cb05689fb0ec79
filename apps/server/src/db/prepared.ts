import { Column, getTableName, is, SQL, Subquery } from "drizzle-orm";
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
    statement = withCompiledMapping(build(db).prepare(`cairn_${++sequence}`));
    statements.set(key, statement);
  }
  return statement.execute(values) as Promise<R>;
}

/** The parts of a Drizzle prepared query that map its rows (node-postgres and PGlite alike). */
type SelectedField = { path: string[]; field: unknown };
type Mapped = {
  fields?: SelectedField[];
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: (rows: unknown[][]) => unknown;
};
type Decoder = { mapFromDriverValue(value: unknown): unknown };

/**
 * Drizzle maps each row by asking of every field what kind of thing it is
 * (`is`, a walk up prototypes) and how to decode it: a sixth of a task page's
 * CPU in the server. A prepared statement's fields never change, so this asks
 * once and keeps a plain loop for the rows, with Drizzle's own rules: each
 * value through its decoder, nested paths as objects, and a left-joined
 * table's object `null` when all its columns are. A statement whose shape is
 * not the expected one keeps Drizzle's mapping.
 */
export function withCompiledMapping<S>(statement: S): S {
  const mapped = statement as Mapped;
  if (!Array.isArray(mapped.fields) || mapped.customResultMapper || !("customResultMapper" in mapped)) return statement;
  const map = compileRowMapper(mapped.fields, mapped.joinsNotNullableMap);
  mapped.customResultMapper = (rows) => rows.map(map);
  return statement;
}

/** Drizzle's `mapResultRow` for one fixed list of fields, with its per-field questions answered up front. */
export function compileRowMapper(fields: SelectedField[], joinsNotNullableMap?: Record<string, boolean>) {
  const columns = fields.map(({ path, field }) => {
    // An SQL's decoder is not in Drizzle's types; `mapResultRow` reads it as this does.
    const decoderOf = (value: unknown) => (value as { decoder: Decoder }).decoder;
    const decoder: Decoder = is(field, Column)
      ? field
      : is(field, SQL)
        ? decoderOf(field)
        : is(field, Subquery)
          ? decoderOf(field._.sql)
          : decoderOf((field as { sql: unknown }).sql);
    // Only a column at depth two decides whether its object is a missing left-joined row.
    const table = joinsNotNullableMap && is(field, Column) && path.length === 2 ? getTableName(field.table) : null;
    return { path, decoder, table };
  });
  return (row: unknown[]): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    // Per object: the table of its columns while all of them are null so far, or false.
    let nullify: Record<string, string | false> | null = null;
    for (let index = 0; index < columns.length; index++) {
      const { path, decoder, table } = columns[index] as (typeof columns)[number];
      let node = result;
      for (let depth = 0; depth < path.length - 1; depth++) {
        const chunk = path[depth] as string;
        node = (node[chunk] ??= {}) as Record<string, unknown>;
      }
      const raw = row[index];
      const value = raw === null ? null : decoder.mapFromDriverValue(raw);
      node[path[path.length - 1] as string] = value;
      if (table !== null) {
        nullify ??= {};
        const objectName = path[0] as string;
        if (!(objectName in nullify)) nullify[objectName] = value === null ? table : false;
        else if (typeof nullify[objectName] === "string" && nullify[objectName] !== table) nullify[objectName] = false;
      }
    }
    if (nullify && joinsNotNullableMap) {
      for (const [objectName, table] of Object.entries(nullify)) {
        if (typeof table === "string" && !joinsNotNullableMap[table]) result[objectName] = null;
      }
    }
    return result;
  };
}
