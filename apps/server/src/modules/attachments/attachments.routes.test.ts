import { readdir } from "node:fs/promises";
import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { allow, deny, requireUser } from "../../platform/access/engine.js";
import { defineModule } from "../../platform/modules.js";
import { defineAttachmentOwner } from "../../platform/storage/owners.js";
import { composition } from "../index.js";
import { multipart, PNG } from "../projects/fixtures.test-util.js";
import { teams } from "../teams/teams.table.js";
import { attachmentOwnerTables, attachments } from "./attachments.table.js";

/**
 * The generic attachment routes, as a later module (tasks, tickets) will use
 * them: a test module declares teams as owners of files with `path: "teams"`,
 * and its rules, only its rules, decide: a member of the team's organization
 * reads and attaches; the uploader and the team's manager delete.
 */

type User = Awaited<ReturnType<typeof buildUser>>;
type View = {
  id: string;
  ownerType: string;
  ownerId: string;
  name: string;
  contentType: string;
  size: number;
  downloadUrl: string;
  allowedActions: string[];
};

const MAX_BYTES = 64 * 1024;

const teamAttachments = defineAttachmentOwner<{ managerId: string | null }>({
  type: "team",
  path: "teams",
  upload: { maxBytes: MAX_BYTES, accept: "any" },
  async canRead(ctx, teamId) {
    const actor = requireUser(ctx.actor);
    const orgIds = actor.orgs.map((org) => org.orgId);
    if (!orgIds.length) return null;
    const [team] = await ctx.tx
      .select({ orgId: teams.orgId, managerId: teams.managerId })
      .from(teams)
      .where(and(eq(teams.id, teamId), inArray(teams.orgId, orgIds)));
    return team ? { orgId: team.orgId, subject: { managerId: team.managerId } } : null;
  },
  canAdd: () => allow,
  canDelete: (ctx, team, attachment) => {
    const { userId } = requireUser(ctx.actor);
    return attachment.uploadedById === userId || team.managerId === userId ? allow : deny("teams.manage");
  },
});

let t: TestContext;
let manager: User;
let uploader: User;
let colleague: User;
let outsider: User;
let teamId: string;

async function stored(): Promise<string[]> {
  try {
    const entries = await readdir(path.join(t.config.privateDir, "attachments"), {
      recursive: true,
      withFileTypes: true,
    });
    return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

const attach = (user: User, body: ReturnType<typeof multipart>, id = teamId) =>
  t.request({ method: "POST", url: `/api/teams/${id}/attachments`, token: user.token, ...body });

beforeAll(async () => {
  t = await createTestContext({
    modules: [defineModule({ name: "test-team-files", attachmentOwners: [teamAttachments] })],
  });
  // What a module's migration does for its owner type: name the table the database checks owners in.
  await t.services.database.db
    .insert(attachmentOwnerTables)
    .values({ ownerType: "team", tableName: "teams" });
  const org = await buildOrg(t);
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  uploader = await buildUser(t, { orgId: org.id, roles: ["developer"] });
  colleague = await buildUser(t, { orgId: org.id, roles: ["customer"] });
  outsider = await buildUser(t, { orgId: (await buildOrg(t)).id, roles: ["admin"] });
  const team = await t.request({
    method: "POST",
    url: "/api/teams",
    token: manager.token,
    payload: { name: "Owners of files" },
  });
  expect(team.statusCode, team.body).toBe(201);
  teamId = team.json<{ id: string }>().id;
});
afterAll(() => t.close());

describe("GET/POST /api/<owner>/{id}/attachments, GET /api/files/{id}/download, DELETE /api/files/{id}", () => {
  it("takes any type; what is not a known type is kept and served as application/octet-stream, always as an attachment", async () => {
    const binary = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(300, 0x90)]);
    const response = await attach(uploader, multipart("setup.exe", binary, "application/x-msdownload"));
    expect(response.statusCode, response.body).toBe(201);
    const file = response.json<View>();
    expect(file).toMatchObject({
      ownerType: "team",
      ownerId: teamId,
      name: "setup.exe",
      contentType: "application/octet-stream",
      size: binary.length,
      allowedActions: ["download", "delete"],
    });

    const list = await t.request({
      method: "GET",
      url: `/api/teams/${teamId}/attachments`,
      token: colleague.token,
    });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ items: View[] }>().items).toEqual([
      expect.objectContaining({ id: file.id, allowedActions: ["download"] }),
    ]);

    const download = await t.request({ method: "GET", url: file.downloadUrl, token: colleague.token });
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("application/octet-stream");
    expect(download.headers["content-disposition"]).toMatch(/^attachment; filename="setup\.exe"/);
    expect(download.headers["x-content-type-options"]).toBe("nosniff");
    expect(download.rawPayload).toEqual(binary);
  });

  it("never serves a page: HTML is text/plain by its content, and a stored type that is no known one goes out as octet-stream", async () => {
    const html = (
      await attach(
        uploader,
        multipart("index.html", Buffer.from("<html><script>alert(1)</script></html>"), "text/html"),
      )
    ).json<View>();
    expect(html.contentType).toBe("text/plain");
    const served = await t.request({ method: "GET", url: html.downloadUrl, token: colleague.token });
    expect(served.headers["content-type"]).toBe("text/plain");
    expect(served.headers["content-disposition"]).toMatch(/^attachment;/);

    // A row from elsewhere (an older version, a bug) claiming a dangerous type.
    await t.services.database.db
      .update(attachments)
      .set({ contentType: "text/html" })
      .where(eq(attachments.id, html.id));
    const forced = await t.request({ method: "GET", url: html.downloadUrl, token: colleague.token });
    expect(forced.headers["content-type"]).toBe("application/octet-stream");
    expect(forced.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("lets the owner's rules decide deletion: not a colleague (403), the uploader yes; the bytes go after the commit", async () => {
    const file = (await attach(uploader, multipart("a.png", PNG))).json<View>();
    expect(file.contentType).toBe("image/png");
    const before = (await stored()).length;
    const refused = await t.request({
      method: "DELETE",
      url: `/api/files/${file.id}`,
      token: colleague.token,
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toBe("You need the teams.manage permission.");
    expect(
      (await t.request({ method: "DELETE", url: `/api/files/${file.id}`, token: uploader.token })).statusCode,
    ).toBe(204);
    expect(
      (await t.request({ method: "GET", url: file.downloadUrl, token: uploader.token })).statusCode,
    ).toBe(404);
    expect(await stored()).toHaveLength(before - 1);

    const managed = (await attach(uploader, multipart("b.png", PNG))).json<View>();
    expect(
      (await t.request({ method: "DELETE", url: `/api/files/${managed.id}`, token: manager.token }))
        .statusCode,
    ).toBe(204);
  });

  it("answers 404 to another organization for every read and write, storing nothing", async () => {
    const file = (await attach(uploader, multipart("plan.txt", Buffer.from("step one\n")))).json<View>();
    const before = await stored();
    expect(
      (await t.request({ method: "GET", url: `/api/teams/${teamId}/attachments`, token: outsider.token }))
        .statusCode,
    ).toBe(404);
    expect((await attach(outsider, multipart("x.png", PNG))).statusCode).toBe(404);
    expect(
      (await t.request({ method: "GET", url: file.downloadUrl, token: outsider.token })).statusCode,
    ).toBe(404);
    expect(
      (await t.request({ method: "DELETE", url: `/api/files/${file.id}`, token: outsider.token })).statusCode,
    ).toBe(404);
    expect(await stored()).toEqual(before);
    expect(
      (await t.request({ method: "GET", url: file.downloadUrl, token: uploader.token })).statusCode,
    ).toBe(200);
  });

  it("stops an upload at the owner's limit (413) and says which owner is missing (404)", async () => {
    const before = await stored();
    const big = await attach(uploader, multipart("big.bin", Buffer.alloc(MAX_BYTES + 1, 0x01)));
    expect(big.statusCode).toBe(413);
    expect(big.json<{ detail: string }>().detail).toBe("A team file is at most 64 KB.");
    const missing = await attach(uploader, multipart("x.png", PNG), "00000000-0000-4000-8000-000000000000");
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ detail: string }>().detail).toBe("No such team.");
    expect(await stored()).toEqual(before);
    expect(
      (
        await t.request({
          method: "POST",
          url: `/api/teams/${teamId}/attachments`,
          token: uploader.token,
          payload: { file: "x" },
        })
      ).statusCode,
    ).toBe(415);
  });

  it("documents the owner's routes in the OpenAPI document", async () => {
    const document = (await t.request({ method: "GET", url: "/api/openapi.json" })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    expect(Object.keys(document.paths["/api/teams/{id}/attachments"] ?? {}).sort()).toEqual(["get", "post"]);
  });
});

describe("owner types of the composition root", () => {
  it("each has the table the database checks its owners in", async () => {
    const declared = [...composition.attachmentOwners.keys()].sort();
    expect(declared).toContain("project");
    const known = await t.services.database.db
      .select({ type: attachmentOwnerTables.ownerType })
      .from(attachmentOwnerTables);
    expect(known.map((row) => row.type)).toEqual(expect.arrayContaining(declared));
    // And each of those tables has the columns the check reads.
    for (const type of declared) {
      const [table] = await t.services.database.db
        .select({ name: attachmentOwnerTables.tableName })
        .from(attachmentOwnerTables)
        .where(eq(attachmentOwnerTables.ownerType, type));
      const listed: unknown = await t.services.database.db.execute(
        sql`select column_name from information_schema.columns where table_schema = 'public' and table_name = ${table?.name ?? ""} and column_name in ('org_id', 'id') order by column_name`,
      );
      const columns = listed as { rows: Array<{ column_name: string }> };
      expect(columns.rows.map((row) => row.column_name)).toEqual(["id", "org_id"]);
    }
  });
});
