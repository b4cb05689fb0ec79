import { DEFAULT_ROLE_KEYS, type DefaultRoleKey } from "@cairn/shared";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "./harness.js";

export type Caller = DefaultRoleKey | "anonymous" | "superuser" | "outsider";

export type MatrixUser = Awaited<ReturnType<typeof buildUser>>;

/** Two organizations: A with one member per default role, B with its own admin (the outsider's home). */
export type MatrixFixture = {
  t: TestContext;
  orgA: { id: string; slug: string };
  orgB: { id: string; slug: string };
  users: Record<DefaultRoleKey, MatrixUser>;
  superuser: MatrixUser;
  /** Admin of organization B: a stranger to everything in A. */
  outsider: MatrixUser;
  /** Whatever a module's `setup` made (objects in A and B the cases refer to). */
  data: Record<string, string>;
};

export type MatrixCase = {
  name: string;
  request: (fx: MatrixFixture, caller: MatrixUser | null) => InjectOptions;
  /** Expected status per caller; callers left out are not exercised. */
  expect: Partial<Record<Caller, number>>;
};

/** Shorthand: the same status for each listed caller. */
export function statuses(status: number, callers: readonly Caller[]): Partial<Record<Caller, number>> {
  return Object.fromEntries(callers.map((caller) => [caller, status]));
}

export const ALL_ROLES: readonly DefaultRoleKey[] = DEFAULT_ROLE_KEYS;

/** Every default role that is not in `granted`. */
export function rolesWithout(granted: readonly DefaultRoleKey[]): DefaultRoleKey[] {
  return DEFAULT_ROLE_KEYS.filter((role) => !granted.includes(role));
}

/**
 * Runs a role × endpoint table: one test per (case, caller) pair, each
 * asserting the status. A 403 must name a permission in `detail`.
 */
export function runMatrix(
  title: string,
  cases: MatrixCase[],
  setup?: (fx: MatrixFixture) => Promise<Record<string, string>>,
) {
  describe(title, () => {
    const fx = {} as MatrixFixture;
    beforeAll(async () => {
      fx.t = await createTestContext();
      fx.orgA = await buildOrg(fx.t);
      fx.orgB = await buildOrg(fx.t);
      const users = {} as Record<DefaultRoleKey, MatrixUser>;
      for (const role of DEFAULT_ROLE_KEYS) users[role] = await buildUser(fx.t, { orgId: fx.orgA.id, roles: [role] });
      fx.users = users;
      fx.superuser = await buildUser(fx.t, { isSuperuser: true });
      fx.outsider = await buildUser(fx.t, { orgId: fx.orgB.id, roles: ["admin"] });
      fx.data = setup ? await setup(fx) : {};
    });
    afterAll(() => fx.t.close());

    for (const testCase of cases) {
      for (const [caller, status] of Object.entries(testCase.expect) as Array<[Caller, number]>) {
        it(`${testCase.name} as ${caller} → ${status}`, async () => {
          const user =
            caller === "anonymous" ? null : caller === "superuser" ? fx.superuser : caller === "outsider" ? fx.outsider : fx.users[caller];
          const response = await fx.t.app.inject({
            ...testCase.request(fx, user),
            headers: { ...testCase.request(fx, user).headers, ...(user ? { authorization: `Bearer ${user.token}` } : {}) },
          });
          expect(response.statusCode, response.body).toBe(status);
          // A 403 says what is missing: a permission, or that only the superuser may.
          if (status === 403) {
            expect(response.json<{ detail: string }>().detail).toMatch(/You need the [a-z_]+\.[a-z_]+ permission|Only the platform superuser/);
          }
        });
      }
    }
  });
}
