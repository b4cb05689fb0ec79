import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type * as ApiModule from "./api";
import type * as SessionModule from "./session";

/** A JWT-shaped token (only the payload matters to the client). */
function token(sub: string, expiresInSeconds: number): string {
  const payload = Buffer.from(
    JSON.stringify({ sub, exp: Math.floor(Date.now() / 1000) + expiresInSeconds }),
  ).toString("base64url");
  return `header.${payload}.signature`;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

type Modules = { session: typeof SessionModule.session; api: typeof ApiModule.api };

async function fresh(): Promise<Modules> {
  vi.resetModules();
  const { session } = await import("./session");
  const { api } = await import("./api");
  return { session, api };
}

describe("session and API client", () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal("fetch", fetchMock);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("starts signed in when the refresh cookie is accepted, and signed out when it is not", async () => {
    const { session } = await fresh();
    fetchMock.mockResolvedValueOnce(json(200, { access: token("u1", 900), refresh: "r" }));
    await session.start();
    expect(session.getSnapshot()).toMatchObject({ status: "signedIn", userId: "u1" });
    expect(fetchMock).toHaveBeenCalledWith(
      "/api/auth/refresh",
      expect.objectContaining({ method: "POST", body: "{}" }),
    );

    const other = await fresh();
    fetchMock.mockResolvedValueOnce(json(401, { title: "Not authenticated", status: 401 }));
    await other.session.start();
    expect(other.session.getSnapshot().status).toBe("signedOut");
  });

  it("never sends two refreshes at once (a reused refresh token revokes the sign-in)", async () => {
    const { session } = await fresh();
    let answer: (response: Response) => void = () => undefined;
    fetchMock.mockReturnValueOnce(new Promise<Response>((resolve) => (answer = resolve)));
    const first = session.refresh();
    const second = session.refresh();
    answer(json(200, { access: token("u1", 900), refresh: "r" }));
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("refreshes once and retries a request that was refused with 401", async () => {
    const { session, api } = await fresh();
    session.signedIn({ access: token("u1", 900) });
    fetchMock
      .mockResolvedValueOnce(json(401, { title: "Not authenticated", status: 401 }))
      .mockResolvedValueOnce(json(200, { access: token("u1", 900), refresh: "r" }))
      .mockResolvedValueOnce(json(200, { ok: true }));
    await expect(api("/api/me")).resolves.toEqual({ ok: true });
    const calls = fetchMock.mock.calls.map(([url]) => url as string);
    expect(calls).toEqual(["/api/me", "/api/auth/refresh", "/api/me"]);
    const retried = fetchMock.mock.calls[2]?.[1]?.headers as Record<string, string>;
    expect(retried.Authorization).toMatch(/^Bearer header\./);
  });

  it("signs out when the refresh after a 401 is refused", async () => {
    const { session, api } = await fresh();
    session.signedIn({ access: token("u1", 900) });
    fetchMock
      .mockResolvedValueOnce(json(401, { title: "Not authenticated", status: 401 }))
      .mockResolvedValueOnce(json(401, { title: "Not authenticated", status: 401 }));
    await expect(api("/api/me")).rejects.toMatchObject({ status: 401 });
    expect(session.getSnapshot()).toMatchObject({ status: "signedOut", reason: "expired" });
    expect(session.accessToken).toBeNull();
  });

  it("refreshes before a request when the access token is about to expire", async () => {
    const { session, api } = await fresh();
    session.signedIn({ access: token("u1", 5) });
    fetchMock
      .mockResolvedValueOnce(json(200, { access: token("u1", 900), refresh: "r" }))
      .mockResolvedValueOnce(json(200, { ok: true }));
    await api("/api/me");
    expect(fetchMock.mock.calls.map(([url]) => url as string)).toEqual(["/api/auth/refresh", "/api/me"]);
  });

  it("turns problem+json into an ApiError with field errors and the Retry-After wait", async () => {
    const { api } = await fresh();
    fetchMock.mockResolvedValueOnce(
      new Response(
        JSON.stringify({
          title: "Invalid input",
          status: 400,
          detail: "The request has invalid fields (body).",
          code: "invalid",
          errors: [{ path: "email", message: "Enter a valid email address." }],
        }),
        { status: 400, headers: { "content-type": "application/problem+json" } },
      ),
    );
    const error = await api("/api/auth/register", { method: "POST", body: {}, auth: false }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      status: 400,
      code: "invalid",
      fieldErrors: { email: "Enter a valid email address." },
    });

    fetchMock.mockResolvedValueOnce(
      new Response(JSON.stringify({ title: "Too many requests", status: 429 }), {
        status: 429,
        headers: { "content-type": "application/problem+json", "retry-after": "90" },
      }),
    );
    const throttled = await api("/api/auth/login", { method: "POST", body: {}, auth: false }).catch(
      (caught: unknown) => caught,
    );
    expect(throttled).toMatchObject({
      status: 429,
      retryAfter: 90,
      userMessage: "Too many attempts. Try again in 2 minutes.",
    });
  });
});
