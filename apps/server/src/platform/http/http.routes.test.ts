import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/harness.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe("HTTP platform", () => {
  it("sends Django-grade security headers", async () => {
    const response = await t.request({ method: "GET", url: "/api/health" });
    expect(response.headers["x-frame-options"]).toBe("DENY");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["referrer-policy"]).toBe("same-origin");
    expect(response.headers["cross-origin-opener-policy"]).toBe("same-origin");
    expect(response.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(response.headers["strict-transport-security"]).toBeUndefined();
  });

  it("echoes a request id, or makes one", async () => {
    const given = await t.request({ method: "GET", url: "/api/health", headers: { "x-request-id": "req-12345678" } });
    expect(given.headers["x-request-id"]).toBe("req-12345678");
    const made = await t.request({ method: "GET", url: "/api/health" });
    expect(made.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown API paths with a problem+json 404", async () => {
    const response = await t.request({ method: "GET", url: "/api/nothing-here" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json()).toMatchObject({ status: 404, code: "not_found", title: "Not found" });
  });

  it("refuses malformed JSON (400), a wrong media type (415) and a body over the limit (413)", async () => {
    const malformed = await t.request({ method: "POST", url: "/api/auth/login", headers: { "content-type": "application/json" }, payload: "{not json" });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers["content-type"]).toContain("application/problem+json");
    const media = await t.request({ method: "POST", url: "/api/auth/login", headers: { "content-type": "application/xml" }, payload: "<login/>" });
    expect(media.statusCode).toBe(415);
    const big = await t.request({ method: "POST", url: "/api/auth/login", headers: { "content-type": "application/json" }, payload: JSON.stringify({ login: "x".repeat(2_000_000), password: "y" }) });
    expect(big.statusCode).toBe(413);
  });

  it("publishes the OpenAPI document with bearer auth and an interactive reference", async () => {
    const document = await t.request({ method: "GET", url: "/api/openapi.json" });
    const spec = document.json<{ openapi: string; paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } }>();
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(["/api/auth/login", "/api/me", "/api/orgs/{org}/members"]));
    expect(spec.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    const docs = await t.request({ method: "GET", url: "/api/docs/" });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain("swagger");
  });

  it("is ready when the database answers and every migration is applied", async () => {
    const ready = await t.request({ method: "GET", url: "/api/ready" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: "ready", checks: { database: { ok: true }, migrations: { ok: true } } });
    if (t.config.redis) expect(ready.json<{ checks: Record<string, unknown> }>().checks.redis).toEqual({ ok: true });
  });

  it("keeps CORS closed by default", async () => {
    const response = await t.request({ method: "OPTIONS", url: "/api/me", headers: { origin: "https://evil.example", "access-control-request-method": "GET" } });
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("production mode", () => {
  let prod: TestContext;
  beforeAll(async () => {
    prod = await createTestContext({
      env: { NODE_ENV: "production", ALLOWED_HOSTS: "cairn.test", PUBLIC_URL: "https://cairn.test", SERVE_STATIC: "false" },
      extend: (app) =>
        app.get("/api/__boom", () => {
          throw new Error("secret internal detail at /srv/cairn/app.js");
        }),
    });
  });
  afterAll(() => prod.close());

  it("hides internals of a server error and sends HSTS", async () => {
    const response = await prod.request({ method: "GET", url: "/api/__boom", headers: { host: "cairn.test" } });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("secret internal detail");
    expect(response.body).not.toContain("at ");
    expect(response.json()).toMatchObject({ code: "internal", status: 500 });
    expect(response.headers["strict-transport-security"]).toContain("max-age=31536000");
  });

  it("refuses hosts that are not allowed", async () => {
    const response = await prod.request({ method: "GET", url: "/api/health", headers: { host: "evil.example" } });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ code: string }>().code).toBe("invalid_host");
  });

  it("serves no static files", async () => {
    const response = await prod.request({ method: "GET", url: "/", headers: { host: "cairn.test" } });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
  });
});
