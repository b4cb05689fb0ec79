import { CLIENT_ORDERINGS, createClientInput, updateClientInput } from "@cairn/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { orderingQuery, pageOf, pageQuery } from "../../platform/http/pagination.js";
import { withCtx } from "../../platform/services.js";
import { createClient, deleteClient, getClient, listClients, updateClient } from "./clients.service.js";

const person = z.object({ id: z.uuid(), username: z.string() });

export const clientOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    name: z.string(),
    company: z.string(),
    contactEmail: z.string().nullable(),
    phone: z.string().nullable(),
    notes: z.string(),
    salespersonId: z.uuid().nullable(),
    customerUserId: z.uuid().nullable().describe("A customer account that follows this client's projects and their financials"),
    salesperson: person.nullable(),
    customer: person.nullable(),
    projectCount: z.number().int(),
    createdAt: z.date(),
    updatedAt: z.date(),
    allowedActions: z.array(z.string()),
  })
  .meta({ id: "Client" });

const clientParams = z.object({ id: z.uuid() });

export const clientsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["clients"];

  app.get(
    "/",
    {
      schema: {
        tags,
        summary: "Clients of the caller's organizations (clients.view)",
        security,
        querystring: pageQuery.extend({
          search: z.string().max(100).optional().describe("Name or company, case-insensitive"),
          org: z.string().max(64).optional(),
          salesperson: z.uuid().optional(),
          customer: z.uuid().optional(),
          ordering: orderingQuery(CLIENT_ORDERINGS),
        }),
        response: { 200: pageOf(clientOut), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listClients(ctx, request.query)),
  );

  app.post(
    "/",
    {
      schema: {
        tags,
        summary: "Bring a client (clients.manage); the caller is its salesperson unless another is named",
        security,
        body: createClientInput,
        response: { 201: clientOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => createClient(ctx, request.body))),
  );

  app.get(
    "/:id",
    { schema: { tags, summary: "One client (clients.view)", security, params: clientParams, response: { 200: clientOut, ...problemResponses(401, 403, 404) } } },
    async (request) => withCtx(services, request, (ctx) => getClient(ctx, request.params.id)),
  );

  app.patch(
    "/:id",
    {
      schema: {
        tags,
        summary: "Edit a client (clients.manage)",
        security,
        params: clientParams,
        body: updateClientInput,
        response: { 200: clientOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => updateClient(ctx, request.params.id, request.body)),
  );

  app.delete(
    "/:id",
    {
      schema: {
        tags,
        summary: "Delete a client without projects (clients.manage); 409 while it has projects",
        security,
        params: clientParams,
        response: { 204: z.null(), ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => deleteClient(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );
};
