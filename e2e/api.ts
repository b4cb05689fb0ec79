/** Set-up through the API, as a script would do it (the journeys themselves use the UI). */
import { env, unique, waitForMail } from "./harness.js";

/** JSON to and from the API; throws with the status and body on anything but 2xx. */
export async function call<T>(
  path: string,
  options: { token?: string; method?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(`${env.baseUrl}${path}`, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers: {
      Accept: "application/json",
      ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${options.method ?? "GET"} ${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** An access token for `login`. */
export async function login(login: string, password: string): Promise<string> {
  return (await call<{ access: string }>("/api/auth/login", { body: { login, password } })).access;
}

export type Person = { id: string; username: string; password: string };

/** A member of `org` with `roles`, who sets their password from the welcome email. */
export async function member(token: string, org: string, roles: string[], prefix: string): Promise<Person> {
  const username = unique(prefix);
  const email = `${username}@example.com`;
  const added = await call<{ user: { id: string } }>(`/api/orgs/${org}/members`, {
    token,
    body: { email, username, roles },
  });
  const link = await waitForMail(email, /(https?:\/\/\S+\/reset-password\?token=[\w%-]+&welcome=1)/);
  const resetToken = new URL(link).searchParams.get("token") ?? "";
  const password = `${prefix}-walks-the-cairn-9`;
  await call("/api/auth/password-reset/confirm", { body: { token: resetToken, newPassword: password } });
  return { id: added.user.id, username, password };
}
