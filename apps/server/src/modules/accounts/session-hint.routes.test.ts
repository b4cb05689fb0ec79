import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, PASSWORD, type TestContext } from "../../../test/harness.js";

/** The page reads `cairn_signed_in` to know whether a refresh is worth trying on load. */
let t: TestContext;
let user: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await createTestContext();
  user = await buildUser(t, { orgId: (await buildOrg(t)).id, roles: ["developer"] });
});
afterAll(() => t.close());

const cookiesOf = (header: string | string[] | undefined) => (Array.isArray(header) ? header : header ? [header] : []);

describe("the signed-in hint", () => {
  it("is set, readable by the page, with every new session and cleared on sign-out", async () => {
    const login = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: PASSWORD } });
    expect(login.statusCode).toBe(200);
    const hint = cookiesOf(login.headers["set-cookie"]).find((cookie) => cookie.startsWith("cairn_signed_in=1"));
    expect(hint).toBeDefined();
    expect(hint).toContain("Path=/");
    expect(hint).toContain("SameSite=Strict");
    expect(hint).not.toContain("HttpOnly");
    const refresh = cookiesOf(login.headers["set-cookie"]).find((cookie) => cookie.startsWith("cairn_refresh="));
    expect(refresh).toContain("HttpOnly");

    const { access, refresh: token } = login.json<{ access: string; refresh: string }>();
    const logout = await t.request({ method: "POST", url: "/api/auth/logout", payload: { refresh: token }, token: access });
    expect(logout.statusCode).toBe(204);
    expect(cookiesOf(logout.headers["set-cookie"]).some((cookie) => /^cairn_signed_in=;/.test(cookie))).toBe(true);
  });
});
