import { readdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { multipart, PNG } from "../../modules/projects/fixtures.test-util.js";
import { keyColumns } from "./database-errors.js";
import { prefetchedStream } from "./stream.js";

/** Hostile input, limits and error bodies: the rules every route inherits from the platform. */

let t: TestContext;
let admin: Awaited<ReturnType<typeof buildUser>>;
let orgId: string;
let projectId: string;

const problemOf = (response: { headers: Record<string, unknown>; json: <T>() => T }) => {
  expect(String(response.headers["content-type"])).toContain("application/problem+json");
  return response.json<{ status: number; code: string; detail?: string; errors?: Array<{ path: string; message: string }> }>();
};

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

beforeAll(async () => {
  t = await createTestContext({
    env: { RATE_LIMIT_PER_MINUTE: "40", BODY_TIMEOUT_MS: "400" },
    extend(app) {
      app.get("/api/test-only/boom", () => {
        throw new Error('relation "secret_table" does not exist: select * from users where password = $1');
      });
    },
  });
  const org = await buildOrg(t);
  orgId = org.id;
  admin = await buildUser(t, { orgId, roles: ["admin"] });
  const created = await t.request({ method: "POST", url: "/api/projects", token: admin.token, payload: { orgId, name: "Hardened shop", key: "HARD" } });
  expect(created.statusCode, created.body).toBe(201);
  projectId = created.json<{ id: string }>().id;
});
afterAll(() => t.close());

describe("strings the database cannot hold", () => {
  it("refuses a NUL in a body field with a 400 naming the field", async () => {
    const response = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: "ad\u0000min", password: "x" } });
    expect(response.statusCode).toBe(400);
    const errors = problemOf(response).errors ?? [];
    expect(errors.map((error) => error.path)).toEqual(["login"]);
    expect(errors[0]?.message).toContain("NUL");
  });

  it("refuses a lone surrogate anywhere in a body, nested fields too", async () => {
    const response = await t.request({ method: "POST", url: "/api/teams", token: admin.token, payload: { orgId, name: "x\uD800y" } });
    expect(response.statusCode).toBe(400);
    const [error] = problemOf(response).errors ?? [];
    expect(error?.path).toBe("name");
    expect(error?.message).toContain("surrogate");
  });

  it("refuses a NUL in a query parameter and in a path parameter", async () => {
    for (const url of ["/api/projects?search=%00", "/api/projects?org=%00", "/api/orgs/%00", "/api/audit?action=%00", "/api/developers?search=a%00"]) {
      const response = await t.request({ method: "GET", url, token: admin.token });
      expect(response.statusCode, url).toBe(400);
      expect(problemOf(response).code).toBe("invalid");
    }
  });

  it("keeps the data unchanged after a refusal", async () => {
    const before = await t.request({ method: "GET", url: "/api/teams", token: admin.token });
    await t.request({ method: "POST", url: "/api/teams", token: admin.token, payload: { orgId, name: "bad\u0000name" } });
    const after = await t.request({ method: "GET", url: "/api/teams", token: admin.token });
    expect(after.json<{ total: number }>().total).toBe(before.json<{ total: number }>().total);
  });
});

describe("dates", () => {
  it("refuses the year 0000 and 9999 in dates and timestamps", async () => {
    const early = await t.request({ method: "PATCH", url: "/api/me/profile", token: admin.token, payload: { dateOfBirth: "0000-01-01" } });
    expect(early.statusCode).toBe(400);
    expect(problemOf(early).errors?.[0]?.path).toBe("dateOfBirth");
    const late = await t.request({ method: "PATCH", url: `/api/projects/${projectId}`, token: admin.token, payload: { startDate: "9999-12-31" } });
    expect(late.statusCode).toBe(400);
    expect(problemOf(late).errors?.[0]).toMatchObject({ path: "startDate", message: "Use a date between 1900 and 2200." });
    const since = await t.request({ method: "GET", url: "/api/audit?since=0000-01-01T00:00:00Z", token: admin.token });
    expect(since.statusCode).toBe(400);
    const fine = await t.request({ method: "PATCH", url: `/api/projects/${projectId}`, token: admin.token, payload: { startDate: "2026-12-01" } });
    expect(fine.statusCode).toBe(200);
  });
});

describe("unknown fields", () => {
  it("refuses a body field the endpoint does not know, naming it", async () => {
    const response = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: "someone", password: "secret-secret", rememberMe: true } });
    expect(response.statusCode).toBe(400);
    expect(problemOf(response).errors).toEqual([{ path: "rememberMe", message: "Unknown field: remove it." }]);
    const team = await t.request({ method: "POST", url: "/api/teams", token: admin.token, payload: { orgId, name: "Typo team", managerID: admin.id } });
    expect(team.statusCode).toBe(400);
    expect(problemOf(team).errors?.[0]?.path).toBe("managerID");
  });
});

describe("errors carry no internals", () => {
  it("answers an unexpected failure with a plain 500 and the request id, whatever the mode", async () => {
    const response = await t.request({ method: "GET", url: "/api/test-only/boom", token: admin.token });
    expect(response.statusCode).toBe(500);
    const body = problemOf(response);
    expect(body.detail).toContain(response.headers["x-request-id"]);
    expect(response.body).not.toMatch(/select|secret_table|password|\.ts:\d+|\bat /);
  });

  it("names the column of a key from PostgreSQL's detail, never its values", () => {
    expect(keyColumns("Key (org_id, key)=(3f1c…, SHOP) already exists.")).toEqual(["key"]);
    expect(keyColumns("Key (org_id, lower(name::text))=(x, y) already exists.")).toEqual(["name"]);
    expect(keyColumns("Key (lower(email::text))=(a@b.c) already exists.")).toEqual(["email"]);
    expect(keyColumns("Key (org_id, user_id)=(a, b) already exists.")).toEqual(["userId"]);
    expect(keyColumns(undefined)).toEqual([]);
  });
});

describe("paths", () => {
  it("answers a path parameter past its length with a problem+json 414", async () => {
    const response = await t.request({ method: "GET", url: `/api/users/${"a".repeat(300)}/profile`, token: admin.token });
    expect(response.statusCode).toBe(414);
    expect(problemOf(response).code).toBe("uri_too_long");
  });

  it("counts percent-encoded API paths against the per-IP limit", async () => {
    const address = "10.9.8.7";
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) {
      const url = i % 2 ? "/%61pi/permissions" : "/api/permissions";
      statuses.push((await t.request({ method: "GET", url, remoteAddress: address })).statusCode);
    }
    expect(statuses.slice(0, 40).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(40)).toEqual([429, 429, 429, 429, 429]);
    const encoded = await t.request({ method: "GET", url: "/%61pi/permissions", remoteAddress: address });
    expect(encoded.statusCode).toBe(429);
    expect(problemOf(encoded).code).toBe("throttled");
  });

  it("answers over budget with a 429 whatever the token, and counts a refused token's request too", async () => {
    // The budget is counted beside authentication (one round trip): its refusal still wins.
    const address = "10.9.8.5";
    const bad = [];
    for (let i = 0; i < 40; i++) {
      const response = await t.request({ method: "GET", url: "/api/me", remoteAddress: address, headers: { authorization: "Bearer not-a-token" } });
      bad.push(response.statusCode);
    }
    expect(new Set(bad)).toEqual(new Set([401]));
    for (const headers of [{ authorization: "Bearer not-a-token" }, { authorization: `Bearer ${admin.token}` }, {}]) {
      const response = await t.request({ method: "GET", url: "/api/me", remoteAddress: address, headers });
      expect(response.statusCode).toBe(429);
      expect(problemOf(response).code).toBe("throttled");
    }
    // A valid token inside the budget still authenticates beside the count.
    const fresh = await t.request({ method: "GET", url: "/api/me", remoteAddress: "10.9.8.4", token: admin.token });
    expect(fresh.statusCode).toBe(200);
  });

  it("answers an unknown encoded API path as JSON, never as the web page", async () => {
    for (const url of ["/%61pi/no-such-thing", "/%2fapi/me", "//api/me"]) {
      const response = await t.request({ method: "GET", url, remoteAddress: "10.9.8.6" });
      expect(response.statusCode, url).toBe(404);
      expect(problemOf(response).code).toBe("not_found");
    }
  });
});

describe("uploads", () => {
  it("says an empty file is empty, and refuses two file parts, keeping nothing", async () => {
    const privateBefore = await filesUnder(t.config.privateDir);
    const empty = await t.request({ method: "POST", url: `/api/projects/${projectId}/files`, token: admin.token, ...multipart("empty.pdf", Buffer.alloc(0)) });
    expect(empty.statusCode).toBe(400);
    expect(problemOf(empty).errors?.[0]).toMatchObject({ path: "file", message: "The file is empty." });

    const boundary = "----cairn-two-files";
    const part = (name: string, content: Buffer) =>
      Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`), content, Buffer.from("\r\n")]);
    const payload = Buffer.concat([part("one.png", PNG), part("two.png", PNG), Buffer.from(`--${boundary}--\r\n`)]);
    const two = await t.request({
      method: "POST",
      url: `/api/projects/${projectId}/files`,
      token: admin.token,
      payload,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    expect(two.statusCode).toBe(400);
    expect(problemOf(two).errors?.[0]?.message).toBe("Send one file per request.");
    const avatar = await t.request({ method: "PUT", url: "/api/me/avatar", token: admin.token, ...multipart("me.png", Buffer.alloc(0)) });
    expect(avatar.statusCode).toBe(400);
    expect(problemOf(avatar).detail).toContain("empty");

    const files = await t.request({ method: "GET", url: `/api/projects/${projectId}/files`, token: admin.token });
    expect(files.json<{ items: unknown[] }>().items).toEqual([]);
    expect(await filesUnder(t.config.privateDir)).toEqual(privateBefore);
  });

  it("ends an upload whose body stops arriving with a 408 problem+json and leaves no file", async () => {
    const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = new URL(address);
    const boundary = "----cairn-stalled";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.png"\r\nContent-Type: image/png\r\n\r\n`;
    const response = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        socket.write(
          `POST /api/projects/${projectId}/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${admin.token}\r\n` +
            `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n\r\n`,
        );
        socket.write(Buffer.concat([Buffer.from(head), PNG]));
      });
      let text = "";
      socket.on("data", (chunk: Buffer) => (text += chunk.toString()));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
      setTimeout(() => socket.destroy(), 5_000);
    });
    expect(response).toMatch(/^HTTP\/1\.1 408/);
    expect(response).toContain("application/problem+json");
    expect(response).toContain('"code":"request_timeout"');
    // The handler's storage write fails with the dropped body and removes its partial file.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await filesUnder(t.config.privateDir)).filter((file) => file.endsWith(".partial"))).toEqual([]);
    const files = await t.request({ method: "GET", url: `/api/projects/${projectId}/files`, token: admin.token });
    expect(files.json<{ items: unknown[] }>().items).toEqual([]);
  });
});

describe("streamed downloads", () => {
  it("fails before the first byte when the first query fails", async () => {
    async function* failing(): AsyncGenerator<string> {
      yield "id,name\r\n";
      throw new Error("the first batch failed");
    }
    await expect(prefetchedStream(failing())).rejects.toThrow("the first batch failed");
  });

  it("replays what it read ahead, then the rest", async () => {
    async function* lines(): AsyncGenerator<string> {
      yield "a\r\n";
      yield "b\r\n";
      yield "c\r\n";
    }
    const chunks: string[] = [];
    for await (const chunk of await prefetchedStream(lines())) chunks.push(String(chunk));
    expect(chunks.join("")).toBe("a\r\nb\r\nc\r\n");
  });
});
