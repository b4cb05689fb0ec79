import { createTicketInput, slaSettingsInput, ticketCommentInput, updateTicketInput } from "@cairn/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { pageOf } from "../../platform/http/pagination.js";
import { withCtx } from "../../platform/services.js";
import { taskOut } from "../tasks/index.js";
import { getSlaSettings, putSlaSettings } from "./sla.service.js";
import { listTickets } from "./tickets.list.js";
import { slaSettingsOut, ticketCommentOut, ticketListQuery, ticketOut } from "./tickets.schemas.js";
import { addTicketComment, createTicket, escalateTicket, getTicket, linkTicketTask, listTicketComments, updateTicket } from "./tickets.service.js";

const ticketParams = z.object({ id: z.uuid() });

export const ticketsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["tickets"];

  app.get(
    "/",
    {
      schema: {
        tags,
        summary: "Tickets the caller sees, filtered, ordered and paginated",
        description:
          "Handlers (tickets.manage: support everywhere, project managers on their own projects) see their tickets; customers (tickets.add, scope own) those of their client's projects and the ones they reported.",
        security,
        querystring: ticketListQuery,
        response: { 200: pageOf(ticketOut), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listTickets(ctx, request.query)),
  );

  app.post(
    "/",
    {
      schema: {
        tags,
        summary: "Open a ticket on a project (tickets.add; a customer: projects of their own client only)",
        description: "Another client's project is a 404 to a customer. The answer carries the SLA deadlines, from the organization's targets and calendar.",
        security,
        body: createTicketInput,
        response: { 201: ticketOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => createTicket(ctx, request.body))),
  );

  app.get(
    "/:id",
    { schema: { tags, summary: "One ticket, with its SLA state and what the caller may do", security, params: ticketParams, response: { 200: ticketOut, ...problemResponses(401, 404) } } },
    async (request) => withCtx(services, request, (ctx) => getTicket(ctx, request.params.id)),
  );

  app.patch(
    "/:id",
    {
      schema: {
        tags,
        summary: "Change a ticket (tickets.manage); its reporter may only close it, or reopen it once resolved",
        description: "An impossible status transition is a 409 naming the allowed ones.",
        security,
        params: ticketParams,
        body: updateTicketInput,
        response: { 200: ticketOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => updateTicket(ctx, request.params.id, request.body)),
  );

  app.get(
    "/:id/comments",
    {
      schema: {
        tags,
        summary: "The conversation, oldest first (internal notes only for tickets.manage holders)",
        security,
        params: ticketParams,
        response: { 200: z.object({ items: z.array(ticketCommentOut) }), ...problemResponses(401, 404) },
      },
    },
    async (request) => ({ items: await withCtx(services, request, (ctx) => listTicketComments(ctx, request.params.id)) }),
  );

  app.post(
    "/:id/comments",
    {
      schema: {
        tags,
        summary: "Answer on a ticket, or write an internal note (tickets.manage)",
        description:
          "The first public answer of staff stops the first-response clock; a customer's reply to a ticket waiting on the customer moves it back to open.",
        security,
        params: ticketParams,
        body: ticketCommentInput,
        response: { 201: ticketCommentOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => addTicketComment(ctx, request.params.id, request.body))),
  );

  app.post(
    "/:id/escalate",
    {
      schema: {
        tags,
        summary: "Escalate now (tickets.manage): administrators and the project's manager are notified; once per ticket (409 after)",
        security,
        params: ticketParams,
        response: { 200: ticketOut, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => escalateTicket(ctx, request.params.id)),
  );

  app.post(
    "/:id/task",
    {
      schema: {
        tags,
        summary: "Make a task in the ticket's project from the ticket, linked both ways (tasks.manage on the project); once per ticket (409 after)",
        security,
        params: ticketParams,
        response: { 201: taskOut, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => linkTicketTask(ctx, request.params.id))),
  );
};

const orgParams = z.object({ org: z.string().min(1).max(64).describe("Organization id or slug") });

/** The organization's service levels, under /api/orgs. */
export const slaRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["tickets"];

  app.get(
    "/:org/sla",
    {
      schema: {
        tags,
        summary: "The organization's SLA targets, time zone and business hours (members.view)",
        security,
        params: orgParams,
        response: { 200: slaSettingsOut, ...problemResponses(401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => getSlaSettings(ctx, request.params.org)),
  );

  app.put(
    "/:org/sla",
    {
      schema: {
        tags,
        summary: "Set the organization's SLA targets, time zone and business hours (tickets.configure)",
        description: "businessHours null: the clock counts around the clock. New tickets, severity changes and resumed clocks follow the new settings.",
        security,
        params: orgParams,
        body: slaSettingsInput,
        response: { 200: slaSettingsOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => putSlaSettings(ctx, request.params.org, request.body)),
  );
};
