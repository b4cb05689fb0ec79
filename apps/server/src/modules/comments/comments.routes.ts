import { commentInput } from "@cairn/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { withCtx } from "../../platform/services.js";
import { taskActivity } from "./activity.service.js";
import { addComment, deleteComment, listComments, listMentionable, updateComment } from "./comments.service.js";

const idParams = z.object({ id: z.uuid() });
const person = z.object({ id: z.uuid(), username: z.string() });

export const commentOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    taskId: z.uuid(),
    authorId: z.uuid().nullable(),
    author: z.object({ id: z.uuid(), username: z.string(), displayName: z.string() }).nullable(),
    body: z.string().describe("The Markdown as written"),
    bodyHtml: z.string().describe("The body as safe HTML: no raw HTML, http(s) and mailto links only (rel=\"noopener nofollow\"), no images, mentions as <span class=\"mention\">"),
    mentions: z.array(z.uuid()).describe("Members the comment mentions who could see the task"),
    mentioned: z.array(person),
    createdAt: z.date(),
    editedAt: z.date().nullable(),
    allowedActions: z.array(z.string()).describe("update (its author), delete (its author and whoever manages the task)"),
  })
  .meta({ id: "TaskComment" });

const activityItem = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("event"),
    id: z.uuid(),
    createdAt: z.date(),
    actor: person.nullable(),
    action: z.string().describe("task.created, task.updated, task.file_uploaded, task.time_logged, task.comment_edited, …"),
    changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])).describe("{field: [before, after]}"),
  }),
  z.object({ type: z.literal("comment"), id: z.uuid(), createdAt: z.date(), actor: person.nullable(), comment: commentOut }),
]);

/** Comments of tasks (under /api/tasks/{id}) and by their own id (under /api/comments). */
export const taskCommentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["tasks"];

  app.get(
    "/:id/comments",
    {
      schema: {
        tags,
        summary: "A task's comments, oldest first (whoever sees the task)",
        security,
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageOf(commentOut), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listComments(ctx, request.params.id, request.query)),
  );

  app.post(
    "/:id/comments",
    {
      schema: {
        tags,
        summary: "Comment on a task (whoever sees it): Markdown up to 20,000 characters; @username tells members who can see the task",
        security,
        params: idParams,
        body: commentInput,
        response: { 201: commentOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => addComment(ctx, request.params.id, request.body))),
  );

  app.get(
    "/:id/mentionable",
    {
      schema: {
        tags,
        summary: "Members the caller can mention on a task: those who may see it (the comment box's suggestions)",
        security,
        params: idParams,
        querystring: z.object({ search: z.string().max(100).optional() }),
        response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), username: z.string(), displayName: z.string() })) }), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => ({ items: await withCtx(services, request, (ctx) => listMentionable(ctx, request.params.id, request.query.search)) }),
  );

  app.get(
    "/:id/activity",
    {
      schema: {
        tags,
        summary: "A task's history: its audit entries and comments, oldest first",
        description: "`people` names the users the page's entries refer to by id (actors, assignees, mentions).",
        security,
        params: idParams,
        querystring: pageQuery,
        response: { 200: pageOf(activityItem).extend({ people: z.record(z.string(), z.string()) }), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => taskActivity(ctx, request.params.id, request.query)),
  );
};

export const commentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["tasks"];

  app.patch(
    "/:id",
    {
      schema: {
        tags,
        summary: "Edit a comment (its author): editedAt is set and the earlier text kept in the task's activity",
        security,
        params: idParams,
        body: commentInput,
        response: { 200: commentOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => updateComment(ctx, request.params.id, request.body)),
  );

  app.delete(
    "/:id",
    {
      schema: {
        tags,
        summary: "Delete a comment (its author, or tasks.manage on the task)",
        security,
        params: idParams,
        response: { 204: z.null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => deleteComment(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );
};
