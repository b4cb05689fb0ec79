import { type AppError, ConflictError, ValidationError } from "../errors.js";

/**
 * PostgreSQL's refusals that are the client's doing, turned into the API's typed
 * errors in one place. Services check what they can up front and name the field in
 * their own words; this is the net under them for what only the database can decide
 * without a race: two identical creations at the same moment, a value past a column's
 * range, a row still referenced elsewhere. Nothing of the database's message (the SQL,
 * the values, table names) reaches the client.
 */
type DatabaseError = { code: string; detail?: string; constraint?: string; column?: string; table?: string };

/** The driver's error behind a query error: Drizzle wraps pg's and PGlite's in `cause`. */
export function databaseErrorOf(error: unknown): DatabaseError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const candidate = current as Partial<DatabaseError> & { cause?: unknown };
    if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate as DatabaseError;
    current = candidate.cause;
  }
  return null;
}

const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/**
 * The columns of a key from PostgreSQL's detail, `Key (org_id, lower(name::text))=(…) …`,
 * without the tenant column and without the functions and casts of an expression index.
 */
export function keyColumns(detail: string | undefined): string[] {
  const match = detail ? /^Key \((.*?)\)=\(/s.exec(detail) : null;
  if (!match?.[1]) return [];
  return match[1]
    .split(",")
    .map((part) => {
      const names = part.match(/[a-z_][a-z0-9_]*/g) ?? [];
      const column = names.filter((name) => !["lower", "upper", "text", "varchar", "citext", "coalesce", "uuid"].includes(name)).pop();
      return column ?? "";
    })
    .filter((column) => column && column !== "org_id")
    .map(camel);
}

/** The field a unique or foreign key is about: from the detail, else from the constraint's name. */
function fieldOf(error: DatabaseError): string {
  const columns = keyColumns(error.detail);
  if (columns.length) return columns.join(",");
  if (error.column) return camel(error.column);
  return "";
}

export function mapDatabaseError(error: unknown): AppError | null {
  const db = databaseErrorOf(error);
  if (!db) return null;
  const field = fieldOf(db);
  switch (db.code) {
    case "23505": {
      const paths = field ? field.split(",") : [];
      const what = paths.length ? paths.join(" and ") : "these values";
      return new ConflictError(
        `Something with the same ${what} already exists.`,
        "duplicate",
        paths.map((path) => ({ path, message: "Already taken." })),
      );
    }
    case "23503":
      if (db.detail?.includes("still referenced")) {
        return new ConflictError("It is still in use by other records; remove or reassign those first.", "in_use");
      }
      return new ValidationError(
        [{ path: field, message: "Refers to something that does not exist." }],
        "The request refers to something that does not exist.",
      );
    case "23502":
      return new ValidationError([{ path: field, message: "Required." }]);
    case "23514":
    case "23P01":
      return new ValidationError([{ path: field, message: "This value is not allowed." }]);
    case "40001":
    case "40P01":
    case "55P03":
      return new ConflictError("Another change was made at the same moment. Try again.", "concurrent_change");
    case "54000":
      return new ValidationError([{ path: field, message: "This value is too long." }], "A value is too long.");
    default:
      // Class 22: data exceptions (out of range, malformed, too long, bad encoding).
      if (db.code.startsWith("22")) {
        return new ValidationError([{ path: field, message: "This value is out of range or malformed." }], "A value is out of range or malformed.");
      }
      return null;
  }
}
