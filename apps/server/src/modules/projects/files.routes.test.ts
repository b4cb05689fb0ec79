import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { MAX_PROJECT_FILE_BYTES } from "./files.service.js";
import { multipart, PNG } from "./fixtures.test-util.js";

type User = Awaited<ReturnType<typeof buildUser>>;
type FileView = { id: string; name: string; contentType: string; size: number; downloadUrl: string; allowedActions: string[] };

async function storedFiles(root: string): Promise<string[]> {
  try {
    return (await readdir(root, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

describe.each([
  ["Node streams the bytes (npm start)", false],
  ["Nginx sends them after X-Accel-Redirect (production)", true],
])("project files: %s", (_title, accel) => {
  let t: TestContext;
  let admin: User;
  let developer: User;
  let customer: User;
  let outsider: User;
  let projectId: string;
  let teamProjectId: string;

  beforeAll(async () => {
    t = await createTestContext({ env: { ACCEL_REDIRECT: String(accel) } });
    const org = await buildOrg(t);
    admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
    developer = await buildUser(t, { orgId: org.id, roles: ["developer"] });
    customer = await buildUser(t, { orgId: org.id, roles: ["customer"] });
    outsider = await buildUser(t, { orgId: (await buildOrg(t)).id, roles: ["admin"] });
    projectId = (await t.request({ method: "POST", url: "/api/projects", token: admin.token, payload: { name: "Files" } })).json<{ id: string }>().id;
    const team = await t.request({ method: "POST", url: "/api/teams", token: admin.token, payload: { name: "Closed" } });
    teamProjectId = (
      await t.request({ method: "POST", url: "/api/projects", token: admin.token, payload: { name: "Closed work", teamId: team.json<{ id: string }>().id, visibility: "team" } })
    ).json<{ id: string }>().id;
  });
  afterAll(() => t.close());

  const upload = (id: string, token: string, body: ReturnType<typeof multipart>) =>
    t.request({ method: "POST", url: `/api/projects/${id}/files`, token, ...body });

  it("stores an upload under a random key with its type from the content and its name as metadata only", async () => {
    const response = await upload(projectId, admin.token, multipart("../../étude 1.png", PNG, "text/plain"));
    expect(response.statusCode, response.body).toBe(201);
    const file = response.json<FileView>();
    expect(file).toMatchObject({ name: "étude 1.png", contentType: "image/png", size: PNG.length, allowedActions: ["download", "delete"] });
    const stored = await storedFiles(t.config.privateDir);
    expect(stored).toHaveLength(1);
    expect(path.relative(t.config.privateDir, stored[0] ?? "")).toMatch(/^projects\/\d{4}\/\d{2}\/[0-9a-f]{32}$/);
    expect(await readFile(stored[0] ?? "")).toEqual(PNG);

    const list = await t.request({ method: "GET", url: `/api/projects/${projectId}/files`, token: customer.token });
    expect(list.json<{ items: FileView[] }>().items).toEqual([expect.objectContaining({ id: file.id, allowedActions: ["download"] })]);

    const download = await t.request({ method: "GET", url: file.downloadUrl, token: developer.token });
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("image/png");
    expect(download.headers["content-disposition"]).toBe(`attachment; filename="_tude 1.png"; filename*=UTF-8''%C3%A9tude%201.png`);
    expect(download.headers["x-content-type-options"]).toBe("nosniff");
    if (accel) {
      expect(download.headers["x-accel-redirect"]).toBe(`/_protected/${path.relative(t.config.privateDir, stored[0] ?? "")}`);
      expect(download.rawPayload).toHaveLength(0);
    } else {
      expect(download.headers["x-accel-redirect"]).toBeUndefined();
      expect(download.rawPayload).toEqual(PNG);
    }
  });

  it("lets only callers who see the project download; another organization's file is a 404", async () => {
    const file = (await upload(teamProjectId, admin.token, multipart("plan.txt", Buffer.from("step one\nstep two\n")))).json<FileView>();
    expect(file.contentType).toBe("text/plain");
    expect((await t.request({ method: "GET", url: file.downloadUrl, token: admin.token })).statusCode).toBe(200);
    expect((await t.request({ method: "GET", url: file.downloadUrl, token: customer.token })).statusCode).toBe(404);
    expect((await t.request({ method: "GET", url: file.downloadUrl, token: outsider.token })).statusCode).toBe(404);
    expect((await t.request({ method: "GET", url: file.downloadUrl })).statusCode).toBe(401);
    expect((await t.request({ method: "DELETE", url: `/api/files/${file.id}`, token: outsider.token })).statusCode).toBe(404);
  });

  it("refuses unknown types (415), oversize files (413) and callers who may not upload (403), storing nothing", async () => {
    const before = await storedFiles(t.config.privateDir);
    const executable = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200)]);
    expect((await upload(projectId, admin.token, multipart("report.pdf", executable, "application/pdf"))).statusCode).toBe(415);
    const huge = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(MAX_PROJECT_FILE_BYTES, 0x20)]);
    const tooLarge = await upload(projectId, admin.token, multipart("big.pdf", huge, "application/pdf"));
    expect(tooLarge.statusCode).toBe(413);
    expect((await upload(projectId, developer.token, multipart("a.png", PNG))).statusCode).toBe(403);
    expect((await upload(projectId, admin.token, multipart("a.png", PNG, "image/png", "other"))).statusCode).toBe(400);
    const broken = { payload: Buffer.from("--nope\r\nrubbish"), headers: { "content-type": "multipart/form-data; boundary=elsewhere" } };
    expect((await upload(projectId, admin.token, broken)).statusCode).toBe(400);
    expect((await t.request({ method: "POST", url: `/api/projects/${projectId}/files`, token: admin.token, payload: { file: "x" } })).statusCode).toBe(415);
    expect(await storedFiles(t.config.privateDir)).toEqual(before);
  });

  it("deletes the row and, after commit, the bytes", async () => {
    const file = (await upload(projectId, admin.token, multipart("notes.md", Buffer.from("# Notes\n")))).json<FileView>();
    const count = (await storedFiles(t.config.privateDir)).length;
    expect((await t.request({ method: "DELETE", url: `/api/files/${file.id}`, token: developer.token })).statusCode).toBe(403);
    expect((await t.request({ method: "DELETE", url: `/api/files/${file.id}`, token: admin.token })).statusCode).toBe(204);
    expect((await t.request({ method: "GET", url: file.downloadUrl, token: admin.token })).statusCode).toBe(404);
    expect(await storedFiles(t.config.privateDir)).toHaveLength(count - 1);
  });
});
