import { createTeamInput, TEAM_ORDERINGS, updateTeamInput } from "@cairn/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { orderingQuery, pageOf, pageQuery } from "../../platform/http/pagination.js";
import { withCtx } from "../../platform/services.js";
import { addTeamMember, createTeam, deleteTeam, getTeam, listTeams, removeTeamMember, updateTeam } from "./teams.service.js";

export const teamOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    name: z.string(),
    description: z.string(),
    managerId: z.uuid().nullable(),
    manager: z.object({ id: z.uuid(), username: z.string() }).nullable(),
    members: z.array(z.object({ userId: z.uuid(), username: z.string() })),
    createdAt: z.date(),
    updatedAt: z.date(),
    allowedActions: z.array(z.string()).describe("What the caller may do with this team: update, delete, manageMembers, assignManager"),
  })
  .meta({ id: "Team" });

const teamParams = z.object({ id: z.uuid() });

export const teamsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["teams"];

  app.get(
    "/",
    {
      schema: {
        tags,
        summary: "Teams the caller sees: all of them for admins, else those they manage or belong to",
        security,
        querystring: pageQuery.extend({
          search: z.string().max(100).optional(),
          org: z.string().max(64).optional(),
          manager: z.uuid().optional(),
          member: z.uuid().optional(),
          ordering: orderingQuery(TEAM_ORDERINGS),
        }),
        response: { 200: pageOf(teamOut), ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listTeams(ctx, request.query)),
  );

  app.post(
    "/",
    {
      schema: {
        tags,
        summary: "Create a team (teams.manage; a manager's own team unless an admin names another manager)",
        security,
        body: createTeamInput,
        response: { 201: teamOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => createTeam(ctx, request.body))),
  );

  app.get(
    "/:id",
    { schema: { tags, summary: "One team (its members, its manager and admins)", security, params: teamParams, response: { 200: teamOut, ...problemResponses(401, 404) } } },
    async (request) => withCtx(services, request, (ctx) => getTeam(ctx, request.params.id)),
  );

  app.patch(
    "/:id",
    {
      schema: {
        tags,
        summary: "Rename or describe a team; changing its manager is an admin's call",
        security,
        params: teamParams,
        body: updateTeamInput,
        response: { 200: teamOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => updateTeam(ctx, request.params.id, request.body)),
  );

  app.delete(
    "/:id",
    { schema: { tags, summary: "Delete a team; its projects keep going without one", security, params: teamParams, response: { 204: z.null(), ...problemResponses(401, 403, 404) } } },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => deleteTeam(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/:id/members/:userId",
    {
      schema: {
        tags,
        summary: "Add a member of the organization to the team",
        security,
        params: teamParams.extend({ userId: z.uuid() }),
        response: { 201: teamOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await withCtx(services, request, (ctx) => addTeamMember(ctx, request.params.id, request.params.userId))),
  );

  app.delete(
    "/:id/members/:userId",
    {
      schema: {
        tags,
        summary: "Remove a member from the team",
        security,
        params: teamParams.extend({ userId: z.uuid() }),
        response: { 204: z.null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => removeTeamMember(ctx, request.params.id, request.params.userId));
      return reply.code(204).send(null);
    },
  );
};
