import { DEFAULT_ROLE_KEYS, type DefaultRoleKey, type Permission } from "@cairn/shared";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext, type TestOptions } from "./harness.js";

export type Caller = DefaultRoleKey | "anonymous" | "superuser" | "outsider";

/** Every caller a row must name: each default role of organization A, the superuser, an admin of B and nobody. */
export const CALLERS: readonly Caller[] = [...DEFAULT_ROLE_KEYS, "superuser", "outsider", "anonymous"];

export type MatrixUser = Awaited<ReturnType<typeof buildUser>>;

/**
 * A caller holding a custom role of organization A that a matrix declares in its
 * options (`custom:reader` for the role `reader`): rows of that matrix name it too.
 */
export type CustomCaller = `custom:${string}`;

/** A custom role a matrix adds to organization A, and one member holding it alone. */
export type CustomRole = { permissions: Permission[]; ownScoped?: Permission[] };

/**
 * What a matrix may add to the fixture: `customRoles` by key (a role key: lowercase letters, digits,
 * underscores), and options of its test context (e.g. `jobs: true` for the job monitor).
 */
export type MatrixOptions = { customRoles?: Record<string, CustomRole>; context?: TestOptions };

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * A route as the router knows it: the method and the path template with its
 * parameters in braces, as the OpenAPI document writes them (`GET /api/projects/{id}`).
 */
export type RouteKey = `${HttpMethod} /api/${string}`;

/** Two organizations: A with one member per default role, B with its own admin (the outsider's home). */
export type MatrixFixture = {
  t: TestContext;
  orgA: { id: string; slug: string };
  orgB: { id: string; slug: string };
  users: Record<DefaultRoleKey, MatrixUser>;
  superuser: MatrixUser;
  /** Admin of organization B: a stranger to everything in A. */
  outsider: MatrixUser;
  /** The holder of each custom role the matrix's options declare, by role key. */
  custom: Record<string, MatrixUser>;
  /** Whatever a module's `setup` made (objects in A and B the cases refer to). */
  data: Record<string, string>;
};

export type MatrixCase = {
  /** The route this row exercises: its request must be one of this route's (checked), and the route coverage test counts it. */
  route: RouteKey;
  /** The test's name when the route alone does not say what sets the row apart, e.g. `GET /api/teams/{id} (the caller is not a member)`. */
  name?: string;
  /** The request; a row's own `authorization` header wins over the caller's token (a request made with another session). */
  request: (fx: MatrixFixture, caller: MatrixUser | null) => InjectOptions;
  /** Expected status per caller: every caller of `CALLERS` (and each custom caller the matrix declares) is named (a row that leaves one out fails). */
  expect: Partial<Record<Caller | CustomCaller, number>>;
};

/** What a matrix file declares, for the route coverage test: its title and the routes of its rows. */
export type MatrixDeclaration = { title: string; routes: RouteKey[] };

const declarations: MatrixDeclaration[] = [];
let collecting = false;

/**
 * Imports matrix files for their declarations only (no test of theirs is
 * defined) and returns what every matrix loaded so far declares.
 */
export async function collectMatrices(files: readonly string[]): Promise<MatrixDeclaration[]> {
  collecting = true;
  try {
    for (const file of files) await import(file);
  } finally {
    collecting = false;
  }
  return [...declarations];
}

/** Shorthand: the same status for each listed caller. */
export function statuses(status: number, callers: readonly Caller[]): Partial<Record<Caller, number>> {
  return Object.fromEntries(callers.map((caller) => [caller, status]));
}

export const ALL_ROLES: readonly DefaultRoleKey[] = DEFAULT_ROLE_KEYS;

/** Every default role that is not in `granted`. */
export function rolesWithout(granted: readonly DefaultRoleKey[]): DefaultRoleKey[] {
  return DEFAULT_ROLE_KEYS.filter((role) => !granted.includes(role));
}

/** `/api/projects/{id}/members` → a pattern matching `/api/projects/<anything>/members` (a trailing slash aside). */
function templatePattern(path: string): RegExp {
  const source = path
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]+");
  return new RegExp(`^${source}/?$`);
}

/** Whether a request is one of a route's (method and path, the query string aside). */
export function requestMatchesRoute(route: RouteKey, request: InjectOptions): boolean {
  const [method, path = ""] = route.split(" ");
  const url = typeof request.url === "string" ? request.url : "";
  return (request.method ?? "GET").toUpperCase() === method && templatePattern(path).test(url.split("?")[0] ?? "");
}

/** Who a caller of a row is in a fixture (null: anonymous). */
export function matrixUser(fx: MatrixFixture, caller: Caller | CustomCaller): MatrixUser | null {
  if (caller === "anonymous") return null;
  if (caller === "superuser") return fx.superuser;
  if (caller === "outsider") return fx.outsider;
  if (caller.startsWith("custom:")) {
    const user = fx.custom[caller.slice("custom:".length)];
    if (!user) throw new Error(`${caller} is not declared in the matrix's options`);
    return user;
  }
  return fx.users[caller as DefaultRoleKey];
}

/**
 * Runs a role × endpoint table: one test per (case, caller) pair, each
 * asserting the status. A 403 must name a permission in `detail`; a 404 must
 * come from the route (an object it does not show), not from a path nothing
 * answers. Every matrix declares its routes for the route coverage test.
 */
export function runMatrix(title: string, cases: MatrixCase[], setup?: (fx: MatrixFixture) => Promise<Record<string, string>>, options: MatrixOptions = {}) {
  declarations.push({ title, routes: cases.map((testCase) => testCase.route) });
  if (collecting) return;
  const customRoles = Object.entries(options.customRoles ?? {});
  const required: Array<Caller | CustomCaller> = [...CALLERS, ...customRoles.map(([key]) => `custom:${key}` as const)];
  describe(title, () => {
    const fx = {} as MatrixFixture;
    beforeAll(async () => {
      fx.t = await createTestContext(options.context);
      fx.orgA = await buildOrg(fx.t);
      fx.orgB = await buildOrg(fx.t);
      const users = {} as Record<DefaultRoleKey, MatrixUser>;
      for (const role of DEFAULT_ROLE_KEYS) users[role] = await buildUser(fx.t, { orgId: fx.orgA.id, roles: [role] });
      fx.users = users;
      fx.superuser = await buildUser(fx.t, { isSuperuser: true });
      fx.outsider = await buildUser(fx.t, { orgId: fx.orgB.id, roles: ["admin"] });
      fx.custom = {};
      for (const [key, role] of customRoles) {
        const payload = { key, name: `Custom ${key}`, permissions: role.permissions, ownScoped: role.ownScoped ?? [] };
        const created = await fx.t.request({ method: "POST", url: `/api/orgs/${fx.orgA.slug}/roles`, token: fx.superuser.token, payload });
        if (created.statusCode !== 201) throw new Error(`custom role ${key}: ${created.body}`);
        fx.custom[key] = await buildUser(fx.t, { orgId: fx.orgA.id, roles: [key] });
      }
      fx.data = setup ? await setup(fx) : {};
    });
    afterAll(() => fx.t?.close());

    it("names every caller in every row (each role, the superuser, an outsider and nobody)", () => {
      const gaps = cases.flatMap((testCase) => {
        const missing = required.filter((caller) => testCase.expect[caller] === undefined);
        return missing.length ? [`${testCase.name ?? testCase.route}: ${missing.join(", ")}`] : [];
      });
      expect(gaps).toEqual([]);
    });

    for (const testCase of cases) {
      const label = testCase.name ?? testCase.route;
      for (const [caller, status] of Object.entries(testCase.expect) as Array<[Caller | CustomCaller, number]>) {
        it(`${label} as ${caller} → ${status}`, async () => {
          const user = matrixUser(fx, caller);
          const options = testCase.request(fx, user);
          expect(requestMatchesRoute(testCase.route, options), `${label} requests ${options.method ?? "GET"} ${JSON.stringify(options.url)}`).toBe(true);
          const response = await fx.t.app.inject({
            ...options,
            headers: { ...(user ? { authorization: `Bearer ${user.token}` } : {}), ...options.headers },
          });
          expect(response.statusCode, response.body).toBe(status);
          // A 403 says what is missing: a permission, or that only the superuser (or an object's author) may.
          if (status === 403) {
            expect(response.json<{ detail: string }>().detail).toMatch(/You need the [a-z_]+\.[a-z_]+ permission|Only the platform superuser|Only its author/);
          }
          // A 404 hides an object; the router's own 404 would mean the row asks for a path that does not exist.
          if (status === 404) expect(response.json<{ detail: string }>().detail).not.toMatch(/^Nothing is at /);
        });
      }
    }
  });
}
