import {
  addProjectMemberInput,
  createProjectInput,
  PAYMENT_STATUSES,
  PROJECT_ORDERINGS,
  PROJECT_STATUSES,
  projectStatusInput,
  updateProjectInput,
  updateProjectMemberInput,
} from "@cairn/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { orderingQuery, pageOf, pageQuery, queryBoolean } from "../../platform/http/pagination.js";
import { withCtx } from "../../platform/services.js";
import { addProjectMember, getProjectMembers, removeProjectMember, updateProjectMember } from "./members.service.js";
import { projectDetailOut, projectMemberOut, projectOut, projectStatisticsOut } from "./projects.schemas.js";
import { listProjects } from "./projects.list.js";
import { changeProjectStatus, createProject, deleteProject, getProject, updateProject } from "./projects.service.js";
import { getProjectStatistics } from "./statistics.service.js";

const projectParams = z.object({ id: z.uuid() });
const memberParams = projectParams.extend({ userId: z.uuid() });

export const projectListQuery = pageQuery.extend({
  search: z.string().max(100).optional().describe("Part of the name, case-insensitive"),
  developer: z.uuid().optional().describe("Projects this user is a member of"),
  status: z.enum(PROJECT_STATUSES).optional(),
  client: z.uuid().optional(),
  team: z.uuid().optional(),
  org: z.string().max(64).optional().describe("Organization id or slug"),
  archived: queryBoolean.optional().describe("Archived projects only (true) or active ones only (false); both when left out"),
  paymentStatus: z
    .enum(PAYMENT_STATUSES)
    .optional()
    .describe(
      "Projects whose payment status, as the caller is shown it, is this one. Only with projects.view_financials: a 403 naming it otherwise. The customer of a client matches their own client's projects on the status from approved payments (never `pending`)",
    ),
  ordering: orderingQuery(PROJECT_ORDERINGS),
});

export const projectsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["projects"];

  app.get(
    "/",
    {
      schema: {
        tags,
        summary: "Projects the caller sees, filtered, ordered and paginated (financial fields only with projects.view_financials)",
        description:
          "Financial fields (`cost`, `discount`, `netPrice`, `currency`, `paymentStatus`, `paidAmount`/`amountPaid`) are present only for callers with projects.view_financials on the project; the customer of the project's client gets the balance from approved payments only. The `paymentStatus` filter answers 403 (naming projects.view_financials) to a caller who holds that permission nowhere (or not in `?org=`).",
        security,
        querystring: projectListQuery,
        response: { 200: pageOf(projectOut), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listProjects(ctx, request.query)),
  );

  app.post(
    "/",
    {
      schema: {
        tags,
        summary: "Open a project (projects.add); the caller becomes its owner and member",
        security,
        body: createProjectInput,
        response: { 201: projectDetailOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => createProject(ctx, request.body))),
  );

  app.get(
    "/:id",
    {
      schema: {
        tags,
        summary: "One project with its members (financial fields only with projects.view_financials)",
        security,
        params: projectParams,
        response: { 200: projectDetailOut, ...problemResponses(401, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => getProject(ctx, request.params.id)),
  );

  app.patch(
    "/:id",
    {
      schema: {
        tags,
        summary: "Edit a project (projects.change_any, or projects.change_own on projects the caller owns or manages)",
        security,
        params: projectParams,
        body: updateProjectInput,
        response: { 200: projectDetailOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => updateProject(ctx, request.params.id, request.body)),
  );

  app.delete(
    "/:id",
    { schema: { tags, summary: "Delete a project with its members, payments and files (projects.delete)", security, params: projectParams, response: { 204: z.null(), ...problemResponses(401, 403, 404) } } },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => deleteProject(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.patch(
    "/:id/status",
    {
      schema: {
        tags,
        summary: "Move a project along planning → active → on hold / completed / cancelled; 409 for a move that is not allowed",
        security,
        params: projectParams,
        body: projectStatusInput,
        response: { 200: projectDetailOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => changeProjectStatus(ctx, request.params.id, request.body.status)),
  );

  app.get(
    "/:id/statistics",
    {
      schema: {
        tags,
        summary: "Task counts by status and priority, overdue tasks, hours logged, completion",
        security,
        params: projectParams,
        response: { 200: projectStatisticsOut, ...problemResponses(401, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => getProjectStatistics(ctx, request.params.id)),
  );

  app.get(
    "/:id/members",
    {
      schema: {
        tags,
        summary: "People on the project",
        security,
        params: projectParams,
        response: { 200: z.object({ items: z.array(projectMemberOut) }), ...problemResponses(401, 404) },
      },
    },
    async (request) => ({ items: await withCtx(services, request, (ctx) => getProjectMembers(ctx, request.params.id)) }),
  );

  app.post(
    "/:id/members",
    {
      schema: {
        tags,
        summary: "Put a member of the organization on the project; 409 past their project limit (a developer's is 1)",
        security,
        params: projectParams,
        body: addProjectMemberInput,
        response: { 201: projectMemberOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => addProjectMember(ctx, request.params.id, request.body))),
  );

  app.patch(
    "/:id/members/:userId",
    {
      schema: {
        tags,
        summary: "Change a member's role on the project",
        security,
        params: memberParams,
        body: updateProjectMemberInput,
        response: { 200: projectMemberOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => updateProjectMember(ctx, request.params.id, request.params.userId, request.body)),
  );

  app.delete(
    "/:id/members/:userId",
    { schema: { tags, summary: "Take someone off the project", security, params: memberParams, response: { 204: z.null(), ...problemResponses(401, 403, 404) } } },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => removeProjectMember(ctx, request.params.id, request.params.userId));
      return reply.code(204).send(null);
    },
  );
};
