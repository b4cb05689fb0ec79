import { DEVELOPER_TRACKS, addMemberInput, createOrganizationInput, MEMBER_ORDERINGS, MEMBER_STATES, updateMemberInput, updateOrganizationInput } from "@cairn/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { orderingQuery, pageOf, pageQuery, queryBoolean } from "../../platform/http/pagination.js";
import { withCtx } from "../../platform/services.js";
import type { Actor } from "../../platform/access/actor.js";
import { addMember, listMembers, resendInvitation, updateMember } from "./members.service.js";
import { orgActions } from "./orgs.policy.js";
import { getOrganization } from "../access/index.js";
import { createOrganization, listOrganizations, updateOrganization } from "./orgs.service.js";

export const orgOut = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    openRegistration: z.boolean(),
    createdAt: z.date(),
    allowedActions: z
      .array(z.string())
      .describe("What the caller may do here: update, viewMembers, manageMembers, manageRoles, setOpenRegistration"),
  })
  .meta({ id: "Organization" });

export const memberOut = z
  .object({
    user: z.object({ id: z.uuid(), username: z.string(), email: z.string().optional(), isActive: z.boolean() }),
    profile: z.object({ displayName: z.string(), avatarUrl: z.string().nullable() }),
    roles: z.array(z.string()),
    isActive: z.boolean(),
    state: z.enum(MEMBER_STATES).describe("invited until the password is set, active, or deactivated"),
    joinedAt: z.date(),
    developerTrack: z
      .enum(DEVELOPER_TRACKS)
      .nullable()
      .describe("Where the member stands on the developer track, from their roles' attribute: unverified, verified, or null off it"),
    allowedActions: z
      .array(z.string())
      .describe(
        "update, changeRoles, deactivate or reactivate, resendInvitation, promote (an unverified developer) or demote (a verified one): POST …/members/{userId}/verification",
      ),
  })
  .meta({ id: "Member" });

const orgParams = z.object({ org: z.string().min(1).max(64).describe("Organization id or slug") });
type OrgFields = Omit<z.input<typeof orgOut>, "allowedActions">;
const presentOrg = (actor: Actor, org: OrgFields): z.input<typeof orgOut> => ({
  id: org.id,
  slug: org.slug,
  name: org.name,
  openRegistration: org.openRegistration,
  createdAt: org.createdAt,
  allowedActions: orgActions(actor, org.id),
});

export const orgsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];

  app.get(
    "/",
    {
      schema: {
        tags: ["organizations"],
        summary: "Organizations the caller belongs to (all of them for the superuser)",
        security,
        querystring: pageQuery.extend({ search: z.string().max(100).optional() }),
        response: { 200: pageOf(orgOut), ...problemResponses(401) },
      },
    },
    async (request) => {
      const page = await withCtx(services, request, (ctx) => listOrganizations(ctx, request.query));
      return { ...page, items: page.items.map((org) => presentOrg(request.actor, org)) };
    },
  );

  app.post(
    "/",
    {
      schema: {
        tags: ["organizations"],
        summary: "Create an organization with the default roles and, optionally, its first admin (superuser)",
        security,
        body: createOrganizationInput,
        response: { 201: orgOut.extend({ admin: memberOut.nullable() }), ...problemResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const org = await withCtx(services, request, (ctx) => createOrganization(ctx, request.body));
      return reply.code(201).send({ ...presentOrg(request.actor, org), admin: org.admin });
    },
  );

  app.get(
    "/:org",
    {
      schema: {
        tags: ["organizations"],
        summary: "One organization",
        security,
        params: orgParams,
        response: { 200: orgOut, ...problemResponses(401, 404) },
      },
    },
    async (request) => presentOrg(request.actor, await withCtx(services, request, (ctx) => getOrganization(ctx, request.params.org))),
  );

  app.patch(
    "/:org",
    {
      schema: {
        tags: ["organizations"],
        summary: "Rename an organization (admin); choose the open one (superuser)",
        security,
        params: orgParams,
        body: updateOrganizationInput,
        response: { 200: orgOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      presentOrg(request.actor, await withCtx(services, request, (ctx) => updateOrganization(ctx, request.params.org, request.body))),
  );

  app.get(
    "/:org/members",
    {
      schema: {
        tags: ["members"],
        summary: "Members with their roles and state (members.view); filters role, permission, withoutPermission, state, search",
        security,
        params: orgParams,
        querystring: pageQuery.extend({
          search: z.string().max(100).optional(),
          role: z.string().max(40).optional(),
          permission: z.string().max(60).optional().describe("Members holding this permission (codename), e.g. teams.manage"),
          withoutPermission: z
            .string()
            .max(60)
            .optional()
            .describe("Members holding this permission through none of their roles, e.g. members.view for people outside the staff"),
          state: z.enum(MEMBER_STATES).optional(),
          isActive: queryBoolean.optional(),
          ordering: orderingQuery(MEMBER_ORDERINGS),
        }),
        response: { 200: pageOf(memberOut), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listMembers(ctx, request.params.org, request.query)),
  );

  app.post(
    "/:org/members",
    {
      schema: {
        tags: ["members"],
        summary: "Add a member: a new user gets a set-password email, an existing one is added (members.manage)",
        security,
        params: orgParams,
        body: addMemberInput,
        response: { 201: memberOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await withCtx(services, request, (ctx) => addMember(ctx, request.params.org, request.body))),
  );

  app.patch(
    "/:org/members/:userId",
    {
      schema: {
        tags: ["members"],
        summary: "Change a member's roles or deactivate them (members.manage)",
        security,
        params: orgParams.extend({ userId: z.uuid() }),
        body: updateMemberInput,
        response: { 200: memberOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      withCtx(services, request, (ctx) => updateMember(ctx, request.params.org, request.params.userId, request.body)),
  );

  app.post(
    "/:org/members/:userId/invitation",
    {
      schema: {
        tags: ["members"],
        summary: "Send the set-password email again to a member whose state is invited (members.manage); 409 otherwise",
        security,
        params: orgParams.extend({ userId: z.uuid() }),
        response: { 202: z.object({ sent: z.literal(true) }), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => resendInvitation(ctx, request.params.org, request.params.userId));
      return reply.code(202).send({ sent: true as const });
    },
  );
};
