/**
 * A seeded, reproducible fuzz of every route of the OpenAPI document.
 *
 * Each route is walked with hostile values, one field at a time from a valid base
 * request: every body field (nested objects and array items included), every query
 * parameter and every path parameter, plus unknown body fields and malformed whole
 * bodies. Multipart routes get hand-made hostile multipart bodies. Each case is sent
 * as an authenticated caller (an organization admin or the superuser) and, for a
 * seeded sample, as anonymous.
 *
 * Every response must hold:
 * - status < 500;
 * - an error (>= 400) is application/problem+json;
 * - no stack trace, file position, SQL or database driver text in the body;
 * - after a 4xx, the database is unchanged (row count and newest row version, xmin,
 *   of every table of the public schema);
 * - a value the route's schema refuses (wrong type, past a limit, not in the enum,
 *   not matching the pattern), a NUL or lone surrogate in any string, a date outside
 *   1900–2200 and an unknown body field are refused with 400 naming the field;
 * - every request gets an answer within 5 s (a hung request holds its handler for good).
 *
 * Routes whose successes would spoil the shared objects (archive, deactivate) work on
 * objects of their own; deletions are only sent hostile path parameters. "../" goes only
 * to GET routes as is: light-my-request (as any client) resolves it before sending.
 * Odd percent-encoded URLs and the error handler in development mode have their own tests.
 *
 * The plan (which values go to which field, as whom) is drawn from fast-check with a
 * fixed seed: the same document and seed give the same cases. Set FUZZ_SEED to change it.
 */
import fc from "fast-check";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, unique, type TestContext } from "../../../test/harness.js";
import { multipart, PNG } from "../../modules/projects/fixtures.test-util.js";

const SEED = Number(process.env.FUZZ_SEED ?? 20260417);

// ---------------------------------------------------------------------------------------------
// The OpenAPI document
// ---------------------------------------------------------------------------------------------

type Schema = {
  type?: string | string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  $ref?: string;
};
type Parameter = {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
};
type OpenApiOperation = {
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
};
type OpenApiDocument = {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
};

type Route = {
  method: string;
  path: string;
  key: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body: Schema | null;
  multipart: boolean;
};

const SKIPPED = (path: string) => path === "/api/openapi.json" || path.startsWith("/api/docs");

function routesOf(document: OpenApiDocument): Route[] {
  const routes: Route[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    if (SKIPPED(path)) continue;
    for (const [method, operation] of Object.entries(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const content = operation.requestBody?.content ?? {};
      const parameters = operation.parameters ?? [];
      routes.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        pathParams: parameters.filter((p) => p.in === "path"),
        queryParams: parameters.filter((p) => p.in === "query"),
        body: content["application/json"]?.schema ?? null,
        // @fastify/swagger drops `consumes` when a route has no body schema: the summary says it.
        multipart:
          "multipart/form-data" in content ||
          (!content["application/json"] && /multipart/i.test(operation.summary ?? "")),
      });
    }
  }
  return routes;
}

let components: Record<string, Schema> = {};
function deref(schema: Schema | undefined): Schema {
  let current = schema ?? {};
  for (let depth = 0; current.$ref && depth < 10; depth++)
    current = components[current.$ref.replace("#/components/schemas/", "")] ?? {};
  return current;
}

/** The branches of a union, or the schema itself. */
function branches(schema: Schema): Schema[] {
  const s = deref(schema);
  if (s.anyOf) return s.anyOf.flatMap(branches);
  if (s.oneOf) return s.oneOf.flatMap(branches);
  return [s];
}

/** Every property of an object schema, through unions. */
function propertiesOf(schema: Schema): Record<string, Schema> {
  const merged: Record<string, Schema> = {};
  for (const branch of branches(schema)) Object.assign(merged, branch.properties ?? {});
  return merged;
}

const isDateSchema = (schema: Schema) =>
  branches(schema).some((b) => b.format === "date" || b.format === "date-time");
const isDateTimeSchema = (schema: Schema) => branches(schema).some((b) => b.format === "date-time");
const isNumericSchema = (schema: Schema, name: string) =>
  branches(schema).some((b) => [b.type].flat().some((type) => type === "number" || type === "integer")) ||
  /^(amount|cost|discount|page|pageSize|projectLimit)$/.test(name);

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Why the schema refuses a value (null: it accepts it). A small JSON Schema check plus the API's own rules. */
function violation(schema: Schema, value: unknown, path = ""): string | null {
  const options = branches(schema);
  if (options.length > 1) {
    const reasons = options.map((option) => violation(option, value, path));
    return reasons.includes(null)
      ? null
      : (reasons.find((reason) => reason && !reason.includes("type")) ?? reasons[0] ?? "no branch");
  }
  const s = options[0] ?? {};
  if (s.allOf)
    for (const part of s.allOf) {
      const reason = violation(part, value, path);
      if (reason) return reason;
    }
  if (s.const !== undefined && value !== s.const) return `not ${JSON.stringify(s.const)}`;
  if (s.enum && !s.enum.some((option) => option === value)) return "not in the enum";
  const type = jsonType(value);
  const types = s.type === undefined ? null : [s.type].flat();
  if (types && !types.some((t) => t === type || (t === "number" && type === "integer")))
    return `type ${type} where ${types.join("|")}`;
  if (typeof value === "string") {
    if (s.minLength !== undefined && value.length < s.minLength) return "shorter than minLength";
    if (s.maxLength !== undefined && value.length > s.maxLength) return "longer than maxLength";
    if (s.pattern && !new RegExp(s.pattern).test(value)) return "does not match the pattern";
    if (s.format === "date" || s.format === "date-time") {
      const year = /^(\d{4})-/.exec(value)?.[1];
      if (year && (Number(year) < 1900 || Number(year) > 2200)) return "date outside 1900–2200";
    }
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) return "below minimum";
    if (s.maximum !== undefined && value > s.maximum) return "above maximum";
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) return "below exclusiveMinimum";
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) return "above exclusiveMaximum";
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) return "fewer than minItems";
    if (s.maxItems !== undefined && value.length > s.maxItems) return "more than maxItems";
    if (s.items)
      for (const [index, item] of value.entries()) {
        const reason = violation(s.items, item, `${path}.${index}`);
        if (reason) return reason;
      }
  }
  if (type === "object" && (s.type === "object" || s.properties)) {
    const object = value as Record<string, unknown>;
    for (const name of s.required ?? []) if (!(name in object)) return `missing ${name}`;
    for (const [name, item] of Object.entries(object)) {
      const property = s.properties?.[name];
      if (!property) {
        if (s.additionalProperties === false) return `unknown field ${name}`;
        continue;
      }
      const reason = violation(property, item, `${path}.${name}`);
      if (reason) return reason;
    }
  }
  return null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A NUL or a lone surrogate anywhere in a value, keys included. */
function unsafeText(value: unknown): boolean {
  if (typeof value === "string") return value.includes("\u0000") || LONE_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(unsafeText);
  if (value && typeof value === "object")
    return Object.entries(value).some(([key, item]) => unsafeText(key) || unsafeText(item));
  return false;
}

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

type Hostile = { tag: string; value: unknown };

const MB = 1024 * 1024;
const h = (tag: string, value: unknown): Hostile => ({ tag, value });

const TEXT = {
  nul: h("NUL", "a\u0000b"),
  surrogate: h("lone surrogate", "x\uD800y"),
  lowSurrogate: h("lone low surrogate", "\uDFFFtail"),
  huge: h("1 MB string", "x".repeat(MB)),
  long: h("100 kB string", "y".repeat(100_000)),
};
const WRONG_TYPES = [
  h("object", { a: 1 }),
  h("operator object", { $ne: null }),
  h("array", []),
  h("array of strings", ["a", "b"]),
  h("null", null),
  h("true", true),
  h("false", false),
  h("number 7", 7),
];
const INJECTIONS = [
  h("SQL", "'; drop table users; --"),
  h("SQL OR", "' OR '1'='1"),
  h("HTML", "<script>alert(1)</script>"),
  h("traversal", "../../../../etc/passwd"),
  h("RTL override", "\u202Eevil"),
  h("emoji", "🏔️🏔️"),
  h("BOM", "\uFEFFbom"),
  h("empty", ""),
  h("spaces", "   "),
  h("percent-00", "%00"),
  h("format string", "%s%s%s%n"),
  h("CRLF", "a\r\nSet-Cookie: x=1"),
];
const DATES = {
  date: [h("date 0000-01-01", "0000-01-01"), h("date 9999-12-31", "9999-12-31")],
  dateTime: [
    h("datetime year 0000", "0000-01-01T00:00:00Z"),
    h("datetime year 9999", "9999-12-31T23:59:59.999Z"),
  ],
  edges: [
    h("date 1899-12-31", "1899-12-31"),
    h("date 2201-01-01", "2201-01-01"),
    h("date 2026-02-30", "2026-02-30"),
    h("datetime 1899", "1899-12-31T23:59:59Z"),
    h("datetime 2201", "2201-01-01T00:00:00+14:00"),
    h("date 10000", "+010000-01-01"),
  ],
};
const NUMBERS = {
  always: [h("1e308", 1e308), h("big decimal", "99999999999999999999.99"), h("-1", -1)],
  more: [
    h("0", 0),
    h("2**53", 2 ** 53),
    h("-2**53", -(2 ** 53)),
    h("0.5", 0.5),
    h("-0.01", "-0.01"),
    h("NaN string", "NaN"),
    h("Infinity string", "Infinity"),
    h("1e400 string", "1e400"),
    h("many decimals", "1.123456789012345678901234567890"),
    h("hex string", "0x10"),
    h("1e308 string", "1e308"),
    h("huge digits", "9".repeat(2000)),
    h("2**31", 2 ** 31),
  ],
};

/** Raw URL path segments (already escaped as sent). */
const PATH_ALWAYS = [
  h("%00", "%00"),
  h("300 characters", "p".repeat(300)),
  h("../", "../"),
  h("SQL", encodeURIComponent("'; drop table users; --")),
];
const PATH_MORE = [
  h("encoded ../", "..%2F..%2Fetc%2Fpasswd"),
  h("lone %", "%"),
  h("%zz", "%zz"),
  h("encoded lone surrogate", "%ED%A0%80"),
  h("overlong dot", "%C0%AE%C0%AE"),
  h("nil uuid", "00000000-0000-0000-0000-000000000000"),
  h("max uuid", "ffffffff-ffff-ffff-ffff-ffffffffffff"),
  h("not a uuid", "not-a-uuid"),
  h("-1", "-1"),
  h("0", "0"),
  h("1e308", "1e308"),
  h("emoji", encodeURIComponent("🏔️")),
  h("quote", "%27"),
  h("id of another kind", "$OTHER"),
  h("valid id uppercased", "$UPPER"),
  h("encoded slash", "a%2Fb"),
  h("backslash", "%5C..%5C"),
];

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

type Caller = "admin" | "superuser" | "anonymous" | "victim";
type Location = "body" | "query" | "path" | "extra field" | "whole body" | "multipart" | "url";

type Case = {
  route: Route;
  caller: Caller;
  location: Location;
  field: string;
  tag: string;
  /** The hostile value (body, query) or raw segment (path). */
  value?: unknown;
  /** Body cases: where the value goes in the base body. */
  target?: Array<string | number>;
  /** A raw body, sent as is. */
  raw?: { payload: string | Buffer; contentType: string };
  /** Statuses this case must get besides the general rules, and why. */
  expect?: { statuses: number[]; why: string; field?: string };
};

let drawCount = 0;
/** One seeded draw: the n-th draw of the plan always gives the same value. */
function draw<T>(arbitrary: fc.Arbitrary<T>): T {
  const [value] = fc.sample(arbitrary, { seed: SEED + drawCount++, numRuns: 1 });
  return value as T;
}
const pick = <T>(items: readonly T[], count: number): T[] =>
  items.length <= count
    ? [...items]
    : draw(fc.shuffledSubarray([...items], { minLength: count, maxLength: count }));

/** Values fast-check makes up: text of any code point, JSON of any shape, odd numbers. */
const junk: fc.Arbitrary<Hostile> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 24 }).map((value) => h("fast-check text", value)),
  fc.string({ unit: "grapheme", maxLength: 24 }).map((value) => h("fast-check grapheme text", value)),
  fc.jsonValue({ maxDepth: 2 }).map((value) => h("fast-check JSON", value)),
  fc.double({ noNaN: true }).map((value) => h("fast-check double", value)),
  fc
    .bigInt({ min: -(10n ** 40n), max: 10n ** 40n })
    .map((value) => h("fast-check big integer string", value.toString())),
  fc
    .date({ min: new Date(-62_000_000_000_000), max: new Date(250_000_000_000_000), noInvalidDate: true })
    .map((value) => h("fast-check date", value.toISOString().slice(0, 10))),
);

function valuesFor(name: string, schema: Schema, where: "body" | "query"): Hostile[] {
  const values = [TEXT.nul, TEXT.surrogate, TEXT.huge];
  values.push(
    ...pick(WRONG_TYPES, where === "body" ? 2 : 1),
    ...pick([TEXT.lowSurrogate, TEXT.long, ...INJECTIONS], 1),
  );
  if (isDateSchema(schema)) {
    values.push(
      ...(isDateTimeSchema(schema) ? DATES.dateTime : DATES.date),
      ...pick([...DATES.edges, ...(isDateTimeSchema(schema) ? DATES.date : DATES.dateTime)], 2),
    );
  }
  if (isNumericSchema(schema, name)) values.push(...NUMBERS.always, ...pick(NUMBERS.more, 2));
  values.push(draw(junk));
  return values;
}

function expectationFor(
  schema: Schema,
  value: unknown,
  field: string,
  where: "body" | "query",
  whole: unknown,
): Case["expect"] {
  const oversized = where === "body" && JSON.stringify(whole ?? null).length > MB;
  const statuses = oversized ? [400, 413] : [400];
  if (where === "body" && unsafeText(value))
    return { statuses, why: "a NUL or lone surrogate is refused", field };
  if (where === "query" && typeof value === "string" && value.includes("\u0000"))
    return { statuses, why: "a NUL is refused", field };
  if (where === "body") {
    const reason = violation(schema, value);
    // Some fields trim and change case before their pattern applies (usernames, slugs, keys).
    const normalized =
      typeof value === "string" &&
      [value.trim(), value.trim().toLowerCase(), value.trim().toUpperCase()].some(
        (variant) => !violation(schema, variant),
      );
    if (reason && !normalized) return { statuses, why: `the schema refuses it (${reason})`, field };
    if (oversized) return { statuses: [413], why: "over the 1 MB body limit" };
  }
  if (where === "query" && (typeof value === "string" || typeof value === "number")) {
    const text = String(value);
    const single = branches(schema);
    const stringRules = single.every((b) => b.type === "string" || b.enum);
    if (stringRules) {
      const reason = violation(schema, text);
      if (reason) return { statuses, why: `the schema refuses it (${reason})`, field };
    }
  }
  return undefined;
}

type RouteConfig = {
  /** A fresh, valid base body. */
  body?: (env: Env) => Record<string, unknown>;
  /** Who sends the authenticated cases (default: the admin or the superuser, drawn). */
  caller?: Caller;
  /** Path parameters of objects of its own, for routes whose successes change them (archive, deactivate). */
  params?: (env: Env) => Record<string, string>;
};

/** Base bodies by route, written by hand; routes left out get one derived from the schema. */
const CONFIG: Record<string, RouteConfig> = {
  "POST /api/auth/register": {
    body: () => ({ ...identity(), password: "Quiet-Harbor-Lantern-42x", accountType: "developer" }),
  },
  "POST /api/auth/login": { body: () => ({ login: unique("nobody"), password: "not-the-password" }) },
  "POST /api/auth/refresh": { body: () => ({ refresh: "0123456789abcdef0123" }) },
  "POST /api/auth/logout": { body: () => ({}), caller: "victim" },
  "POST /api/auth/verify": { body: () => ({ token: "x".repeat(40) }) },
  "POST /api/auth/change-password": {
    body: (env) => ({ currentPassword: env.victim.password, newPassword: "Another-Quiet-Lantern-77" }),
    caller: "victim",
  },
  "POST /api/auth/password-reset": { body: () => ({ email: `${unique("nobody")}@example.test` }) },
  "POST /api/auth/password-reset/confirm": {
    body: () => ({ token: "0123456789abcdef0123", newPassword: "Another-Quiet-Lantern-77" }),
  },
  "PATCH /api/me/profile": { body: () => ({ displayName: "Fuzz" }) },
  "POST /api/orgs": {
    body: () => ({ slug: unique("fz-").toLowerCase(), name: "Fuzz Org" }),
    caller: "superuser",
  },
  "PATCH /api/orgs/{org}": { body: () => ({ name: "Fuzz Org" }) },
  "POST /api/orgs/{org}/members": { body: () => ({ ...identity(), roles: ["developer"] }) },
  "PATCH /api/orgs/{org}/members/{userId}": {
    body: () => ({ roles: ["developer"] }),
    params: (env) => ({ userId: env.scratch.memberId }),
  },
  "POST /api/orgs/{org}/roles": {
    body: () => ({
      key: unique("fz_").toLowerCase().slice(0, 30),
      name: "Fuzz role",
      permissions: ["projects.view"],
    }),
  },
  "PATCH /api/orgs/{org}/roles/{key}": { body: () => ({ name: "Fuzz role" }) },
  "POST /api/me/phone/code": { body: () => ({ phone: `+1555${String(++phoneCounter).padStart(7, "0")}` }) },
  "POST /api/me/phone/verify": { body: () => ({ code: "000000" }) },
  "POST /api/me/notifications/read": { body: () => ({ all: true }) },
  "PATCH /api/users/{userId}/profile": { body: () => ({ displayName: "Fuzz" }) },
  "POST /api/teams": { body: (env) => ({ orgId: env.org.id, name: unique("Fuzz team ") }) },
  "PATCH /api/teams/{id}": {
    body: () => ({ description: "fuzz" }),
    params: (env) => ({ id: env.scratch.teamId }),
  },
  "POST /api/clients": { body: (env) => ({ orgId: env.org.id, name: "Fuzz client" }) },
  "PATCH /api/clients/{id}": { body: () => ({ notes: "fuzz" }) },
  "POST /api/projects": { body: (env) => ({ orgId: env.org.id, name: "Fuzz project", key: projectKey() }) },
  "PATCH /api/projects/{id}": {
    body: () => ({ description: "fuzz" }),
    params: (env) => ({ id: env.scratch.projectId }),
  },
  "PATCH /api/projects/{id}/status": {
    body: () => ({ status: "active" }),
    params: (env) => ({ id: env.scratch.projectId }),
  },
  "POST /api/projects/{id}/members": {
    body: (env) => ({ userId: env.outsiderOfProject.id, role: "member" }),
  },
  "PATCH /api/projects/{id}/members/{userId}": { body: () => ({ role: "member" }) },
  "POST /api/projects/{id}/payments": {
    body: () => ({ amount: "10.00", method: "cash", paidOn: "2026-01-15" }),
  },
  "POST /api/payments/{id}/verify": { body: () => ({ decision: "reject", note: "fuzz" }) },
  "POST /api/tasks/{id}/comments": { body: () => ({ body: "Fuzz comment" }) },
  "PATCH /api/comments/{id}": { body: () => ({ body: "Fuzz comment, edited" }) },
  "POST /api/tasks/{id}/time-entries": { body: () => ({ minutes: 10, spentOn: "2026-01-15" }) },
  "PATCH /api/time-entries/{id}": { body: () => ({ minutes: 10 }) },
};

let phoneCounter = 0;
let keyCounter = 0;
const identity = () => {
  const username = unique("fz");
  return { email: `${username}@example.test`, username };
};
const projectKey = () =>
  `F${(++keyCounter).toString(36).toUpperCase().padStart(4, "0")}${String.fromCharCode(65 + (Date.now() % 26))}`;

/** A minimal valid value for a schema, for routes without a hand-written base body. */
function minimal(schema: Schema): unknown {
  const s = branches(schema).find((b) => b.type !== "null") ?? {};
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const type = [s.type].flat()[0];
  if (type === "object" || s.properties) {
    return Object.fromEntries((s.required ?? []).map((name) => [name, minimal(s.properties?.[name] ?? {})]));
  }
  if (type === "array") return Array.from({ length: s.minItems ?? 0 }, () => minimal(s.items ?? {}));
  if (type === "integer" || type === "number") return s.minimum ?? 0;
  if (type === "boolean") return false;
  if (s.format === "date") return "2026-01-15";
  if (s.format === "date-time") return "2026-01-15T00:00:00Z";
  if (s.format === "email") return `${unique("fz")}@example.test`;
  if (s.format === "uuid") return "00000000-0000-0000-0000-000000000000";
  if (s.pattern) return draw(fc.stringMatching(new RegExp(s.pattern)));
  return "f".repeat(Math.max(s.minLength ?? 0, 4));
}

/** Where hostile values go in a body: every property, nested objects and the items of arrays, two levels deep. */
function bodyTargets(
  schema: Schema,
  prefix: Array<string | number> = [],
  depth = 0,
): Array<{ target: Array<string | number>; schema: Schema }> {
  const out: Array<{ target: Array<string | number>; schema: Schema }> = [];
  for (const [name, property] of Object.entries(propertiesOf(schema))) {
    const target = [...prefix, name];
    out.push({ target, schema: property });
    if (depth >= 2) continue;
    for (const branch of branches(property)) {
      if (branch.type === "object" && branch.properties) out.push(...bodyTargets(branch, target, depth + 1));
      if (branch.type === "array" && branch.items) out.push({ target: [...target, 0], schema: branch.items });
    }
  }
  return out;
}

function setAt(
  body: Record<string, unknown>,
  target: Array<string | number>,
  value: unknown,
  schema: Schema,
): Record<string, unknown> {
  const copy = structuredClone(body);
  let node: Record<string | number, unknown> = copy;
  let nodeSchema = schema;
  for (const [index, step] of target.entries()) {
    const stepSchema =
      typeof step === "number"
        ? (branches(nodeSchema).find((b) => b.items)?.items ?? {})
        : (propertiesOf(nodeSchema)[step] ?? {});
    if (index === target.length - 1) {
      if (typeof step === "number") {
        // An array item: the array becomes [value].
        node.length = 0;
        (node as unknown as unknown[]).push(value);
      } else node[step] = value;
      break;
    }
    const next = target[index + 1];
    if (typeof next === "number") node[step] = [];
    else if (!node[step] || typeof node[step] !== "object") node[step] = minimal(stepSchema);
    node = node[step] as Record<string | number, unknown>;
    nodeSchema = stepSchema;
  }
  return copy;
}

function planRoute(route: Route): Case[] {
  const cases: Case[] = [];
  const config = CONFIG[route.key] ?? {};
  const authenticated = (): Caller => config.caller ?? draw(fc.constantFrom<Caller>("admin", "superuser"));
  const both = (make: (caller: Caller) => Case, anonymous: boolean) => {
    cases.push(make(authenticated()));
    if (anonymous) cases.push(make("anonymous"));
  };

  // Path parameters: hostile raw segments, the other parameters valid.
  for (const param of route.pathParams) {
    const values = [...PATH_ALWAYS, ...pick(PATH_MORE, 3)];
    const anonymousTags = new Set(["%00", draw(fc.constantFrom(...values.map((v) => v.tag)))]);
    for (const hostile of values) {
      if (hostile.value === "$UPPER" && route.method !== "GET") continue;
      // A client resolves "../" before sending (…/members/../ is the project itself): only where that is harmless.
      const value = hostile.value === "../" && route.method !== "GET" ? h("../ (escaped)", "..%2F") : hostile;
      const lenient = value.value === "$UPPER" || value.value === "../";
      both(
        (caller) => ({
          route,
          caller,
          location: "path",
          field: param.name,
          tag: value.tag,
          value: value.value,
          expect: lenient
            ? undefined
            : {
                statuses: [400, 401, 403, 404, 405, 413, 414, 415],
                why: "a hostile path parameter is never served",
              },
        }),
        anonymousTags.has(value.tag),
      );
    }
  }

  // Query parameters, one at a time.
  for (const param of route.queryParams) {
    const schema = param.schema ?? {};
    const values = valuesFor(param.name, schema, "query");
    const anonymousTags = new Set([TEXT.nul.tag, draw(fc.constantFrom(...values.map((v) => v.tag)))]);
    for (const value of values) {
      both(
        (caller) => ({
          route,
          caller,
          location: "query",
          field: param.name,
          tag: value.tag,
          value: value.value,
          expect: expectationFor(schema, value.value, param.name, "query", null),
        }),
        anonymousTags.has(value.tag),
      );
    }
  }
  // An unknown query parameter (every route but deletions, also those without any): the path is valid here.
  if (route.method !== "DELETE")
    both(
      (caller) => ({
        route,
        caller,
        location: "query",
        field: "fuzzUnknown",
        tag: "unknown parameter with NUL",
        value: "a\u0000b",
      }),
      true,
    );

  if (route.body) {
    const body = route.body;
    for (const { target, schema } of bodyTargets(body)) {
      const field = target.join(".");
      const values = valuesFor(String(target.at(-1)), schema, "body");
      const anonymousTags = new Set([TEXT.nul.tag, draw(fc.constantFrom(...values.map((v) => v.tag)))]);
      for (const value of values) {
        both(
          (caller) => ({
            route,
            caller,
            location: "body",
            field,
            tag: value.tag,
            value: value.value,
            target,
          }),
          anonymousTags.has(value.tag),
        );
      }
    }
    // Unknown fields: refused with 400 naming them.
    const extras = [
      h("unknown field", { fuzzUnknownField: "x" }),
      ...pick(
        [
          h("isSuperuser", { isSuperuser: true }),
          h("id", { id: "00000000-0000-4000-8000-000000000000" }),
          h("createdAt", { createdAt: "2000-01-01T00:00:00Z" }),
          h("NUL key", { "a\u0000b": 1 }),
          h("deep nesting", { fuzzDeep: deep(2000) }),
        ],
        2,
      ),
    ];
    for (const extra of extras) {
      const [name] = Object.keys(extra.value as object);
      if (name && name in propertiesOf(body)) continue;
      both(
        (caller) => ({
          route,
          caller,
          location: "extra field",
          field: name ?? "",
          tag: extra.tag,
          value: extra.value,
          expect: {
            statuses: [400],
            why: "an unknown body field is refused",
            field: name === "a\u0000b" ? undefined : name,
          },
        }),
        extra.tag === "unknown field",
      );
    }
    // Whole bodies that are not the object the route takes.
    const wholes: Array<{ tag: string; payload: string; strict: boolean }> = [
      { tag: "array body", payload: "[]", strict: true },
      { tag: "string body", payload: JSON.stringify("x"), strict: true },
      { tag: "number body", payload: "1e308", strict: true },
      { tag: "null body", payload: "null", strict: false },
      { tag: "malformed JSON", payload: '{"a":', strict: true },
      { tag: "__proto__", payload: '{"__proto__":{"isSuperuser":true}}', strict: true },
      {
        tag: "constructor.prototype",
        payload: '{"constructor":{"prototype":{"isSuperuser":true}}}',
        strict: true,
      },
      { tag: "empty body", payload: "", strict: false },
      { tag: "duplicate keys", payload: '{"a":1,"a":2}', strict: true },
      { tag: "invalid UTF-8", payload: '{"x":"\xff\xfe"}', strict: true },
    ];
    for (const whole of pick(wholes, 3)) {
      both(
        (caller) => ({
          route,
          caller,
          location: "whole body",
          field: "(body)",
          tag: whole.tag,
          raw: {
            payload:
              whole.tag === "invalid UTF-8"
                ? Buffer.from([0x7b, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])
                : whole.payload,
            contentType: "application/json",
          },
          expect: whole.strict
            ? { statuses: [400], why: "the body is not the object the route takes" }
            : undefined,
        }),
        whole.tag === "array body",
      );
    }
    // The right JSON under the wrong media type.
    both(
      (caller) => ({
        route,
        caller,
        location: "whole body",
        field: "(body)",
        tag: "text/plain body",
        raw: { payload: "{}", contentType: "text/plain" },
        expect: { statuses: [400, 415], why: "a body that is not JSON is refused" },
      }),
      false,
    );
  }
  return cases;
}

function deep(levels: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

// ---------------------------------------------------------------------------------------------
// Running a case
// ---------------------------------------------------------------------------------------------

type User = Awaited<ReturnType<typeof buildUser>>;
type Env = {
  org: { id: string; slug: string };
  admin: User;
  superuser: User;
  /** Signs in afresh for each case of the routes that end sessions or change the password. */
  victim: User;
  /** An org member (developer) on the project and the team: the userId of member routes. */
  member: User;
  /** An org member not on the project: the one POST /projects/{id}/members adds. */
  outsiderOfProject: User;
  teamId: string;
  clientId: string;
  projectId: string;
  paymentId: string;
  fileId: string;
  auditId: string;
  ticketId: string;
  ticketCommentId: string;
  taskId: string;
  commentId: string;
  timeEntryId: string;
  roleKey: string;
  /** Objects of the routes whose successes would change the shared ones. */
  scratch: { projectId: string; teamId: string; memberId: string };
};

/** Percent-encodes text as a client would, lone surrogates as their (invalid) UTF-8 bytes. */
function encode(text: string): string {
  if (!/[\uD800-\uDFFF]/.test(text)) return encodeURIComponent(text);
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join("");
    } else out += encodeURIComponent(text[i] ?? "");
  }
  return out;
}

function queryPart(name: string, value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return `${name}=`;
  if (Array.isArray(value))
    return value.length
      ? value.map((item) => `${name}=${encode(String(item))}`).join("&")
      : `${name}=&${name}=`;
  if (typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length
      ? entries.map(([key, item]) => `${name}%5B${encode(key)}%5D=${encode(String(item))}`).join("&")
      : `${name}%5B%5D=`;
  }
  return `${name}=${encode(typeof value === "string" ? value : JSON.stringify(value))}`;
}

function validParam(route: Route, name: string, env: Env): string {
  const own = CONFIG[route.key]?.params?.(env)[name];
  if (own) return own;
  if (name === "org") return env.org.slug;
  if (name === "key") return env.roleKey;
  if (name === "userId") return env.member.id;
  const ids: Array<[string, string]> = [
    ["/api/teams", env.teamId],
    ["/api/clients", env.clientId],
    ["/api/projects", env.projectId],
    ["/api/payments", env.paymentId],
    ["/api/files", env.fileId],
    ["/api/audit", env.auditId],
    ["/api/tickets", env.ticketId],
    ["/api/ticket-comments", env.ticketCommentId],
    ["/api/tasks", env.taskId],
    ["/api/comments", env.commentId],
    ["/api/time-entries", env.timeEntryId],
  ];
  return ids.find(([prefix]) => route.path.startsWith(prefix))?.[1] ?? "00000000-0000-4000-8000-000000000000";
}

function otherKind(route: Route, name: string, env: Env): string {
  return name === "userId" || route.path.startsWith("/api/teams") ? env.projectId : env.teamId;
}

function urlFor(route: Route, env: Env, hostile?: { name: string; segment: string }): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (hostile?.name !== name) return encodeURIComponent(validParam(route, name, env));
    if (hostile.segment === "$OTHER") return otherKind(route, name, env);
    if (hostile.segment === "$UPPER") return validParam(route, name, env).toUpperCase();
    return hostile.segment;
  });
}

let ipCounter = 0;
/** A different client address per request: the per-IP limits of sign-in, sign-up and resets stay out of the way. */
const nextIp = () => {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

function baseBody(route: Route, env: Env): Record<string, unknown> {
  const config = CONFIG[route.key];
  if (config?.body) return config.body(env);
  return (minimal(route.body ?? {}) as Record<string, unknown>) ?? {};
}

type Built = { options: InjectOptions; expect?: Case["expect"]; body?: unknown };

function buildRequest(kase: Case, env: Env): Built {
  const { route } = kase;
  const options: InjectOptions = { method: route.method, url: "", remoteAddress: nextIp() };
  let path = urlFor(
    route,
    env,
    kase.location === "path" ? { name: kase.field, segment: String(kase.value) } : undefined,
  );
  const query = kase.location === "query" ? queryPart(kase.field, kase.value) : "";
  if (query) path += `?${query}`;
  options.url = path;
  let expectation = kase.expect;
  let body: unknown;
  if (kase.raw) {
    options.payload = kase.raw.payload;
    options.headers = { "content-type": kase.raw.contentType };
  } else if (route.multipart) {
    Object.assign(options, multipart("fuzz.png", PNG, "image/png"));
  } else if (route.body) {
    const base = baseBody(route, env);
    if (kase.location === "body" && kase.target) {
      body = setAt(base, kase.target, kase.value, route.body);
      const schema =
        bodyTargets(route.body).find((t) => t.target.join(".") === kase.target?.join("."))?.schema ?? {};
      // What the server parses: JSON has no Infinity, -0 or undefined.
      const sent: unknown = kase.value === undefined ? undefined : JSON.parse(JSON.stringify(kase.value));
      expectation = expectationFor(schema, sent, kase.field, "body", body);
    } else if (kase.location === "extra field") {
      body = { ...base, ...(kase.value as object) };
      if (JSON.stringify(body).length > MB)
        expectation = { statuses: [400, 413], why: "an unknown body field is refused" };
    } else body = base;
    options.payload = JSON.stringify(body);
    options.headers = { "content-type": "application/json" };
  }
  return { options, expect: expectation, body };
}

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

const LEAKS: Array<[string, RegExp]> = [
  ["stack trace", /(^|\\n|\n)\s{4}at \S/],
  ["file position", /\.(?:[cm]?[jt]s|tsx?):\d+/],
  ["SQL select", /select /i],
  ["SQL insert", /insert into/i],
  ["SQL update", /update "?\w+"? set /i],
  ["constraint violation", /violates/i],
  ["duplicate key", /duplicate key/i],
  [
    "PostgreSQL message",
    /syntax error at or near|invalid input syntax|out of range for type|value too long for type|invalid byte sequence|unsupported Unicode escape|relation "|column "|SQLSTATE|Failed query|params:/i,
  ],
  ["postgres", /postgres|pglite|node_modules|drizzle/i],
];
/** Only in error bodies: a 2xx body may hold user text that happens to have these letters. */
const ERROR_LEAKS: Array<[string, RegExp]> = [["pg", /\bpg\b/i]];

type Failure = {
  rule: string;
  route: string;
  location: Location;
  field: string;
  tag: string;
  caller: Caller;
  status: number;
  detail: string;
  snippet: string;
};

const failures: Failure[] = [];
let requests = 0;
let caseCount = 0;
const routesWalked = new Set<string>();

function snippetOf(response: LightMyRequestResponse): string {
  return response.body.slice(0, 300).replace(/\s+/g, " ");
}

// ---------------------------------------------------------------------------------------------
// The suite
// ---------------------------------------------------------------------------------------------

const t: TestContext = await createTestContext();
components = {};
const document = t.app.swagger() as unknown as OpenApiDocument;
components = document.components?.schemas ?? {};
const routes = routesOf(document);
const plan = new Map(routes.map((route) => [route.key, planRoute(route)] as const));
let env: Env;
let fingerprintSql = "";

/** Row count and newest row version (xmin) of every table of the public schema. */
async function fingerprint(): Promise<Map<string, string>> {
  const result: unknown = await t.services.database.db.execute(sql.raw(fingerprintSql));
  const { rows } = result as { rows: Array<{ t: string; n: number | string; x: number | string | null }> };
  return new Map(rows.map((row) => [row.t, `${row.n}/${row.x ?? "-"}`]));
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after]
    .filter(([table, value]) => before.get(table) !== value)
    .map(([table, value]) => `${table} ${before.get(table)}→${value}`);
}

async function signIn(user: User): Promise<string> {
  const response = await t.request({
    method: "POST",
    url: "/api/auth/login",
    payload: { login: user.username, password: user.password },
    remoteAddress: nextIp(),
  });
  if (response.statusCode !== 200) throw new Error(`the victim could not sign in: ${response.body}`);
  return response.json<{ access: string }>().access;
}

let lastFingerprint: Map<string, string> | null = null;
const HANG_MS = 5_000;

/** Sends one request and applies every rule; returns the response. */
async function send(kase: Case, built: Built): Promise<LightMyRequestResponse | null> {
  const token =
    kase.caller === "anonymous"
      ? null
      : kase.caller === "victim"
        ? await signIn(env.victim)
        : env[kase.caller].token;
  if (kase.caller === "victim" || !lastFingerprint) lastFingerprint = await fingerprint();
  const before = lastFingerprint;
  const headers = {
    ...(built.options.headers as Record<string, string> | undefined),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
  const pending = t.app.inject({ ...built.options, headers });
  const response = await Promise.race([
    pending,
    new Promise<null>((resolve) => setTimeout(() => resolve(null), HANG_MS)),
  ]);
  requests++;
  if (!response) {
    // A request that never ends holds a connection and its handler for good.
    failures.push({
      rule: `no response within ${HANG_MS / 1000} s`,
      route: kase.route.key,
      location: kase.location,
      field: kase.field,
      tag: kase.tag,
      caller: kase.caller,
      status: 0,
      detail: "the request hangs",
      snippet: "",
    });
    lastFingerprint = null;
    return null;
  }
  const after = await fingerprint();
  lastFingerprint = after;
  const fail = (rule: string, detail = "") =>
    failures.push({
      rule,
      route: kase.route.key,
      location: kase.location,
      field: kase.field,
      tag: kase.tag,
      caller: kase.caller,
      status: response.statusCode,
      detail,
      snippet: snippetOf(response),
    });

  const status = response.statusCode;
  // FUZZ_TRACE=1 lists every case with its status, to see what the plan does.
  if (process.env.FUZZ_TRACE)
    console.log(
      `trace ${status} ${kase.route.key} ${kase.location}:${kase.field} «${kase.tag}» as ${kase.caller}`,
    );
  const contentType = String(response.headers["content-type"] ?? "");
  if (status >= 500) fail("5xx");
  if (status >= 400 && !contentType.includes("application/problem+json"))
    fail("error not problem+json", contentType);
  if (/json|text|csv/.test(contentType) || !contentType) {
    for (const [name, pattern] of status >= 400 ? [...LEAKS, ...ERROR_LEAKS] : LEAKS) {
      if (pattern.test(response.body)) fail(`leak: ${name}`, pattern.exec(response.body)?.[0] ?? "");
    }
  }
  if (status >= 400 && status < 500) {
    const changed = changedTables(before, after);
    if (changed.length) fail("database changed after a 4xx", changed.join(", "));
  }
  const expectation = built.expect;
  if (expectation && status < 500) {
    // The tests run without a job queue, and then every job route answers 409 jobs_disabled first
    // (a state of the installation, said the same for any id): nothing is served to the hostile value.
    const jobsDisabled = status === 409 && kase.route.key.includes("/api/admin/jobs") && response.body.includes("/jobs_disabled");
    if (!expectation.statuses.includes(status) && !jobsDisabled)
      fail(`expected ${expectation.statuses.join("/")}`, expectation.why);
    else if (status === 400 && expectation.field !== undefined && contentType.includes("json")) {
      const problem = response.json<{ errors?: Array<{ path: string }>; detail?: string }>();
      const field = expectation.field;
      // A body that is a union (one shape or another) may only be able to say "not any of them", at its root.
      const unionBody = kase.location === "body" && branches(kase.route.body ?? {}).length > 1;
      const named = (problem.errors ?? []).some(
        (error) =>
          error.path === field ||
          error.path.startsWith(`${field}.`) ||
          field.startsWith(`${error.path}.`) ||
          (unionBody && error.path === ""),
      );
      if (!named)
        fail(
          "400 without a field error naming the field",
          `wanted ${field}; got ${JSON.stringify(problem.errors ?? [])}`,
        );
    }
  }
  // The victim's password follows a successful change.
  if (kase.route.key === "POST /api/auth/change-password" && status < 300 && built.body) {
    env.victim.password = String((built.body as { newPassword: string }).newPassword);
  }
  return response;
}

function report(list: Failure[]): string {
  const groups = new Map<string, { failure: Failure; count: number; examples: Set<string> }>();
  for (const failure of list) {
    const key = `${failure.rule} | ${failure.route} | ${failure.status} | ${failure.location} ${failure.field}`;
    const group = groups.get(key) ?? { failure, count: 0, examples: new Set<string>() };
    group.count++;
    group.examples.add(`${failure.tag} as ${failure.caller}`);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .map(
      ([key, group]) =>
        `${key} ×${group.count} [${[...group.examples].slice(0, 6).join("; ")}] ${group.failure.detail ? `(${group.failure.detail.slice(0, 160)}) ` : ""}→ ${group.failure.snippet.slice(0, 200)}`,
    )
    .join("\n");
}

async function post(token: string, url: string, payload: Record<string, unknown>): Promise<string> {
  const response = await t.request({ method: "POST", url, token, payload });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(201);
  return response.json<{ id: string }>().id;
}

async function tinyPng(): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 80, b: 20 } } })
    .png()
    .toBuffer();
}

beforeAll(async () => {
  const org = await buildOrg(t);
  const admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
  const superuser = await buildUser(t, { isSuperuser: true });
  const victim = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  const member = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  const outsiderOfProject = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  const teamId = await post(admin.token, "/api/teams", {
    orgId: org.id,
    name: "Fuzz base team",
    memberIds: [member.id],
  });
  const clientId = await post(admin.token, "/api/clients", { orgId: org.id, name: "Fuzz base client" });
  const projectId = await post(admin.token, "/api/projects", {
    orgId: org.id,
    name: "Fuzz base project",
    key: "FUZZBASE",
    clientId,
    teamId,
    cost: "1000.00",
  });
  const added = await t.request({
    method: "POST",
    url: `/api/projects/${projectId}/members`,
    token: admin.token,
    payload: { userId: member.id, role: "member" },
  });
  expect(added.statusCode, added.body).toBeLessThan(300);
  const paymentId = await post(admin.token, `/api/projects/${projectId}/payments`, {
    amount: "100.00",
    method: "cash",
    paidOn: "2026-01-15",
  });
  const upload = await t.request({
    method: "POST",
    url: `/api/projects/${projectId}/files`,
    token: admin.token,
    ...multipart("base.png", PNG, "image/png"),
  });
  expect(upload.statusCode, upload.body).toBe(201);
  const fileId = upload.json<{ id: string }>().id;
  const role = await t.request({
    method: "POST",
    url: `/api/orgs/${org.slug}/roles`,
    token: admin.token,
    payload: { key: "fuzz_base", name: "Fuzz base", permissions: ["projects.view"] },
  });
  expect(role.statusCode, role.body).toBe(201);
  const audit = await t.request({ method: "GET", url: "/api/audit?pageSize=1", token: superuser.token });
  const auditId =
    audit.json<{ items: Array<{ id: string }> }>().items[0]?.id ?? "00000000-0000-4000-8000-000000000000";
  const ticketId = await post(admin.token, "/api/tickets", { projectId, title: "Fuzz ticket", severity: "low" });
  const ticketCommentId = await post(admin.token, `/api/tickets/${ticketId}/comments`, { body: "Fuzz answer" });
  const taskId = await post(admin.token, "/api/tasks", { projectId, title: "Fuzz task" });
  const commentId = await post(admin.token, `/api/tasks/${taskId}/comments`, { body: "Fuzz comment" });
  const timeEntryId = await post(admin.token, `/api/tasks/${taskId}/time-entries`, { minutes: 30, spentOn: "2026-01-15" });
  const scratch = {
    projectId: await post(admin.token, "/api/projects", {
      orgId: org.id,
      name: "Fuzz scratch project",
      key: "FUZZSCR",
    }),
    teamId: await post(admin.token, "/api/teams", { orgId: org.id, name: "Fuzz scratch team" }),
    memberId: (await buildUser(t, { orgId: org.id, roles: ["developer"] })).id,
  };
  env = {
    org,
    admin,
    superuser,
    victim,
    member,
    outsiderOfProject,
    teamId,
    clientId,
    projectId,
    paymentId,
    fileId,
    auditId,
    ticketId,
    ticketCommentId,
    taskId,
    commentId,
    timeEntryId,
    roleKey: "fuzz_base",
    scratch,
  };

  const listed: unknown = await t.services.database.db.execute(
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const tables = listed as { rows: Array<{ name: string }> };
  fingerprintSql = tables.rows
    .map(
      ({ name }) =>
        `select '${name}' as t, count(*)::int as n, max(xmin::text::bigint)::text as x from "${name}"`,
    )
    .join(" union all ");
  expect(tables.rows.length).toBeGreaterThan(5);
});

afterAll(async () => {
  const counted = `fuzz: ${caseCount} cases (${requests} requests) over ${routesWalked.size} routes, seed ${SEED}`;
  console.log(counted);
  if (failures.length) console.log(`fuzz failures (${failures.length}, grouped):\n${report(failures)}`);
  await t.close();
});

describe(`fuzz of every route of the OpenAPI document (seed ${SEED})`, () => {
  it("finds the routes to walk", () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(
      routes
        .filter((route) => route.multipart)
        .map((route) => route.key)
        .sort(),
    ).toEqual([
      "POST /api/projects/{id}/files",
      "POST /api/tasks/{id}/attachments",
      "POST /api/ticket-comments/{id}/attachments",
      "POST /api/tickets/{id}/attachments",
      "PUT /api/me/avatar",
    ]);
  });

  it("sees an update that adds no row in the database fingerprint", async () => {
    const before = await fingerprint();
    const response = await t.request({
      method: "PATCH",
      url: `/api/clients/${env.clientId}`,
      token: env.admin.token,
      payload: { notes: "fingerprint check" },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(changedTables(before, await fingerprint()).join(" ")).toMatch(/\bclients\b/);
    lastFingerprint = null;
  });

  for (const route of routes) {
    const cases = plan.get(route.key) ?? [];
    it(
      `${route.key}: ${cases.length} hostile cases${route.multipart ? " and hostile multipart bodies" : ""}`,
      { timeout: 60_000 },
      async () => {
        const before = failures.length;
        routesWalked.add(route.key);
        for (const kase of cases) {
          caseCount++;
          await send(kase, buildRequest(kase, env));
        }
        if (route.multipart) await multipartCases(route);
        const mine = failures.slice(before);
        expect(mine, report(mine)).toEqual([]);
      },
    );
  }
});

/** Hand-made multipart bodies: empty file, two file parts, odd file names, broken framing. */
async function multipartCases(route: Route) {
  const image = route.path === "/api/me/avatar" ? await tinyPng() : PNG;
  const boundary = "----cairn-fuzz-boundary-91c3";
  const part = (name: string, filename: Buffer | string, content: Buffer, type = "image/png") =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="`),
      Buffer.from(filename),
      Buffer.from(`"\r\nContent-Type: ${type}\r\n\r\n`),
      content,
      Buffer.from("\r\n"),
    ]);
  const close = Buffer.from(`--${boundary}--\r\n`);
  const form = { "content-type": `multipart/form-data; boundary=${boundary}` };
  type Multi = {
    tag: string;
    payload: Buffer | string;
    headers: Record<string, string>;
    expect?: Case["expect"];
    nameMustNotHave?: (name: string) => boolean;
  };
  const bodies: Multi[] = [
    {
      tag: "empty (0-byte) file",
      payload: Buffer.concat([part("file", "empty.png", Buffer.alloc(0)), close]),
      headers: form,
      expect: { statuses: [400], why: "an empty upload is refused" },
    },
    {
      tag: "two file parts",
      payload: Buffer.concat([part("file", "a.png", image), part("file", "b.png", image), close]),
      headers: form,
      expect: { statuses: [400, 413], why: "two files where one is taken" },
    },
    {
      tag: "filename with NUL",
      payload: Buffer.concat([part("file", "evil\u0000.png", image), close]),
      headers: form,
      nameMustNotHave: (name) => name.includes("\u0000"),
    },
    {
      tag: "filename with lone surrogate bytes",
      payload: Buffer.concat([
        part("file", Buffer.from([0x78, 0xed, 0xa0, 0x80, 0x2e, 0x70, 0x6e, 0x67]), image),
        close,
      ]),
      headers: form,
      nameMustNotHave: (name) => LONE_SURROGATE.test(name),
    },
    {
      tag: "filename of 300 characters",
      payload: Buffer.concat([part("file", `${"n".repeat(296)}.png`, image), close]),
      headers: form,
    },
    {
      tag: "traversal filename",
      payload: Buffer.concat([part("file", "../../../../etc/passwd", image), close]),
      headers: form,
      nameMustNotHave: (name) => /[/\\]/.test(name),
    },
    {
      tag: "field not named file",
      payload: Buffer.concat([part("upload", "a.png", image), close]),
      headers: form,
      expect: { statuses: [400], why: "the file must be in the field file" },
    },
    {
      tag: "no closing boundary",
      payload: part("file", "a.png", image),
      headers: form,
      expect: { statuses: [400, 413], why: "a truncated multipart body is refused" },
    },
    {
      tag: "no boundary parameter",
      payload: Buffer.concat([part("file", "a.png", image), close]),
      headers: { "content-type": "multipart/form-data" },
      expect: { statuses: [400, 415], why: "multipart without a boundary is refused" },
    },
    {
      tag: "JSON instead of multipart",
      payload: "{}",
      headers: { "content-type": "application/json" },
      expect: { statuses: [400, 415], why: "the route takes multipart" },
    },
    {
      tag: "text field with NUL then file",
      payload: Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\na\u0000b\r\n`),
        part("file", "a.png", image),
        close,
      ]),
      headers: form,
    },
  ];
  for (const body of bodies) {
    for (const caller of ["admin", "anonymous"] as const) {
      const kase: Case = {
        route,
        caller,
        location: "multipart",
        field: "file",
        tag: body.tag,
        expect:
          caller === "anonymous"
            ? { statuses: [400, 401, 403, 404, 413, 415], why: "anonymous may not upload" }
            : body.expect,
      };
      caseCount++;
      const response = await send(kase, {
        options: {
          method: route.method,
          url: urlFor(route, env),
          payload: body.payload,
          headers: body.headers,
          remoteAddress: nextIp(),
        },
        expect: kase.expect,
      });
      if (response && body.nameMustNotHave && response.statusCode < 300 && route.path !== "/api/me/avatar") {
        const name = response.json<{ name?: string }>().name ?? "";
        if (body.nameMustNotHave(name)) {
          failures.push({
            rule: "stored file name keeps hostile characters",
            route: route.key,
            location: "multipart",
            field: "filename",
            tag: body.tag,
            caller,
            status: response.statusCode,
            detail: JSON.stringify(name).slice(0, 80),
            snippet: snippetOf(response),
          });
        }
      }
    }
  }
}

describe("percent-encoded paths", () => {
  const urls: Array<{ url: string; expect: number[] }> = [
    { url: "/%61pi/me", expect: [401] },
    { url: "/api/%6De", expect: [401] },
    { url: "/api/nothing-%00-here", expect: [400, 404] },
    { url: "/api/projects/%", expect: [400, 404] },
    { url: "/api/projects/%zz/files", expect: [400, 404] },
    { url: "/api/%2e%2e/api/me", expect: [400, 401, 404] },
    { url: "/api/projects/..%2f..%2fapi%2fme", expect: [400, 404] },
    { url: "/%2fapi/me", expect: [400, 401, 404] },
    { url: "/api/%ED%A0%80", expect: [400, 404] },
    { url: `/api/${"%41".repeat(5000)}`, expect: [400, 404, 414] },
  ];
  it("answers every odd API path with a problem+json 4xx, never a page or a 5xx", async () => {
    const before = failures.length;
    const route: Route = {
      method: "GET",
      path: "(url)",
      key: "GET (odd URLs)",
      pathParams: [],
      queryParams: [],
      body: null,
      multipart: false,
    };
    for (const { url, expect: statuses } of urls) {
      for (const caller of ["anonymous", "admin"] as const) {
        const kase: Case = {
          route,
          caller,
          location: "url",
          field: url.slice(0, 60),
          tag: url.slice(0, 60),
          expect: {
            statuses: caller === "admin" && statuses.includes(401) ? [200, 400, 404] : statuses,
            why: "an odd path is served as its decoded route or refused",
          },
        };
        caseCount++;
        await send(kase, { options: { method: "GET", url, remoteAddress: nextIp() }, expect: kase.expect });
      }
    }
    const mine = failures.slice(before);
    expect(mine, report(mine)).toEqual([]);
  });

  it("counts percent-encoded API paths against the per-IP API budget", async () => {
    const limited = await createTestContext({ env: { RATE_LIMIT_PER_MINUTE: "5" } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push(
          (
            await limited.app.inject({
              method: "GET",
              url: i % 2 ? "/%61pi/me" : "/api/%6De",
              remoteAddress: "10.200.0.1",
            })
          ).statusCode,
        );
      expect(statuses, "the 6th request of the minute is throttled").toContain(429);
      const throttled = await limited.app.inject({
        method: "GET",
        url: "/%61pi/nothing",
        remoteAddress: "10.200.0.1",
      });
      expect(throttled.statusCode).toBe(429);
      expect(throttled.headers["content-type"]).toContain("application/problem+json");
    } finally {
      await limited.close();
    }
  });
});

describe("the error handler in development mode", () => {
  it("keeps internals out of a 500 and maps database refusals (unique → 409 naming the field, data exception → 400)", async () => {
    const databaseError = (message: string, fields: Record<string, string>) =>
      Object.assign(new Error(message), fields);
    const dev = await createTestContext({
      env: { NODE_ENV: "development" },
      extend: (app) => {
        app.get("/api/__fuzz/boom", { schema: { hide: true } }, () => {
          throw new Error('Failed query: select * from "users" where "id" = $1\nparams: 1');
        });
        app.get("/api/__fuzz/unique", { schema: { hide: true } }, () => {
          throw new Error('Failed query: insert into "teams" …', {
            cause: databaseError('duplicate key value violates unique constraint "teams_org_name_key"', {
              code: "23505",
              detail: "Key (org_id, lower(name::text))=(0d6f…, race team) already exists.",
              constraint: "teams_org_name_key",
              table: "teams",
            }),
          });
        });
        app.get("/api/__fuzz/range", { schema: { hide: true } }, () => {
          throw new Error('Failed query: insert into "payments" …', {
            cause: databaseError("numeric field overflow", {
              code: "22003",
              detail: "A field with precision 12, scale 2 must round to an absolute value less than 10^10.",
            }),
          });
        });
      },
    });
    try {
      const boom = await dev.request({ method: "GET", url: "/api/__fuzz/boom" });
      expect(boom.statusCode).toBe(500);
      expect(boom.headers["content-type"]).toContain("application/problem+json");
      for (const [name, pattern] of [...LEAKS, ...ERROR_LEAKS]) expect(boom.body, name).not.toMatch(pattern);

      const unique = await dev.request({ method: "GET", url: "/api/__fuzz/unique" });
      expect(unique.statusCode, unique.body).toBe(409);
      expect(
        unique.json<{ errors?: Array<{ path: string }> }>().errors?.map((error) => error.path),
      ).toContain("name");
      for (const [name, pattern] of [...LEAKS, ...ERROR_LEAKS])
        expect(unique.body, name).not.toMatch(pattern);

      const range = await dev.request({ method: "GET", url: "/api/__fuzz/range" });
      expect(range.statusCode, range.body).toBe(400);
      for (const [name, pattern] of [...LEAKS, ...ERROR_LEAKS]) expect(range.body, name).not.toMatch(pattern);
    } finally {
      await dev.close();
    }
  });
});
