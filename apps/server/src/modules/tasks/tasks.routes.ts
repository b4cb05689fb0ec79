import { bulkCreateTasksInput, bulkUpdateTasksInput, createTaskInput, moveTaskInput, updateTaskInput } from "@cairn/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { pageOf } from "../../platform/http/pagination.js";
import { fastListSerializer } from "../../platform/http/serializer.js";
import { withCtx } from "../../platform/services.js";
import { bulkCreateTasks, bulkUpdateTasks } from "./tasks.bulk.js";
import { listLabels } from "./tasks.labels.js";
import { listTasks } from "./tasks.list.js";
import { taskLabelsQuery, taskListQuery, taskOut } from "./tasks.schemas.js";
import { createTask, deleteTask, getTask, moveTask, updateTask } from "./tasks.service.js";

const taskParams = z.object({ id: z.uuid() });

export const tasksRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["tasks"];

  app.get(
    "/",
    {
      schema: {
        tags,
        summary: "Tasks the caller sees, filtered, ordered and paginated",
        description:
          "A task is seen by its assignee (tasks.view_assigned), by holders of tasks.view_all for the projects they can see (scope own: projects they own or manage), and, when personal, by its creator and holders of tasks.oversee.",
        security,
        querystring: taskListQuery,
        response: { 200: pageOf(taskOut), ...problemResponses(400, 401, 403, 404) },
      },
      // The busiest read of the product: its page is written by a compiled serializer.
      serializerCompiler: fastListSerializer(),
    },
    async (request) => withCtx(services, request, (ctx) => listTasks(ctx, request.query)),
  );

  app.post(
    "/",
    {
      schema: {
        tags,
        summary: "Create a task in a project (tasks.manage) or, without projectId, a personal task (tasks.personal)",
        description:
          "The assignee must be able to work on the project: a member of it, or one they become within their role's project limit (409 otherwise).",
        security,
        body: createTaskInput,
        response: { 201: taskOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => createTask(ctx, request.body))),
  );

  app.get(
    "/labels",
    {
      schema: {
        tags,
        summary: "Labels of the caller's organizations, for suggestions (created on first use)",
        security,
        querystring: taskLabelsQuery,
        response: { 200: z.object({ items: z.array(z.object({ name: z.string(), orgId: z.uuid() })) }), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listLabels(ctx, request.query)),
  );

  app.patch(
    "/bulk",
    {
      schema: {
        tags,
        summary: "The same change on up to 500 tasks, all or nothing",
        description:
          "The first id the caller may not see answers 404 naming it; the first they may not change 403 naming it and the permission (status alone needs tasks.update_status as the assignee, anything else tasks.manage); nothing changes then.",
        security,
        body: bulkUpdateTasksInput,
        response: { 200: z.object({ updated: z.number().int() }), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => bulkUpdateTasks(ctx, request.body)),
  );

  app.post(
    "/bulk",
    {
      schema: {
        tags,
        summary: "Create up to 1,000 tasks in one project (or personal ones), all or nothing",
        description: "A 400 lists every bad row (`errors[].path` such as `tasks.3.title`); nothing is created then.",
        security,
        body: bulkCreateTasksInput,
        response: { 201: z.object({ ids: z.array(z.uuid()) }), ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => bulkCreateTasks(ctx, request.body))),
  );

  app.get(
    "/:id",
    { schema: { tags, summary: "One task, with what the caller may do with it", security, params: taskParams, response: { 200: taskOut, ...problemResponses(401, 404) } } },
    async (request) => withCtx(services, request, (ctx) => getTask(ctx, request.params.id)),
  );

  app.patch(
    "/:id",
    {
      schema: {
        tags,
        summary: "Change a task: status alone with tasks.update_status as its assignee, any other field with tasks.manage",
        security,
        params: taskParams,
        body: updateTaskInput,
        response: { 200: taskOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => updateTask(ctx, request.params.id, request.body)),
  );

  app.delete(
    "/:id",
    { schema: { tags, summary: "Delete a task (tasks.manage)", security, params: taskParams, response: { 204: z.null(), ...problemResponses(401, 403, 404) } } },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => deleteTask(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/:id/move",
    {
      schema: {
        tags,
        summary: "The board's move: a status and a place in the column (afterId null: the top)",
        security,
        params: taskParams,
        body: moveTaskInput,
        response: { 200: taskOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => moveTask(ctx, request.params.id, request.body)),
  );
};
