import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { prefetchedStream } from "../../platform/http/stream.js";
import { projectListQuery } from "../projects/index.js";
import { taskListQuery } from "../tasks/index.js";
import { authorizeProjectReport, projectReportLines } from "./reports.service.js";
import { authorizeTaskReport, taskReportLines } from "./tasks.report.js";

const reportQuery = projectListQuery.omit({ page: true, pageSize: true, ordering: true });
const taskReportQuery = taskListQuery.omit({ page: true, pageSize: true, ordering: true });

/** A CSV download's headers: a file to save, never cached, never sniffed. */
export const csvHeaders = (name: string) => ({
  "Content-Disposition": `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`,
  "Cache-Control": "private, no-store",
  "X-Content-Type-Options": "nosniff",
});

export const reportsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;

  app.get(
    "/projects.csv",
    {
      schema: {
        tags: ["reports"],
        summary: "The projects the caller may see as CSV, streamed (reports.view); same filters as GET /api/projects",
        security: [{ bearerAuth: [] }],
        querystring: reportQuery,
        produces: ["text/csv"],
        response: { 200: z.unknown().describe("text/csv with a header row"), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const options = await withCtx(services, request, (ctx) => authorizeProjectReport(ctx, request.query));
      const body = await prefetchedStream(projectReportLines((work) => withCtx(services, request, work), request.query, options));
      return reply.type("text/csv; charset=utf-8").headers(csvHeaders("projects")).send(body);
    },
  );

  app.get(
    "/tasks.csv",
    {
      schema: {
        tags: ["reports"],
        summary: "The tasks the caller may see as CSV, streamed (reports.view); same filters as GET /api/tasks",
        security: [{ bearerAuth: [] }],
        querystring: taskReportQuery,
        produces: ["text/csv"],
        response: { 200: z.unknown().describe("text/csv with a header row; labels are `;`-separated"), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => authorizeTaskReport(ctx, request.query));
      const body = await prefetchedStream(taskReportLines((work) => withCtx(services, request, work), request.query));
      return reply.type("text/csv; charset=utf-8").headers(csvHeaders("tasks")).send(body);
    },
  );
};
