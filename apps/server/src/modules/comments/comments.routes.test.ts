import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildProject, buildTask, buildUser, type BuiltUser } from "../../../test/factories.js";
import { captureEvents, createTestContext, type TestContext } from "../../../test/harness.js";
import { multipart, PNG } from "../projects/fixtures.test-util.js";
import { expectStatus } from "../tasks/tasks.test-util.js";

/**
 * Comments on a task as its people use them: Markdown rendered safely,
 * mentions that reach exactly the members who can see the task, the task's
 * people told of new comments (never the author), edits by the author with
 * the earlier text in the activity, deletion by the author or a manager, and
 * open task pages told to refresh.
 */

type Comment = {
  id: string;
  taskId: string;
  authorId: string;
  body: string;
  bodyHtml: string;
  mentions: string[];
  mentioned: Array<{ id: string; username: string }>;
  editedAt: string | null;
  allowedActions: string[];
};
type Notification = { kind: string; title: string; body: string; data: Record<string, unknown> };
type Activity = {
  items: Array<{ type: "event" | "comment"; action?: string; changes?: Record<string, [unknown, unknown]>; comment?: Comment; actor: { username: string } | null }>;
  total: number;
  people: Record<string, string>;
};

let t: TestContext;
let orgId: string;
let admin: BuiltUser;
let manager: BuiltUser;
let developer: BuiltUser;
let bystander: BuiltUser;
let support: BuiltUser;
let projectId: string;

beforeAll(async () => {
  t = await createTestContext();
  orgId = (await buildOrg(t)).id;
  admin = await buildUser(t, { orgId, roles: ["admin"] });
  manager = await buildUser(t, { orgId, roles: ["project_manager"] });
  developer = await buildUser(t, { orgId, roles: ["developer"] });
  // Another developer: no task of theirs, so they cannot see the task.
  bystander = await buildUser(t, { orgId, roles: ["developer"] });
  support = await buildUser(t, { orgId, roles: ["support"] });
  projectId = (await buildProject(t, { orgId, name: "Chat", key: "CHAT", managerId: manager.id, by: admin })).id;
});
afterAll(() => t.close());

const newTask = async () => (await buildTask(t, { projectId, title: "Talk it through", assigneeId: developer.id, by: manager })).id;
const comment = (token: string, taskId: string, body: string) => expectStatus<Comment>(t, 201, { method: "POST", url: `/api/tasks/${taskId}/comments`, token, payload: { body } });
const inbox = async (user: BuiltUser) => (await expectStatus<{ items: Notification[] }>(t, 200, { method: "GET", url: "/api/me/notifications?pageSize=100", token: user.token })).items;

describe("POST /api/tasks/{id}/comments", () => {
  it("renders Markdown safely and mentions only members who can see the task; the mentioned are told, the others not", async () => {
    const taskId = await newTask();
    const events = captureEvents(t, ["task.mentioned", "task.commented"]);
    const created = await comment(
      manager.token,
      taskId,
      `@${developer.username} please look, and @${bystander.username} too. @nobody-here\n\n<script>alert(1)</script> [x](javascript:alert(1)) **done?**`,
    );
    expect(created.mentions).toEqual([developer.id]);
    expect(created.mentioned).toEqual([{ id: developer.id, username: developer.username }]);
    expect(created.bodyHtml).toContain(`<span class="mention" data-user-id="${developer.id}">@${developer.username}</span>`);
    // Someone who cannot see the task stays plain text.
    expect(created.bodyHtml).toContain(`@${bystander.username} too`);
    expect(created.bodyHtml).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(created.bodyHtml).not.toContain("<script");
    expect(created.bodyHtml).not.toContain('href="javascript');
    expect(created.bodyHtml).toContain("<strong>done?</strong>");
    expect(created.allowedActions).toEqual(["update", "delete"]);

    const mentioned = events.find((event) => event.name === "task.mentioned");
    expect(mentioned?.recipients).toEqual([developer.id]);
    // The developer was mentioned: no second notice; the author is never told.
    const commented = events.find((event) => event.name === "task.commented");
    expect(commented?.recipients ?? []).not.toContain(developer.id);
    expect(commented?.recipients ?? []).not.toContain(manager.id);

    const notes = (await inbox(developer)).filter((note) => note.data.taskId === taskId && note.kind.startsWith("task.") && note.kind !== "task.assigned");
    expect(notes.map((note) => note.kind)).toEqual(["task.mentioned"]);
    expect(notes[0]?.title).toContain(`${manager.username} mentioned you on CHAT-`);
    expect(notes[0]?.body).toContain("please look");
    expect((await inbox(bystander)).filter((note) => note.data.taskId === taskId)).toEqual([]);
  });

  it("tells the task's people and earlier commenters of a new comment, never its author", async () => {
    const taskId = await newTask();
    await comment(support.token, taskId, "I have seen this before.");
    const events = captureEvents(t, ["task.commented"]);
    await comment(developer.token, taskId, "On it.");
    const recipients = events.find((event) => event.name === "task.commented")?.recipients ?? [];
    // The reporter and manager (the manager), the project's owner (the admin), and support, who commented before.
    expect(new Set(recipients)).toEqual(new Set([manager.id, admin.id, support.id]));
    const note = (await inbox(support)).find((each) => each.kind === "task.commented" && each.data.taskId === taskId);
    expect(note?.title).toContain(`${developer.username} commented on CHAT-`);
    expect(note?.body).toBe("On it.");
  });

  it("refuses an empty body and one past 20,000 characters, and anyone who cannot see the task", async () => {
    const taskId = await newTask();
    const empty = await t.request({ method: "POST", url: `/api/tasks/${taskId}/comments`, token: manager.token, payload: { body: "   " } });
    expect(empty.statusCode).toBe(400);
    const long = await t.request({ method: "POST", url: `/api/tasks/${taskId}/comments`, token: manager.token, payload: { body: "a".repeat(20_001) } });
    expect(long.statusCode).toBe(400);
    expect(long.json<{ errors: Array<{ path: string }> }>().errors[0]?.path).toBe("body");
    await expectStatus(t, 201, { method: "POST", url: `/api/tasks/${taskId}/comments`, token: manager.token, payload: { body: "a".repeat(20_000) } });
    const hidden = await t.request({ method: "POST", url: `/api/tasks/${taskId}/comments`, token: bystander.token, payload: { body: "Let me in" } });
    expect(hidden.statusCode).toBe(404);
  });

  it("pushes task.updated to whoever sees the task, so open task pages show the comment live", async () => {
    const taskId = await newTask();
    const pushed: Array<{ userId: string; event: string; id: unknown }> = [];
    const { realtime } = t.services;
    const original = realtime.toUsers.bind(realtime);
    realtime.toUsers = async (userIds, event, data) => {
      for (const userId of userIds) pushed.push({ userId, event, id: (data as { id?: unknown }).id });
      return original(userIds, event, data);
    };
    try {
      await comment(developer.token, taskId, "Live!");
      await sleep(50);
    } finally {
      realtime.toUsers = original;
    }
    const told = new Set(pushed.filter((push) => push.event === "task.updated" && push.id === taskId).map((push) => push.userId));
    expect(told.has(manager.id)).toBe(true);
    expect(told.has(developer.id)).toBe(true);
    expect(told.has(support.id)).toBe(true);
    expect(told.has(bystander.id)).toBe(false);
  });
});

describe("editing and deleting comments", () => {
  it("lets the author edit (editedAt set, earlier text in the activity) and tells only the newly mentioned", async () => {
    const taskId = await newTask();
    const created = await comment(developer.token, taskId, `First thought, @${manager.username}`);
    const events = captureEvents(t, ["task.mentioned"]);
    const edited = await expectStatus<Comment>(t, 200, {
      method: "PATCH",
      url: `/api/comments/${created.id}`,
      token: developer.token,
      payload: { body: `Second thought, @${manager.username} and @${support.username}` },
    });
    expect(edited.editedAt).not.toBeNull();
    expect(edited.body).toContain("Second thought");
    expect(new Set(edited.mentions)).toEqual(new Set([manager.id, support.id]));
    expect(events.map((event) => event.recipients)).toEqual([[support.id]]);

    const activity = await expectStatus<Activity>(t, 200, { method: "GET", url: `/api/tasks/${taskId}/activity`, token: manager.token });
    const edit = activity.items.find((item) => item.action === "task.comment_edited");
    expect(edit?.changes?.body).toEqual([`First thought, @${manager.username}`, `Second thought, @${manager.username} and @${support.username}`]);
    expect(edit?.actor?.username).toBe(developer.username);

    const foreign = await t.request({ method: "PATCH", url: `/api/comments/${created.id}`, token: manager.token, payload: { body: "Not mine" } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json<{ detail: string }>().detail).toBe("Only its author edits a comment.");
  });

  it("lets the author and a manager delete; support may not; a deleted comment's text leaves the activity", async () => {
    const taskId = await newTask();
    const first = await comment(developer.token, taskId, "Password is hunter2");
    const second = await comment(developer.token, taskId, "Oops");
    const refused = await t.request({ method: "DELETE", url: `/api/comments/${first.id}`, token: support.token });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ detail: string }>().detail).toContain("tasks.manage");
    await expectStatus(t, 204, { method: "DELETE", url: `/api/comments/${first.id}`, token: manager.token });
    await expectStatus(t, 204, { method: "DELETE", url: `/api/comments/${second.id}`, token: developer.token });
    const list = await expectStatus<{ items: Comment[]; total: number }>(t, 200, { method: "GET", url: `/api/tasks/${taskId}/comments`, token: developer.token });
    expect(list.total).toBe(0);
    const activity = await expectStatus<Activity>(t, 200, { method: "GET", url: `/api/tasks/${taskId}/activity`, token: developer.token });
    expect(JSON.stringify(activity)).not.toContain("hunter2");
    expect(activity.items.filter((item) => item.action === "task.comment_deleted")).toHaveLength(2);
    // The audit log keeps it, for audit.view.
    const audit = await expectStatus<{ items: Array<{ changes: Record<string, unknown> }> }>(t, 200, {
      method: "GET",
      url: `/api/audit?entityType=task&entityId=${taskId}&action=task.comment_deleted`,
      token: admin.token,
    });
    expect(JSON.stringify(audit.items)).toContain("hunter2");
  });
});

describe("GET /api/tasks/{id}/activity", () => {
  it("tells the task's story oldest first: created, changes from → to, files, comments", async () => {
    const taskId = await newTask();
    await expectStatus(t, 200, { method: "PATCH", url: `/api/tasks/${taskId}`, token: developer.token, payload: { status: "in_progress" } });
    await comment(developer.token, taskId, "Started");
    await expectStatus(t, 201, { method: "POST", url: `/api/tasks/${taskId}/attachments`, token: developer.token, ...multipart("shot.png", PNG) });
    await expectStatus(t, 200, { method: "PATCH", url: `/api/tasks/${taskId}`, token: manager.token, payload: { assigneeId: support.id, priority: "high" } });
    const activity = await expectStatus<Activity>(t, 200, { method: "GET", url: `/api/tasks/${taskId}/activity`, token: manager.token });
    expect(activity.items.map((item) => item.action ?? item.type)).toEqual(["task.created", "task.updated", "comment", "task.file_uploaded", "task.updated"]);
    expect(activity.total).toBe(5);
    expect(activity.items[1]?.changes?.status).toEqual(["todo", "in_progress"]);
    expect(activity.items[2]?.comment?.body).toBe("Started");
    expect(activity.items[4]?.changes?.assigneeId).toEqual([developer.id, support.id]);
    expect(activity.people[support.id]).toBe(support.username);
    expect(activity.people[developer.id]).toBe(developer.username);
    const second = await expectStatus<Activity>(t, 200, { method: "GET", url: `/api/tasks/${taskId}/activity?pageSize=2&page=3`, token: manager.token });
    expect(second.items.map((item) => item.action)).toEqual(["task.updated"]);
    const past = await expectStatus<Activity>(t, 200, { method: "GET", url: `/api/tasks/${taskId}/activity?pageSize=2&page=9`, token: manager.token });
    expect(past).toMatchObject({ items: [], total: 5 });
  });
});

describe("GET /api/tasks/{id}/mentionable", () => {
  it("suggests the members who can see the task, not the caller, nor anyone who cannot", async () => {
    const taskId = await newTask();
    const all = await expectStatus<{ items: Array<{ id: string; username: string }> }>(t, 200, { method: "GET", url: `/api/tasks/${taskId}/mentionable`, token: manager.token });
    const ids = all.items.map((item) => item.id);
    expect(ids).toEqual(expect.arrayContaining([developer.id, admin.id, support.id]));
    expect(ids).not.toContain(manager.id);
    expect(ids).not.toContain(bystander.id);
    const narrowed = await expectStatus<{ items: Array<{ id: string }> }>(t, 200, {
      method: "GET",
      url: `/api/tasks/${taskId}/mentionable?search=${encodeURIComponent(`@${developer.username.slice(-8).toUpperCase()}`)}`,
      token: manager.token,
    });
    expect(narrowed.items.map((item) => item.id)).toContain(developer.id);
    expect(narrowed.items.map((item) => item.id)).not.toContain(admin.id);
  });
});

describe("task attachments", () => {
  it("attach, list, download (nosniff, as an attachment) and delete through the one pipeline", async () => {
    const taskId = await newTask();
    const file = await expectStatus<{ id: string; contentType: string; allowedActions: string[] }>(t, 201, {
      method: "POST",
      url: `/api/tasks/${taskId}/attachments`,
      token: developer.token,
      ...multipart("page.html", Buffer.from("<html><script>alert(1)</script></html>"), "text/html"),
    });
    // The type is read from the content: a page is served as text, never as HTML.
    expect(file.contentType).toBe("text/plain");
    expect(file.allowedActions).toEqual(["download", "delete"]);
    const download = await t.request({ method: "GET", url: `/api/files/${file.id}/download`, token: support.token });
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-disposition"]).toMatch(/^attachment/);
    expect(download.headers["x-content-type-options"]).toBe("nosniff");
    expect(download.headers["content-type"]).toBe("text/plain");
    const listed = await expectStatus<{ items: Array<{ id: string; allowedActions: string[] }> }>(t, 200, { method: "GET", url: `/api/tasks/${taskId}/attachments`, token: support.token });
    expect(listed.items).toEqual([expect.objectContaining({ id: file.id, allowedActions: ["download"] })]);
    expect((await t.request({ method: "GET", url: `/api/files/${file.id}/download`, token: bystander.token })).statusCode).toBe(404);
    expect((await t.request({ method: "DELETE", url: `/api/files/${file.id}`, token: support.token })).statusCode).toBe(403);
    await expectStatus(t, 204, { method: "DELETE", url: `/api/files/${file.id}`, token: developer.token });
  });

  it("refuses a file past 25 MB with a 413", async () => {
    const taskId = await newTask();
    const big = await t.request({ method: "POST", url: `/api/tasks/${taskId}/attachments`, token: developer.token, ...multipart("big.bin", Buffer.alloc(25 * 1024 * 1024 + 1, 1)) });
    expect(big.statusCode).toBe(413);
  });
});
