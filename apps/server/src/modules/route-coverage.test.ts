import { readdir } from "node:fs/promises";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/harness.js";
import { collectMatrices, requestMatchesRoute, type MatrixDeclaration } from "../../test/matrix.js";

/**
 * The contract of authorization: every route of the application is in a role
 * matrix (*.matrix.test.ts), which calls it as each role, the superuser, an
 * outsider and nobody. A new route without a matrix row fails here, named.
 */

/** Routes no matrix needs: the API's documentation and the proxy's probes. */
const UNGUARDED = [/^\/api\/docs\b/, /^\/api\/openapi\.json$/, /^\/api\/health$/, /^\/api\/ready$/];

const isGuarded = (route: string) => {
  const routePath = route.slice(route.indexOf(" ") + 1);
  return routePath.startsWith("/api/") && !UNGUARDED.some((pattern) => pattern.test(routePath));
};

/** The same route whatever its parameters are called: `GET /api/teams/{id}` and `GET /api/teams/{teamId}` are one. */
const shape = (route: string) => route.replace(/\{[^}]+\}/g, "{}");

const normalise = (routePath: string) => (routePath.length > 1 ? routePath.replace(/\/$/, "") : routePath);

/**
 * Every method and path the router answers, read from its printed tree (each
 * line a node, four characters of indent per level, the node's methods in
 * parentheses). HEAD routes Fastify adds beside each GET are left out.
 */
function routerRoutes(app: FastifyInstance): string[] {
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? "").length / 4;
    stack.length = depth;
    const full = (stack[depth - 1] ?? "") + (match[2] ?? "");
    stack[depth] = full;
    const methods = match[3]?.split(", ") ?? [];
    const routePath = normalise(full.replace(/:([A-Za-z0-9_]+)/g, "{$1}"));
    for (const method of methods) {
      if (method === "HEAD" && methods.includes("GET")) continue;
      routes.add(`${method} ${routePath}`);
    }
  }
  return [...routes].sort();
}

/** Every method and path the OpenAPI document describes. */
function documentedRoutes(app: FastifyInstance): string[] {
  const document = app.swagger() as { paths?: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths ?? {})
    .flatMap(([routePath, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${normalise(routePath)}`))
    .sort();
}

let t: TestContext;
let routes: string[];
let matrices: MatrixDeclaration[];

beforeAll(async () => {
  t = await createTestContext();
  routes = routerRoutes(t.app).filter(isGuarded);
  const src = path.resolve(import.meta.dirname, "..");
  const files = (await readdir(src, { recursive: true }))
    .filter((file) => file.endsWith(".matrix.test.ts"))
    .sort()
    .map((file) => path.join(src, file));
  matrices = await collectMatrices(files);
});
afterAll(() => t?.close());

describe("route coverage of the role matrices", () => {
  it("reads the routes the OpenAPI document describes from the router, and no undocumented one", () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes).toEqual(documentedRoutes(t.app).filter(isGuarded));
  });

  it("finds every route in some role matrix", () => {
    const declared = new Set(matrices.flatMap((matrix) => matrix.routes.map(shape)));
    const missing = routes.filter((route) => !declared.has(shape(route)));
    expect(missing, `${missing.length} of ${routes.length} routes are in no *.matrix.test.ts`).toEqual([]);
  });

  it("finds every route a matrix names in the application", () => {
    const existing = new Set(routes.map(shape));
    const stale = matrices.flatMap((matrix) => matrix.routes.filter((route) => !existing.has(shape(route))).map((route) => `${matrix.title}: ${route}`));
    expect(stale).toEqual([]);
  });
});

describe("a matrix row's request", () => {
  it("matches its route by method and path template, whatever the query string", () => {
    expect(requestMatchesRoute("GET /api/projects/{id}", { method: "GET", url: "/api/projects/42?x=1" })).toBe(true);
    expect(requestMatchesRoute("GET /api/projects/{id}", { method: "PATCH", url: "/api/projects/42" })).toBe(false);
    expect(requestMatchesRoute("GET /api/projects/{id}", { method: "GET", url: "/api/projects/42/members" })).toBe(false);
    expect(requestMatchesRoute("GET /api/reports/projects.csv", { method: "GET", url: "/api/reports/projectsXcsv" })).toBe(false);
  });
});
