import * as drizzleOrm from "drizzle-orm";
import { eq, sql, type Column } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { projects } from "../modules/projects/projects.table.js";
import { tasks } from "../modules/tasks/tasks.table.js";
import { openPglite } from "./client.js";
import { compileRowMapper, withCompiledMapping } from "./prepared.js";

type Fields = Array<{ path: string[]; field: unknown }>;
/** Drizzle's own row mapping: exported at run time, left out of its type declarations. */
const { mapResultRow } = drizzleOrm as unknown as {
  mapResultRow: (fields: Fields, row: unknown[], joinsNotNullableMap?: Record<string, boolean>) => unknown;
};

type Prepared = { fields: Fields; joinsNotNullableMap?: Record<string, boolean>; customResultMapper?: unknown };

// Never connected: preparing a statement builds its SQL and fields without a round trip.
const pool = new pg.Pool({ connectionString: "postgres://nobody@127.0.0.1:1/none" });
const pglite = await openPglite();
afterAll(async () => {
  await pool.end();
  await pglite.close();
});

/** A select like the task list's: a whole table as an object, a left join, flat columns, mapped SQL. */
function build(db: ReturnType<typeof drizzlePg> | ReturnType<typeof drizzlePglite>) {
  return db
    .select({
      task: tasks,
      project: { key: projects.key, name: projects.name, createdAt: projects.createdAt },
      projectName: projects.name,
      total: sql<number>`count(*) over ()`.mapWith(Number),
      note: sql<string | null>`null`,
    })
    .from(tasks)
    .leftJoin(projects, eq(projects.id, tasks.projectId))
    .where(eq(tasks.id, sql.placeholder("id")));
}

/** A raw value of the kind the driver hands over for a field. */
function rawValue(field: unknown, index: number): unknown {
  const column = field as Partial<Column>;
  switch (column.dataType) {
    case "date":
      return `2026-0${(index % 9) + 1}-02 03:04:05.${String(index).padStart(3, "0")}+00`;
    case "number":
      return index;
    case "boolean":
      return index % 2 === 0;
    case "array":
      return ["bug", `label ${index}`];
    case "json":
      return { index };
    default:
      return column.columnType ? `value ${index}` : String(index * 3);
  }
}

describe("compiled row mapping", () => {
  for (const [driver, db] of [
    ["node-postgres", drizzlePg(pool, { casing: "snake_case" })],
    ["PGlite", drizzlePglite(pglite, { casing: "snake_case" })],
  ] as const) {
    it(`maps rows exactly as Drizzle does (${driver}), a missing left-joined row included`, () => {
      expect(typeof mapResultRow).toBe("function");
      const statement = build(db).prepare(`compiled_${driver}`) as unknown as Prepared;
      const { fields, joinsNotNullableMap } = statement;
      expect(joinsNotNullableMap).toBeTruthy();
      const map = compileRowMapper(fields, joinsNotNullableMap);
      const full = fields.map(({ field }, index) => rawValue(field, index));
      const noProject = fields.map(({ path, field }, index) => (path[0] === "project" || path[0] === "projectName" ? null : rawValue(field, index)));
      const sparse = fields.map(({ field }, index) => (index % 3 === 0 ? null : rawValue(field, index)));
      for (const row of [full, noProject, sparse]) {
        const expected = mapResultRow(fields, row, joinsNotNullableMap);
        expect(map(row)).toEqual(expected);
      }
      expect((map(noProject) as { project: unknown }).project).toBeNull();
      expect((map(full) as { task: { createdAt: unknown } }).task.createdAt).toBeInstanceOf(Date);
    });

    it(`puts the compiled mapper on a prepared select (${driver})`, () => {
      const statement = withCompiledMapping(build(db).prepare(`installed_${driver}`)) as unknown as Prepared;
      expect(typeof statement.customResultMapper).toBe("function");
    });
  }
});
