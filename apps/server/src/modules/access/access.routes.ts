import { createRoleInput, ownScopeOf, PERMISSIONS, PERMISSION_CODENAMES, permissionArea, roleFields, updateRoleInput } from "@cairn/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { getOrganization } from "./tenancy.js";
import { createRole, deleteRole, listRoles, updateRole } from "./roles.service.js";

const roleOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    isSystem: z.boolean(),
    projectLimit: z.number().int().nullable(),
    developerTrack: roleFields.developerTrack,
    permissions: z.array(z.string()),
    ownScoped: z.array(z.string()),
    memberCount: z.number().int().describe("Members holding the role"),
    allowedActions: z.array(z.string()).describe("What the caller may do: update, delete (custom roles nobody holds answer 409 while held)"),
  })
  .meta({ id: "Role" });

const orgParams = z.object({ org: z.string().min(1).max(64) });

export const rolesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];

  app.get(
    "/:org/roles",
    {
      schema: {
        tags: ["roles"],
        summary: "Roles of an organization with their permissions (members.view)",
        security,
        params: orgParams,
        response: { 200: z.object({ items: z.array(roleOut) }), ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => ({
      items: await withCtx(services, request, async (ctx) => listRoles(ctx, (await getOrganization(ctx, request.params.org)).id)),
    }),
  );

  app.post(
    "/:org/roles",
    {
      schema: {
        tags: ["roles"],
        summary: "Create a custom role (roles.manage)",
        security,
        params: orgParams,
        body: createRoleInput,
        response: { 201: roleOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await withCtx(services, request, async (ctx) => createRole(ctx, (await getOrganization(ctx, request.params.org)).id, request.body))),
  );

  app.patch(
    "/:org/roles/:key",
    {
      schema: {
        tags: ["roles"],
        summary: "Edit a role; default roles keep their permissions and developer track (roles.manage)",
        security,
        params: orgParams.extend({ key: z.string().max(40) }),
        body: updateRoleInput,
        response: { 200: roleOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      withCtx(services, request, async (ctx) =>
        updateRole(ctx, (await getOrganization(ctx, request.params.org)).id, request.params.key, request.body),
      ),
  );

  app.delete(
    "/:org/roles/:key",
    {
      schema: {
        tags: ["roles"],
        summary: "Delete a custom role (roles.manage); 409 while members hold it, naming how many; default roles stay",
        security: [{ bearerAuth: [] }],
        params: z.object({ org: z.string().min(1).max(64), key: z.string().min(1).max(40) }),
        response: { 204: z.null(), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, async (ctx) => deleteRole(ctx, (await getOrganization(ctx, request.params.org)).id, request.params.key));
      return reply.code(204).send(null);
    },
  );
};

export const permissionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/",
    {
      schema: {
        tags: ["roles"],
        summary: "The permission catalog",
        response: {
          200: z.object({
            items: z.array(
              z.object({
                codename: z.string(),
                area: z.string(),
                description: z.string(),
                own: z
                  .string()
                  .nullable()
                  .describe('What a grant of scope `own` covers ("projects they own or manage"); null: granted on everything or not at all'),
              }),
            ),
          }),
        },
      },
    },
    () => ({
      items: PERMISSION_CODENAMES.map((codename) => ({ codename, area: permissionArea(codename), description: PERMISSIONS[codename], own: ownScopeOf(codename) })),
    }),
  );
};
