import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { UnsupportedMediaTypeError } from "../../platform/errors.js";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { receiveFile } from "../../platform/storage/upload.js";
import { listProjectFiles, MAX_PROJECT_FILE_BYTES, uploadProjectFile } from "./files.service.js";
import { projectFileOut } from "./projects.schemas.js";

const idParams = z.object({ id: z.uuid() });

/**
 * Registered under /api: a project's files are listed and uploaded under it;
 * they are downloaded and deleted by their own id (`/api/files/{id}`), by the
 * attachments module, which asks the project's rules.
 */
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
};
