import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { UnsupportedMediaTypeError } from "../../platform/errors.js";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { sendStoredFile } from "../../platform/storage/send.js";
import { privateStorage } from "../../platform/storage/storage.js";
import { receiveFile } from "../../platform/storage/upload.js";
import { deleteProjectFile, listProjectFiles, MAX_PROJECT_FILE_BYTES, openProjectFile, uploadProjectFile } from "./files.service.js";
import { projectFileOut } from "./projects.schemas.js";

const idParams = z.object({ id: z.uuid() });

/** Registered under /api: files live under their project and by their own id. */
export const filesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["files"];
  if (!app.hasContentTypeParser("multipart/form-data")) await app.register(multipart);

  app.get(
    "/projects/:id/files",
    {
      schema: {
        tags,
        summary: "Files of a project",
        security,
        params: idParams,
        response: { 200: z.object({ items: z.array(projectFileOut) }), ...problemResponses(401, 404) },
      },
    },
    async (request) => ({ items: await withCtx(services, request, (ctx) => listProjectFiles(ctx, request.params.id)) }),
  );

  app.post(
    "/projects/:id/files",
    {
      schema: {
        tags,
        summary: `Upload a file: multipart field \`file\`, at most ${MAX_PROJECT_FILE_BYTES / 1024 / 1024} MB, type checked by content`,
        security,
        consumes: ["multipart/form-data"],
        params: idParams,
        response: { 201: projectFileOut, ...problemResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new UnsupportedMediaTypeError("Send the file as multipart/form-data in a field named file.");
      // The service reads the part only once the caller may upload: nobody else gets a byte parsed.
      const file = await uploadProjectFile((work) => withCtx(services, request, work), request.params.id, () =>
        receiveFile(request, { maxBytes: MAX_PROJECT_FILE_BYTES }),
      );
      return reply.code(201).send(file);
    },
  );

  app.get(
    "/files/:id/download",
    {
      schema: {
        tags,
        summary: "Download a project file (attachment, nosniff); behind Nginx the bytes come through X-Accel-Redirect",
        security,
        params: idParams,
        response: { ...problemResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const file = await withCtx(services, request, (ctx) => openProjectFile(ctx, request.params.id));
      return sendStoredFile(reply, privateStorage(services.config), file, { accelRedirect: services.config.accelRedirect });
    },
  );

  app.delete(
    "/files/:id",
    { schema: { tags, summary: "Delete a project file", security, params: idParams, response: { 204: z.null(), ...problemResponses(401, 403, 404) } } },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => deleteProjectFile(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );
};
