import { timeEntryInput, updateTimeEntryInput } from "@cairn/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { prefetchedStream } from "../../platform/http/stream.js";
import { withCtx } from "../../platform/services.js";
import { csvHeaders } from "../reports/index.js";
import { listTimeEntries, timeFilters, timeListQuery } from "./time.list.js";
import { authorizeTimeReport, timeReportLines } from "./time.report.js";
import { deleteTimeEntry, listTaskTime, logTime, updateTimeEntry } from "./time.service.js";

const idParams = z.object({ id: z.uuid() });
const security = [{ bearerAuth: [] }];
const tags = ["time"];

export const timeEntryOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    taskId: z.uuid(),
    userId: z.uuid(),
    user: z.object({ id: z.uuid(), username: z.string(), displayName: z.string() }).nullable(),
    minutes: z.number().int(),
    spentOn: z.string().describe("YYYY-MM-DD"),
    note: z.string(),
    createdAt: z.date(),
    updatedAt: z.date(),
    task: z.object({
      id: z.uuid(),
      key: z.string(),
      title: z.string(),
      projectId: z.uuid().nullable(),
      project: z.object({ id: z.uuid(), key: z.string(), name: z.string() }).nullable(),
    }),
    allowedActions: z.array(z.string()).describe("update and delete for its author"),
  })
  .meta({ id: "TimeEntry" });

const timePage = pageOf(timeEntryOut).extend({ totalMinutes: z.number().int().describe("The sum of every matching entry, all pages") });

/** A task's time, under /api/tasks/{id}/time-entries. */
export const taskTimeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  app.get(
    "/:id/time-entries",
    {
      schema: {
        tags,
        summary: "Time logged on a task, newest day first, with its sum (whoever sees the task)",
        security,
        params: idParams,
        querystring: pageQuery,
        response: { 200: timePage, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listTaskTime(ctx, request.params.id, request.query)),
  );
  app.post(
    "/:id/time-entries",
    {
      schema: {
        tags,
        summary: "Log time on a task: its assignee, or tasks.manage on it; the task's loggedMinutes follows",
        security,
        params: idParams,
        body: timeEntryInput,
        response: { 201: timeEntryOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await withCtx(services, request, (ctx) => logTime(ctx, request.params.id, request.body))),
  );
};

/** The timesheet and single entries, under /api/time-entries. */
export const timeEntriesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  app.get(
    "/",
    {
      schema: {
        tags,
        summary: "The timesheet: the caller's own entries and those of tasks they may see, filtered, with the total",
        security,
        querystring: timeListQuery,
        response: { 200: timePage, ...problemResponses(400, 401, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listTimeEntries(ctx, request.query)),
  );
  app.patch(
    "/:id",
    {
      schema: {
        tags,
        summary: "Change one's own time entry",
        security,
        params: idParams,
        body: updateTimeEntryInput,
        response: { 200: timeEntryOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => updateTimeEntry(ctx, request.params.id, request.body)),
  );
  app.delete(
    "/:id",
    {
      schema: { tags, summary: "Delete one's own time entry", security, params: idParams, response: { 204: z.null(), ...problemResponses(401, 403, 404) } },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => deleteTimeEntry(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );
};

/** GET /api/reports/time.csv. */
export const timeReportRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  app.get(
    "/time.csv",
    {
      schema: {
        tags: ["reports"],
        summary: "The timesheet as CSV, streamed (reports.view); same filters as GET /api/time-entries",
        security,
        querystring: timeFilters,
        produces: ["text/csv"],
        response: { 200: z.unknown().describe("text/csv with a header row"), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => authorizeTimeReport(ctx, request.query));
      const body = await prefetchedStream(timeReportLines((work) => withCtx(services, request, work), request.query));
      return reply.type("text/csv; charset=utf-8").headers(csvHeaders("time")).send(body);
    },
  );
};
