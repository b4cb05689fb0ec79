import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, createTestContext, mailText, PASSWORD, readMails, unique, type TestContext } from "../../../test/harness.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function register(accountType: "customer" | "developer" = "developer", overrides: Record<string, string> = {}) {
  const username = unique("reg");
  const response = await t.request({
    method: "POST",
    url: "/api/auth/register",
    payload: { email: `${username}@example.test`, username, password: PASSWORD, accountType, ...overrides },
  });
  return { response, username };
}

describe("registration", () => {
  it("creates the user, profile and membership of the open organization with the chosen role", async () => {
    const { response, username } = await register("customer");
    expect(response.statusCode).toBe(201);
    const body = response.json<{ access: string; refresh: string; user: { username: string } }>();
    expect(body.user.username).toBe(username);
    expect(String(response.headers["set-cookie"])).toContain("cairn_refresh=");
    const me = await t.request({ method: "GET", url: "/api/me", token: body.access });
    expect(me.statusCode).toBe(200);
    const data = me.json<{ profile: { displayName: string }; memberships: Array<{ org: { slug: string }; roles: string[]; permissions: string[] }> }>();
    expect(data.profile.displayName).toBe(username);
    expect(data.memberships).toHaveLength(1);
    expect(data.memberships[0]?.org.slug).toBe("cairn");
    expect(data.memberships[0]?.roles).toEqual(["customer"]);
    expect(data.memberships[0]?.permissions).toContain("developers.view");
    expect(data.memberships[0]?.permissions).not.toContain("members.manage");
  });

  it("refuses duplicates case-insensitively with field errors", async () => {
    const { username } = await register();
    const again = await t.request({
      method: "POST",
      url: "/api/auth/register",
      payload: { email: `${username.toUpperCase()}@EXAMPLE.TEST`, username: username.toUpperCase(), password: PASSWORD, accountType: "developer" },
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers["content-type"]).toContain("application/problem+json");
    expect(again.json<{ errors: Array<{ path: string }> }>().errors.map((error) => error.path).sort()).toEqual(["email", "username"]);
  });

  it.each([
    ["short", "Ab1-xyz", "At least 8 characters."],
    ["common", "password1", "This password is too common."],
    ["numeric", "83749201736", "This password is entirely numeric."],
  ])("refuses a %s password and creates nothing", async (_kind, password, message) => {
    const { response, username } = await register("developer", { password });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: Array<{ path: string; message: string }> }>().errors).toContainEqual({ path: "password", message });
    const login = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: username, password } });
    expect(login.statusCode).toBe(401);
  });

  it("refuses a password too like the username", async () => {
    const username = unique("sailfish");
    const response = await t.request({
      method: "POST",
      url: "/api/auth/register",
      payload: { email: `${username}@example.test`, username, password: `${username}!`, accountType: "developer" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain("too similar");
  });

  it("refuses an unknown account type with a problem naming the field", async () => {
    const response = await t.request({
      method: "POST",
      url: "/api/auth/register",
      payload: { email: "x@example.test", username: "someone", password: PASSWORD, accountType: "admin" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ errors: Array<{ path: string }> }>().errors[0]?.path).toBe("accountType");
  });
});

describe("sessions", () => {
  it("register → login → refresh → reuse kills the family → logout denies the access token", async () => {
    const { username } = await register();
    const login = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: `${username}@example.test`, password: PASSWORD } });
    expect(login.statusCode).toBe(200);
    const first = login.json<{ access: string; refresh: string }>();

    const rotated = await t.request({ method: "POST", url: "/api/auth/refresh", payload: { refresh: first.refresh } });
    expect(rotated.statusCode).toBe(200);
    const second = rotated.json<{ access: string; refresh: string }>();
    expect(second.refresh).not.toBe(first.refresh);

    const reuse = await t.request({ method: "POST", url: "/api/auth/refresh", payload: { refresh: first.refresh } });
    expect(reuse.statusCode).toBe(401);
    const killed = await t.request({ method: "POST", url: "/api/auth/refresh", payload: { refresh: second.refresh } });
    expect(killed.statusCode).toBe(401);
    // The family's access tokens die with it.
    expect((await t.request({ method: "GET", url: "/api/me", token: second.access })).statusCode).toBe(401);

    const again = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: username, password: PASSWORD } });
    const session = again.json<{ access: string; refresh: string }>();
    expect((await t.request({ method: "GET", url: "/api/me", token: session.access })).statusCode).toBe(200);
    const logout = await t.request({ method: "POST", url: "/api/auth/logout", token: session.access, payload: { refresh: session.refresh } });
    expect(logout.statusCode).toBe(204);
    expect((await t.request({ method: "GET", url: "/api/me", token: session.access })).statusCode).toBe(401);
    expect((await t.request({ method: "POST", url: "/api/auth/refresh", payload: { refresh: session.refresh } })).statusCode).toBe(401);
  });

  it("refreshes from the httpOnly cookie the web UI keeps", async () => {
    const user = await buildUser(t);
    const response = await t.request({ method: "POST", url: "/api/auth/refresh", cookies: { cairn_refresh: user.refresh }, payload: {} });
    expect(response.statusCode).toBe(200);
  });

  it("verify answers valid for a live token and 401 for garbage", async () => {
    const user = await buildUser(t);
    const ok = await t.request({ method: "POST", url: "/api/auth/verify", payload: { token: user.token } });
    expect(ok.json()).toEqual({ valid: true, userId: user.id });
    expect((await t.request({ method: "POST", url: "/api/auth/verify", payload: { token: "not.a.token" } })).statusCode).toBe(401);
  });

  it("a bad bearer token is a 401 problem", async () => {
    const response = await t.request({ method: "GET", url: "/api/me", token: "garbage" });
    expect(response.statusCode).toBe(401);
    expect(response.json<{ code: string }>().code).toBe("not_authenticated");
    expect((await t.request({ method: "GET", url: "/api/me" })).statusCode).toBe(401);
  });

  it("the same answer for an unknown user and a wrong password", async () => {
    const user = await buildUser(t);
    const unknown = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: unique("nobody"), password: PASSWORD } });
    const wrong = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: "Wrong-Password-123" } });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json<{ detail: string }>().detail).toBe(wrong.json<{ detail: string }>().detail);
  });
});

describe("login throttling", () => {
  it("11 wrong passwords: the 11th is 429 with Retry-After and the right password is refused too", async () => {
    const user = await buildUser(t);
    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: `Wrong-${attempt}-password` } });
      expect(response.statusCode).toBe(401);
    }
    const eleventh = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: "Wrong-11-password" } });
    expect(eleventh.statusCode).toBe(429);
    expect(Number(eleventh.headers["retry-after"])).toBeGreaterThan(0);
    const right = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: user.password } });
    expect(right.statusCode).toBe(429);
  });

  it("a successful login resets the count", async () => {
    const user = await buildUser(t);
    for (let attempt = 0; attempt < 9; attempt++) {
      await t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: "Wrong-password-x" } });
    }
    expect((await t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: user.password } })).statusCode).toBe(200);
    for (let attempt = 0; attempt < 9; attempt++) {
      const response = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: "Wrong-password-y" } });
      expect(response.statusCode).toBe(401);
    }
  });
});

describe("passwords", () => {
  it("change password revokes the other sessions and keeps this one", async () => {
    const user = await buildUser(t);
    const other = (await t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: user.password } })).json<{ access: string; refresh: string }>();
    const newPassword = "Amber-Kettle-Meadow-77";
    const change = await t.request({
      method: "POST",
      url: "/api/auth/change-password",
      token: user.token,
      payload: { currentPassword: user.password, newPassword },
    });
    expect(change.statusCode).toBe(204);
    expect((await t.request({ method: "GET", url: "/api/me", token: user.token })).statusCode).toBe(200);
    expect((await t.request({ method: "GET", url: "/api/me", token: other.access })).statusCode).toBe(401);
    expect((await t.request({ method: "POST", url: "/api/auth/refresh", payload: { refresh: other.refresh } })).statusCode).toBe(401);
    expect((await t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: newPassword } })).statusCode).toBe(200);
  });

  it("change password needs the current password", async () => {
    const user = await buildUser(t);
    const change = await t.request({
      method: "POST",
      url: "/api/auth/change-password",
      token: user.token,
      payload: { currentPassword: "Not-my-password-1", newPassword: "Amber-Kettle-Meadow-78" },
    });
    expect(change.statusCode).toBe(400);
    expect(change.json<{ errors: Array<{ path: string }> }>().errors[0]?.path).toBe("currentPassword");
  });

  it("password reset: 202 either way, an emailed single-use link sets the password", async () => {
    const user = await buildUser(t);
    const before = (await readMails(t)).length;
    const unknown = await t.request({ method: "POST", url: "/api/auth/password-reset", payload: { email: "nobody@example.test" } });
    expect(unknown.statusCode).toBe(202);
    expect((await readMails(t)).length).toBe(before);
    const response = await t.request({ method: "POST", url: "/api/auth/password-reset", payload: { email: user.email } });
    expect(response.statusCode).toBe(202);
    const mails = await readMails(t);
    expect(mails.length).toBe(before + 1);
    const text = mailText(mails.at(-1) ?? "");
    expect(text).toContain(`To: ${user.email}`);
    const token = /reset-password\?token=([\w-]+)/.exec(text)?.[1];
    expect(token).toBeTruthy();
    expect(text).toContain("Subject: Reset your Cairn password");
    expect(text).toContain(`href="${t.services.config.publicUrl}/reset-password?token=${token}"`);
    const newPassword = "Copper-Willow-Harbor-31";
    const confirm = await t.request({ method: "POST", url: "/api/auth/password-reset/confirm", payload: { token, newPassword } });
    expect(confirm.statusCode).toBe(204);
    const reused = await t.request({ method: "POST", url: "/api/auth/password-reset/confirm", payload: { token, newPassword: "Copper-Willow-Harbor-32" } });
    expect(reused.statusCode).toBe(400);
    expect((await t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: newPassword } })).statusCode).toBe(200);
    // Sessions from before the reset are gone.
    expect((await t.request({ method: "POST", url: "/api/auth/refresh", payload: { refresh: user.refresh } })).statusCode).toBe(401);
  });
});
