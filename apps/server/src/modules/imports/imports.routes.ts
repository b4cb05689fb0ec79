import { importDryRunOut, importOut, importUndoOut, TASK_IMPORT_COLUMNS } from "@cairn/shared";
import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { privateStorage } from "../../platform/storage/storage.js";
import { csvHeaders, type RunInCtx } from "../reports/index.js";
import { dryRunImport, getImport, openImportErrors, receiveImport, startImport, undoImport } from "./imports.service.js";

const security = [{ bearerAuth: [] }];
const tags = ["tasks"];
const idParams = z.object({ id: z.uuid() });

/** POST /api/tasks/import (under /api/tasks). */
export const taskImportRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  if (!app.hasContentTypeParser("multipart/form-data")) await app.register(multipart);
  app.post(
    "/import",
    {
      schema: {
        tags,
        summary: "Import tasks from CSV into a project (tasks.manage): a dry run, or the import as a background job",
        description: `multipart/form-data: \`file\` (CSV, UTF-8, at most 20 MB), \`projectId\`, \`dryRun\` (\`true\`/\`false\`, default false), in any order. Columns: ${TASK_IMPORT_COLUMNS.join(", ")}; only title is required, an unknown column is a 400. A dry run answers 200 with every bad row and writes nothing; otherwise 202 with the import's id (GET /api/imports/{id}).`,
        security,
        consumes: ["multipart/form-data"],
        response: { 200: importDryRunOut, 202: z.object({ importId: z.uuid() }), ...problemResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const storage = privateStorage(services.config);
      const received = await receiveImport(request, storage);
      const run: RunInCtx = (work) => withCtx(services, request, work);
      if (received.dryRun) return reply.code(200).send(await dryRunImport(run, storage, received));
      return reply.code(202).send(await startImport(run, storage, received));
    },
  );
};

/** GET /api/imports/{id}, its errors.csv and undo. */
export const importsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  app.get(
    "/:id",
    {
      schema: {
        tags,
        summary: "An import's progress and outcome (whoever may import into its project)",
        security,
        params: idParams,
        response: { 200: importOut, ...problemResponses(401, 404) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => getImport(ctx, request.params.id)),
  );

  app.get(
    "/:id/errors.csv",
    {
      schema: {
        tags,
        summary: "Every row the import refused, as CSV: row, column, message",
        security,
        params: idParams,
        produces: ["text/csv"],
        response: { 200: z.unknown().describe("text/csv with a header row"), ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const body = await withCtx(services, request, (ctx) => openImportErrors(ctx, request.params.id));
      return reply.type("text/csv; charset=utf-8").headers(csvHeaders("import-errors")).send(body);
    },
  );

  app.post(
    "/:id/undo",
    {
      schema: {
        tags,
        summary: "Undo a completed import: removes the tasks it created that nobody changed since, and names those it keeps",
        security,
        params: idParams,
        response: { 200: importUndoOut, ...problemResponses(401, 403, 404, 409) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => undoImport(ctx, request.params.id)),
  );
};
