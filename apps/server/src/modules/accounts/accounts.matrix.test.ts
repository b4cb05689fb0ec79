import { buildUser } from "../../../test/factories.js";
import { ALL_ROLES, runMatrix, statuses, type Caller, type MatrixFixture, type MatrixUser } from "../../../test/matrix.js";
import { matrixCallers, perCaller } from "../projects/fixtures.test-util.js";

/**
 * Sign-in, sessions and passwords × callers. These endpoints serve people
 * before they hold a token, so "anonymous" acts as a visitor who has an
 * account (its credentials and sessions made in the setup); a signed-in caller
 * is served the same. Requests that end a session use a sign-in of their own,
 * so the caller's token stays good for the rows after.
 */

const signedIn = [...ALL_ROLES, "superuser", "outsider"] as const satisfies readonly Caller[];
const everyone = [...signedIn, "anonymous"] as const satisfies readonly Caller[];

/** A spare sign-in of a caller (or of the visitor, for anonymous): `${prefix}:access` and `${prefix}:refresh` tokens. */
async function signIn(fx: MatrixFixture, data: Record<string, string>, key: string, user: { username: string; password: string }, purpose: string) {
  const response = await fx.t.request({ method: "POST", url: "/api/auth/login", payload: { login: user.username, password: user.password } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
  const session = response.json<{ access: string; refresh: string }>();
  data[`${purpose}-access:${key}`] = session.access;
  data[`${purpose}-refresh:${key}`] = session.refresh;
}

/** Who makes the request: the caller, or the visitor for anonymous. */
function person(fx: MatrixFixture, caller: MatrixUser | null) {
  const key = caller?.username ?? "anonymous";
  return {
    username: caller?.username ?? fx.data["visitor:username"] ?? "",
    email: caller?.email ?? fx.data["visitor:email"] ?? "",
    password: caller?.password ?? fx.data["visitor:password"] ?? "",
    token: caller?.token ?? fx.data["visitor:token"] ?? "",
    key: key.replace(/[^a-z0-9]/g, "").slice(-20),
  };
}

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const visitor = await buildUser(fx.t, { orgId: fx.orgA.id, roles: ["customer"] });
  const data: Record<string, string> = {
    "visitor:username": visitor.username,
    "visitor:email": visitor.email,
    "visitor:password": visitor.password,
    "visitor:token": visitor.token,
  };
  const people: Array<[string, { username: string; password: string }]> = [...matrixCallers(fx), ["anonymous", visitor]];
  for (const [key, user] of people) {
    await signIn(fx, data, key, user, "rotate");
    await signIn(fx, data, key, user, "leave");
  }
  return data;
}

runMatrix(
  "sign-in and session endpoints × callers",
  [
    {
      route: "POST /api/auth/login",
      name: "POST /api/auth/login (own credentials)",
      request: (fx, caller) => ({ method: "POST", url: "/api/auth/login", payload: { login: person(fx, caller).username, password: person(fx, caller).password } }),
      expect: statuses(200, everyone),
    },
    {
      route: "POST /api/auth/login",
      name: "POST /api/auth/login (a wrong password)",
      request: (fx, caller) => ({ method: "POST", url: "/api/auth/login", payload: { login: person(fx, caller).username, password: "Not-The-Password-0" } }),
      expect: statuses(401, everyone),
    },
    {
      route: "POST /api/auth/refresh",
      request: (fx, caller) => ({ method: "POST", url: "/api/auth/refresh", payload: { refresh: perCaller(fx, "rotate-refresh", caller) } }),
      expect: statuses(200, everyone),
    },
    {
      route: "POST /api/auth/verify",
      name: "POST /api/auth/verify (own access token)",
      request: (fx, caller) => ({ method: "POST", url: "/api/auth/verify", payload: { token: person(fx, caller).token } }),
      expect: statuses(200, everyone),
    },
    {
      route: "POST /api/auth/verify",
      name: "POST /api/auth/verify (a forged token)",
      request: () => ({ method: "POST", url: "/api/auth/verify", payload: { token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged" } }),
      expect: statuses(401, everyone),
    },
    {
      route: "POST /api/auth/logout",
      name: "POST /api/auth/logout (a sign-in of the caller's)",
      request: (fx, caller) => ({
        method: "POST",
        url: "/api/auth/logout",
        payload: { refresh: perCaller(fx, "leave-refresh", caller) },
        // The visitor's refresh token alone ends their sign-in: logging out needs no access token.
        headers: caller ? { authorization: `Bearer ${perCaller(fx, "leave-access", caller)}` } : {},
      }),
      expect: statuses(204, everyone),
    },
    {
      route: "POST /api/auth/register",
      request: (fx, caller) => {
        const username = `reg-${person(fx, caller).key}`;
        return { method: "POST", url: "/api/auth/register", payload: { email: `${username}@example.test`, username, password: "Amber-Quarry-Violin-73", accountType: "developer" } };
      },
      // Joining the open organization is for anyone; a signed-in caller simply makes another account.
      expect: statuses(201, everyone),
    },
    {
      route: "POST /api/auth/password-reset",
      request: (fx, caller) => ({ method: "POST", url: "/api/auth/password-reset", payload: { email: person(fx, caller).email } }),
      expect: statuses(202, everyone),
    },
    {
      route: "POST /api/auth/password-reset/confirm",
      name: "POST /api/auth/password-reset/confirm (a token nobody was sent)",
      request: () => ({ method: "POST", url: "/api/auth/password-reset/confirm", payload: { token: "not-a-token-anyone-was-sent", newPassword: "Amber-Quarry-Violin-73" } }),
      expect: statuses(400, everyone),
    },
    {
      // Last: the caller's password is no longer the one the rows above use.
      route: "POST /api/auth/change-password",
      request: (fx, caller) => ({
        method: "POST",
        url: "/api/auth/change-password",
        payload: { currentPassword: person(fx, caller).password, newPassword: "Copper-Lantern-Meadow-58" },
      }),
      expect: { ...statuses(204, signedIn), anonymous: 401 },
    },
  ],
  setup,
);
