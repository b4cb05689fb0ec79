import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { addDependency, listDependencies, removeDependency } from "./tasks.dependencies.js";
import { addDependencyInput, dependencyOut } from "./tasks.schemas.js";

const taskParams = z.object({ id: z.uuid() });

/** What a task waits for (API.md "Tasks": GET/POST /api/tasks/{id}/dependencies, DELETE …/{dependsOnId}). */
export const taskDependenciesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["tasks"];

  app.get(
    "/:id/dependencies",
    {
      schema: {
        tags,
        summary: "The tasks this one waits for (items) and the tasks waiting for it (blocking)",
        description:
          "Whoever sees the task reads its links; a linked task the caller may not see is listed without its name (`task: null`).",
        security,
        params: taskParams,
        response: {
          200: z.object({ items: z.array(dependencyOut), blocking: z.array(dependencyOut) }),
          ...problemResponses(401, 404),
        },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listDependencies(ctx, request.params.id)),
  );

  app.post(
    "/:id/dependencies",
    {
      schema: {
        tags,
        summary: "Make this task wait for another task of its organization (tasks.manage on this task)",
        description:
          "The blocker may be in any project of the organization the caller sees (404 otherwise). A link that would close a loop is a 409 naming it (`SHOP-3 → SHOP-7 → SHOP-3`); a link already there is a 409.",
        security,
        params: taskParams,
        body: addDependencyInput,
        response: { 201: dependencyOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await withCtx(services, request, (ctx) =>
            addDependency(ctx, request.params.id, request.body.dependsOnId),
          ),
        ),
  );

  app.delete(
    "/:id/dependencies/:dependsOnId",
    {
      schema: {
        tags,
        summary: "Stop this task waiting for another (tasks.manage on this task)",
        security,
        params: taskParams.extend({ dependsOnId: z.uuid() }),
        response: { 204: z.null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) =>
        removeDependency(ctx, request.params.id, request.params.dependsOnId),
      );
      return reply.code(204).send(null);
    },
  );
};
