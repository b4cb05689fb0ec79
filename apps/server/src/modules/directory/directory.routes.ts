import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { orderingQuery, pageOf, pageQuery, queryBoolean } from "../../platform/http/pagination.js";
import { withCtx } from "../../platform/services.js";
import { getDeveloper, listDevelopers } from "./directory.service.js";

const developerOut = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    bio: z.string(),
    avatarUrl: z.string().nullable(),
    timezone: z.string(),
    verified: z.boolean().describe("Holds a role on the verified step of the developer track (a role attribute) in an organization the caller shares"),
    roles: z.array(z.string()).describe("Roles in the organizations the caller shares with the developer"),
    projects: z.array(z.object({ id: z.uuid(), name: z.string() })).describe("Projects the developer is on that the caller may see"),
  })
  .meta({ id: "Developer" });

const developerDetailOut = developerOut
  .extend({
    phoneVerified: z.boolean(),
    profileComplete: z.boolean(),
    completedAt: z.date().nullable(),
    orgs: z.array(
      z.object({
        id: z.uuid(),
        slug: z.string(),
        name: z.string(),
        roles: z.array(z.string()),
        verified: z.boolean().describe("Holds a role on the verified step of the developer track here"),
      }),
    ),
  })
  .meta({ id: "DeveloperDetail" });

/** The developer directory, under /api/developers (developers.view). */
export const directoryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];

  app.get(
    "/",
    {
      schema: {
        tags: ["people"],
        summary: "Developers (members holding a role on the developer track, e.g. developer or verified_developer) of the caller's organizations (developers.view)",
        security,
        querystring: pageQuery.extend({
          search: z.string().trim().max(100).optional().describe("Part of the username or display name, any case"),
          project: z.uuid().optional().describe("Only developers on this project"),
          verified: queryBoolean.optional(),
          org: z.string().min(1).max(64).optional().describe("Organization id or slug"),
          ordering: orderingQuery(["username", "displayName", "createdAt"]),
        }),
        response: { 200: pageOf(developerOut), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listDevelopers(ctx, request.query)),
  );

  app.get(
    "/:userId",
    {
      schema: {
        tags: ["people"],
        summary: "One developer: public profile, roles, verification state, visible projects (developers.view)",
        security,
        params: z.object({ userId: z.uuid() }),
        response: { 200: developerDetailOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => getDeveloper(ctx, request.params.userId)),
  );
};
