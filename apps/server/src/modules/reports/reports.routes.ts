import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { prefetchedStream } from "../../platform/http/stream.js";
import { projectListQuery } from "../projects/index.js";
import { authorizeProjectReport, projectReportLines } from "./reports.service.js";

const reportQuery = projectListQuery.omit({ page: true, pageSize: true, ordering: true });

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
      const date = new Date().toISOString().slice(0, 10);
      return reply
        .type("text/csv; charset=utf-8")
        .header("Content-Disposition", `attachment; filename="projects-${date}.csv"`)
        .header("Cache-Control", "private, no-store")
        .header("X-Content-Type-Options", "nosniff")
        .send(body);
    },
  );
};
