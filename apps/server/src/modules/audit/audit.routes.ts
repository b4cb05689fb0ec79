import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { isoDateTime } from "@cairn/shared";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { withCtx } from "../../platform/services.js";
import { getAuditEntry, listAuditEntries } from "./audit.service.js";

export const auditEntryOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid().nullable(),
    actorId: z.uuid().nullable(),
    actor: z.object({ id: z.uuid(), username: z.string() }).nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])).describe("{field: [before, after]}"),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: z.date(),
    project: z
      .object({ id: z.uuid(), name: z.string() })
      .nullable()
      .describe("The project the entry is about: itself, or a payment's (withdrawn ones included)"),
    entityName: z.string().nullable().describe("The entity's name as it is now (a client's, a team's, a role's, a member's username); null once deleted"),
    people: z.record(z.string(), z.string()).describe("Usernames of the people the changes name by id: {userId: username}"),
  })
  .meta({ id: "AuditEntry" });

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["audit"];

  app.get(
    "/",
    {
      schema: {
        tags,
        summary: "The append-only audit log, newest first (audit.view: the organization's for admins, their projects' for project managers)",
        security,
        querystring: pageQuery.extend({
          entityType: z.string().max(40).optional(),
          entityId: z.string().max(64).optional(),
          project: z.uuid().optional().describe("Entries about this project: the project itself and its payments"),
          actor: z.uuid().optional(),
          action: z.string().max(80).optional().describe("Exact action, or a prefix like project.*"),
          org: z.string().max(64).optional(),
          since: isoDateTime().optional(),
        }),
        response: { 200: pageOf(auditEntryOut), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listAuditEntries(ctx, request.query)),
  );

  app.get(
    "/:id",
    {
      schema: { tags, summary: "One audit entry", security, params: z.object({ id: z.uuid() }), response: { 200: auditEntryOut, ...problemResponses(401, 403, 404) } },
    },
    async (request) => withCtx(services, request, (ctx) => getAuditEntry(ctx, request.params.id)),
  );
};
