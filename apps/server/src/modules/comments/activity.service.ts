import { and, eq, inArray, sql } from "drizzle-orm";
import { auditLog } from "../../platform/audit/audit.table.js";
import type { Ctx } from "../../platform/context.js";
import type { Page, PageQuery } from "../../platform/http/pagination.js";
import { users } from "../accounts/index.js";
import { findVisibleTask } from "../tasks/index.js";
import { presentComments, type CommentView } from "./comments.service.js";
import { taskComments } from "./comments.table.js";

/**
 * A task's history (GET /api/tasks/{id}/activity): its audit entries (created,
 * each change with the values before and after, files, time, comments edited
 * and deleted) and its comments, oldest first, one page at a time from one
 * query over both. A comment stands for its own `task.commented` entry; a
 * deleted comment's text stays in the audit log (audit.view) and is not shown
 * here, so deleting one really takes it from the task's readers, while an
 * edited comment shows what it said before.
 */

export type ActivityItem =
  | {
      type: "event";
      id: string;
      createdAt: Date;
      actor: { id: string; username: string } | null;
      action: string;
      changes: Record<string, [unknown, unknown]>;
    }
  | { type: "comment"; id: string; createdAt: Date; actor: { id: string; username: string } | null; comment: CommentView };

/** Fields of an entry the activity leaves out (kept in the audit log). */
const HIDDEN: Record<string, string[]> = { "task.comment_deleted": ["body"] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every id among the values of entries' changes (an assignee, a mention), for their names. */
function idsIn(changes: Record<string, [unknown, unknown]>): string[] {
  return Object.values(changes)
    .flat()
    .flatMap((value): unknown[] => (Array.isArray(value) ? (value as unknown[]) : [value]))
    .filter((value): value is string => typeof value === "string" && UUID.test(value));
}

export async function taskActivity(ctx: Ctx, taskId: string, query: PageQuery): Promise<Page<ActivityItem> & { people: Record<string, string> }> {
  const row = await findVisibleTask(ctx, taskId);
  const { orgId } = row.task;
  const offset = (query.page - 1) * query.pageSize;
  const merged = await ctx.tx.execute(sql`
    select kind, id, created_at, (count(*) over ())::int as total from (
      select 'event' as kind, ${auditLog.id} as id, ${auditLog.createdAt} as created_at from ${auditLog}
      where ${auditLog.entityType} = 'task' and ${auditLog.entityId} = ${taskId} and ${auditLog.orgId} = ${orgId}
        and ${auditLog.action} <> 'task.commented'
      union all
      select 'comment', ${taskComments.id}, ${taskComments.createdAt} from ${taskComments}
      where ${taskComments.orgId} = ${orgId} and ${taskComments.taskId} = ${taskId}
    ) story
    order by created_at, id
    limit ${query.pageSize} offset ${offset}`);
  const rows = (merged as { rows: Array<{ kind: "event" | "comment"; id: string; total: number }> }).rows;
  const eventIds = rows.filter((item) => item.kind === "event").map((item) => item.id);
  const commentIds = rows.filter((item) => item.kind === "comment").map((item) => item.id);
  const entries = eventIds.length ? await ctx.tx.select().from(auditLog).where(inArray(auditLog.id, eventIds)) : [];
  const commentRows = commentIds.length
    ? await ctx.tx
        .select()
        .from(taskComments)
        .where(and(eq(taskComments.orgId, orgId), inArray(taskComments.id, commentIds)))
    : [];
  const comments = new Map((await presentComments(ctx, row, commentRows)).map((comment) => [comment.id, comment]));
  const byId = new Map(entries.map((entry) => [entry.id, entry]));

  const ids = new Set<string>();
  for (const entry of entries) {
    if (entry.actorId) ids.add(entry.actorId);
    for (const id of idsIn(entry.changes)) ids.add(id);
  }
  const names = ids.size
    ? await ctx.tx
        .select({ id: users.id, username: users.username })
        .from(users)
        .where(inArray(users.id, [...ids]))
    : [];
  const people = Object.fromEntries(names.map((person) => [person.id, person.username]));

  const items = rows.flatMap((item): ActivityItem[] => {
    if (item.kind === "comment") {
      const comment = comments.get(item.id);
      if (!comment) return [];
      return [{ type: "comment", id: comment.id, createdAt: comment.createdAt, actor: comment.author ? { id: comment.author.id, username: comment.author.username } : null, comment }];
    }
    const entry = byId.get(item.id);
    if (!entry) return [];
    const hidden = HIDDEN[entry.action] ?? [];
    const changes = Object.fromEntries(Object.entries(entry.changes).filter(([field]) => !hidden.includes(field)));
    const actor = entry.actorId && people[entry.actorId] ? { id: entry.actorId, username: people[entry.actorId] as string } : null;
    return [{ type: "event", id: entry.id, createdAt: entry.createdAt, actor, action: entry.action, changes }];
  });
  return { items, page: query.page, pageSize: query.pageSize, total: rows[0]?.total ?? (offset ? await countActivity(ctx, orgId, taskId) : 0), people };
}

/** The count alone, for a page past the end (no row to carry it). */
async function countActivity(ctx: Ctx, orgId: string, taskId: string): Promise<number> {
  const result = await ctx.tx.execute(sql`
    select ((select count(*) from ${auditLog} where ${auditLog.entityType} = 'task' and ${auditLog.entityId} = ${taskId}
              and ${auditLog.orgId} = ${orgId} and ${auditLog.action} <> 'task.commented')
          + (select count(*) from ${taskComments} where ${taskComments.orgId} = ${orgId} and ${taskComments.taskId} = ${taskId}))::int as total`);
  return (result as { rows: Array<{ total: number }> }).rows[0]?.total ?? 0;
}
