import { findMentions, renderMarkdown, taskKey, type CommentInput, type MentionTarget } from "@cairn/shared";
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { allowedActions, authorize, requireUser } from "../../platform/access/engine.js";
import type { UserActor } from "../../platform/access/actor.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { emitEvent } from "../../platform/events/events.js";
import type { Page, PageQuery } from "../../platform/http/pagination.js";
import { loadPrincipal, memberships } from "../access/index.js";
import { profiles, users } from "../accounts/index.js";
import { inMemberOrgs } from "../projects/index.js";
import { findVisibleTask, pushTaskUpdated, taskAudience, taskSubject, type PrincipalsOf, type TaskRow } from "../tasks/index.js";
import { taskCommented, taskMentioned } from "./comments.events.js";
import { commentCreationPolicy, commentPolicy, type CommentSubject } from "./comments.policy.js";
import { taskComments } from "./comments.table.js";

/**
 * Comments on tasks: Markdown bodies rendered safely by @cairn/shared's
 * renderer on every read, `@username` mentions resolved to members of the
 * task's organization who may see the task (anyone else stays plain text and
 * is told nothing), and the events that tell the task's people.
 */

/** Principals read on the change's own connection (on the embedded database a transaction holds the only one). */
const inTransaction =
  (ctx: Ctx): PrincipalsOf =>
  async (userIds) => {
    const principals = [];
    for (const userId of userIds) principals.push(await loadPrincipal(ctx.tx, userId));
    return principals;
  };

/** The most people one comment can mention (more names than this are left as text). */
const MAX_MENTIONS = 50;

type CommentRecord = typeof taskComments.$inferSelect;

export type CommentView = {
  id: string;
  orgId: string;
  taskId: string;
  authorId: string | null;
  author: { id: string; username: string; displayName: string } | null;
  /** The Markdown as written. */
  body: string;
  /** The body as safe HTML (no raw HTML, http(s)/mailto links only, mentions marked). */
  bodyHtml: string;
  /** Who the comment mentions (and could see the task when it was written). */
  mentions: string[];
  mentioned: MentionTarget[];
  createdAt: Date;
  editedAt: Date | null;
  /** `update` for its author, `delete` for its author and whoever manages the task. */
  allowedActions: string[];
};

/** The people a page of comments names (authors and mentions), in one query. */
async function peopleOf(tx: Tx, ids: Iterable<string>): Promise<Map<string, { id: string; username: string; displayName: string }>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = await tx
    .select({ id: users.id, username: users.username, displayName: sql<string>`coalesce(${profiles.displayName}, '')` })
    .from(users)
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .where(inArray(users.id, wanted));
  return new Map(rows.map((row) => [row.id, row]));
}

type People = Awaited<ReturnType<typeof peopleOf>>;

function present(actor: UserActor, row: TaskRow, comment: CommentRecord, people: People): CommentView {
  const author = comment.authorId ? (people.get(comment.authorId) ?? null) : null;
  const mentioned = comment.mentions.flatMap((id) => {
    const person = people.get(id);
    return person ? [{ id: person.id, username: person.username }] : [];
  });
  const subject: CommentSubject = { orgId: comment.orgId, authorId: comment.authorId, task: taskSubject(row) };
  return {
    id: comment.id,
    orgId: comment.orgId,
    taskId: comment.taskId,
    authorId: comment.authorId,
    author,
    body: comment.body,
    bodyHtml: renderMarkdown(comment.body, { mentions: new Map(mentioned.map((person) => [person.username.toLowerCase(), person])) }),
    mentions: comment.mentions,
    mentioned,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
    allowedActions: allowedActions(actor, commentPolicy, subject),
  };
}

/** Comments of a set of rows, with the people they name. */
export async function presentComments(ctx: Ctx, row: TaskRow, comments: CommentRecord[]): Promise<CommentView[]> {
  const actor = requireUser(ctx.actor);
  const people = await peopleOf(
    ctx.tx,
    comments.flatMap((comment) => [...(comment.authorId ? [comment.authorId] : []), ...comment.mentions]),
  );
  return comments.map((comment) => present(actor, row, comment, people));
}

/** A task's comments, oldest first, a page at a time. */
export async function listComments(ctx: Ctx, taskId: string, query: PageQuery): Promise<Page<CommentView>> {
  const row = await findVisibleTask(ctx, taskId);
  const where = and(eq(taskComments.orgId, row.task.orgId), eq(taskComments.taskId, taskId));
  const [total] = await ctx.tx.select({ value: count() }).from(taskComments).where(where);
  const comments = await ctx.tx
    .select()
    .from(taskComments)
    .where(where)
    .orderBy(asc(taskComments.createdAt), asc(taskComments.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return { items: await presentComments(ctx, row, comments), page: query.page, pageSize: query.pageSize, total: total?.value ?? 0 };
}

/**
 * The members a body mentions who may see the task: active members of its
 * organization with that username (any case), each judged by the task policy
 * with their own permissions, read in the change's transaction.
 */
async function resolveMentions(ctx: Ctx, row: TaskRow, body: string): Promise<string[]> {
  const names = findMentions(body).slice(0, MAX_MENTIONS);
  if (!names.length) return [];
  const found = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, row.task.orgId), eq(memberships.isActive, true)))
    .where(and(eq(users.isActive, true), inArray(sql`lower(${users.username})`, names)));
  if (!found.length) return [];
  const audience = await taskAudience(ctx.tx, row, inTransaction(ctx), { among: found.map((user) => user.id), inTransaction: true });
  return audience.map((receiver) => receiver.actor.userId);
}

/** The first words of a body, as plain text, for a notification. */
export function excerpt(body: string, length = 140): string {
  const plain = body
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/[*_`>#~[\]()!]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > length ? `${plain.slice(0, length - 1)}…` : plain;
}

function about(row: TaskRow, comment: { id: string; body: string }) {
  const { task } = row;
  return {
    taskId: task.id,
    key: taskKey(task.projectId ? row.projectKey : null, task.number),
    title: task.title,
    projectId: task.projectId,
    commentId: comment.id,
    excerpt: excerpt(comment.body),
  };
}

/**
 * The task's people for `task.commented`: its assignee and reporter, the
 * project's manager and owner, everyone who commented before; then only those
 * who may still see the task.
 */
async function taskPeople(ctx: Ctx, row: TaskRow, exclude: Set<string>): Promise<string[]> {
  const { task } = row;
  const earlier = await ctx.tx
    .selectDistinct({ authorId: taskComments.authorId })
    .from(taskComments)
    .where(and(eq(taskComments.orgId, task.orgId), eq(taskComments.taskId, task.id)));
  const named = [task.assigneeId, task.reporterId, row.projectManagerId, row.projectOwnerId, ...earlier.map((comment) => comment.authorId)];
  const candidates = [...new Set(named.filter((id): id is string => id !== null && !exclude.has(id)))];
  if (!candidates.length) return [];
  const audience = await taskAudience(ctx.tx, row, inTransaction(ctx), { among: candidates, inTransaction: true });
  return audience.map((receiver) => receiver.actor.userId);
}

/** A comment by whoever may see the task; the mentioned and the task's people are told, and open task pages refresh. */
export async function addComment(ctx: Ctx, taskId: string, input: CommentInput): Promise<CommentView> {
  const actor = requireUser(ctx.actor);
  const row = await findVisibleTask(ctx, taskId);
  authorize(actor, commentCreationPolicy, "add", taskSubject(row));
  const { orgId } = row.task;
  const mentions = await resolveMentions(ctx, row, input.body);
  // The people are read before the insert, so the author is not an "earlier commenter" of their own comment.
  const mentioned = new Set([...mentions, actor.userId]);
  const people = await taskPeople(ctx, row, mentioned);
  const [comment] = await ctx.tx.insert(taskComments).values({ orgId, taskId, authorId: actor.userId, body: input.body, mentions }).returning();
  if (!comment) throw new Error("comment insert returned nothing");
  await recordAudit(ctx, {
    orgId,
    action: "task.commented",
    entityType: "task",
    entityId: taskId,
    changes: { commentId: [null, comment.id], ...(mentions.length ? { mentions: [null, mentions] } : {}) },
  });
  const data = about(row, comment);
  const told = mentions.filter((id) => id !== actor.userId);
  if (told.length) await emitEvent(ctx, taskMentioned, { orgId, recipients: told, data });
  if (people.length) await emitEvent(ctx, taskCommented, { orgId, recipients: people, data });
  pushTaskUpdated(ctx, row);
  const [view] = await presentComments(ctx, row, [comment]);
  if (!view) throw new Error("comment vanished");
  return view;
}

/** A comment the caller may read: one of a task they see, in their organizations; anything else is a 404. */
async function findComment(ctx: Ctx, commentId: string, options: { forUpdate?: boolean } = {}): Promise<{ comment: CommentRecord; row: TaskRow }> {
  const actor = requireUser(ctx.actor);
  const query = ctx.tx
    .select()
    .from(taskComments)
    .where(and(eq(taskComments.id, commentId), inMemberOrgs(actor, taskComments.orgId)));
  const [comment] = options.forUpdate ? await query.for("update") : await query;
  if (!comment) throw new NotFoundError("comment");
  const row = await findVisibleTask(ctx, comment.taskId).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw new NotFoundError("comment");
    throw error;
  });
  return { comment, row };
}

const subjectOf = (comment: CommentRecord, row: TaskRow): CommentSubject => ({ orgId: comment.orgId, authorId: comment.authorId, task: taskSubject(row) });

/**
 * Its author edits a comment: `editedAt` is set, the earlier text is kept in
 * the audit log (and so in the task's activity), and people the new text
 * mentions for the first time are told.
 */
export async function updateComment(ctx: Ctx, commentId: string, input: CommentInput): Promise<CommentView> {
  const actor = requireUser(ctx.actor);
  const { comment, row } = await findComment(ctx, commentId, { forUpdate: true });
  authorize(actor, commentPolicy, "update", subjectOf(comment, row));
  if (input.body === comment.body) return (await presentComments(ctx, row, [comment]))[0] as CommentView;
  const mentions = await resolveMentions(ctx, row, input.body);
  const [updated] = await ctx.tx
    .update(taskComments)
    .set({ body: input.body, mentions, editedAt: new Date() })
    .where(and(eq(taskComments.orgId, comment.orgId), eq(taskComments.id, comment.id)))
    .returning();
  if (!updated) throw new NotFoundError("comment");
  await recordAudit(ctx, {
    orgId: comment.orgId,
    action: "task.comment_edited",
    entityType: "task",
    entityId: comment.taskId,
    changes: { commentId: [comment.id, comment.id], body: [comment.body, input.body] },
  });
  const before = new Set([...comment.mentions, actor.userId]);
  const newly = mentions.filter((id) => !before.has(id));
  if (newly.length) await emitEvent(ctx, taskMentioned, { orgId: comment.orgId, recipients: newly, data: about(row, updated) });
  pushTaskUpdated(ctx, row);
  return (await presentComments(ctx, row, [updated]))[0] as CommentView;
}

/** Its author, or whoever manages the task, deletes a comment; the audit log keeps what it said. */
export async function deleteComment(ctx: Ctx, commentId: string): Promise<void> {
  const actor = requireUser(ctx.actor);
  const { comment, row } = await findComment(ctx, commentId, { forUpdate: true });
  authorize(actor, commentPolicy, "delete", subjectOf(comment, row));
  await ctx.tx.delete(taskComments).where(and(eq(taskComments.orgId, comment.orgId), eq(taskComments.id, comment.id)));
  await recordAudit(ctx, {
    orgId: comment.orgId,
    action: "task.comment_deleted",
    entityType: "task",
    entityId: comment.taskId,
    changes: { commentId: [comment.id, null], authorId: [comment.authorId, null], body: [comment.body, null] },
  });
  pushTaskUpdated(ctx, row);
}

/** Whom the caller can mention on a task: active members who may see it, by username or name. */
export async function listMentionable(ctx: Ctx, taskId: string, search: string | undefined): Promise<Array<{ id: string; username: string; displayName: string }>> {
  const actor = requireUser(ctx.actor);
  const row = await findVisibleTask(ctx, taskId);
  // The task's possible readers (its people, holders of a grant that shows it), each judged by the policy.
  const audience = await taskAudience(ctx.tx, row, (userIds) => ctx.services.principals.getMany(userIds));
  const people = await peopleOf(
    ctx.tx,
    audience.map((receiver) => receiver.actor.userId).filter((id) => id !== actor.userId),
  );
  const needle = search?.trim().replace(/^@/, "").toLowerCase() ?? "";
  return [...people.values()]
    .filter((person) => !needle || person.username.toLowerCase().includes(needle) || person.displayName.toLowerCase().includes(needle))
    .sort((a, b) => Number(!a.username.toLowerCase().startsWith(needle)) - Number(!b.username.toLowerCase().startsWith(needle)) || a.username.localeCompare(b.username))
    .slice(0, 20);
}
