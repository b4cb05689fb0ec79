import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { UnsupportedMediaTypeError } from "../../platform/errors.js";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { sendStoredFile } from "../../platform/storage/send.js";
import { privateStorage } from "../../platform/storage/storage.js";
import { receiveFile, sizeLimit } from "../../platform/storage/upload.js";
import { addAttachment, deleteAttachment, listAttachments, openAttachment } from "./attachments.service.js";

const idParams = z.object({ id: z.uuid() });

export const attachmentOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid(),
    ownerType: z.string().describe("What holds the file: project, task, ticket"),
    ownerId: z.uuid(),
    name: z.string().describe("The name it was uploaded with; metadata only"),
    contentType: z
      .string()
      .describe("Detected from the content; application/octet-stream when not a known type"),
    size: z.number().int(),
    uploadedById: z.uuid().nullable(),
    uploadedBy: z.object({ id: z.uuid(), username: z.string() }).nullable(),
    createdAt: z.date(),
    downloadUrl: z.string(),
    allowedActions: z.array(z.string()).describe("download, and delete when the caller may delete it"),
  })
  .meta({ id: "Attachment" });

/**
 * Registered under /api. Every file is downloaded and deleted by its own id
 * (`/files/{id}`), whatever holds it; the owner's rules decide. Owners that
 * declare a `path` get `GET/POST /<path>/{id}/attachments` here as well.
 */
export const attachmentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const tags = ["files"];
  if (!app.hasContentTypeParser("multipart/form-data")) await app.register(multipart);

  for (const owner of services.attachmentOwners.values()) {
    if (owner.path === undefined) continue;
    const { type } = owner;
    const { maxBytes } = owner.upload;
    app.get(
      `/${owner.path}/:id/attachments`,
      {
        schema: {
          tags,
          summary: `Files of a ${type}`,
          security,
          params: idParams,
          response: { 200: z.object({ items: z.array(attachmentOut) }), ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => ({
        items: await withCtx(services, request, (ctx) => listAttachments(ctx, type, request.params.id)),
      }),
    );
    app.post(
      `/${owner.path}/:id/attachments`,
      {
        schema: {
          tags,
          summary: `Attach a file to a ${type}: multipart field \`file\`, at most ${sizeLimit(maxBytes)}, type read from the content`,
          security,
          consumes: ["multipart/form-data"],
          params: idParams,
          response: { 201: attachmentOut, ...problemResponses(400, 401, 403, 404, 413, 415) },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart())
          throw new UnsupportedMediaTypeError("Send the file as multipart/form-data in a field named file.");
        // The service reads the part only once the owner's rules let the caller attach: nobody else gets a byte parsed.
        const attachment = await addAttachment(
          (work) => withCtx(services, request, work),
          type,
          request.params.id,
          () => receiveFile(request, { maxBytes }),
        );
        return reply.code(201).send(attachment);
      },
    );
  }

  app.get(
    "/files/:id/download",
    {
      schema: {
        tags,
        summary:
          "Download a file (attachment, nosniff; unknown types as application/octet-stream); behind Nginx the bytes come through X-Accel-Redirect",
        security,
        params: idParams,
        response: { ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const file = await withCtx(services, request, (ctx) => openAttachment(ctx, request.params.id));
      return sendStoredFile(reply, privateStorage(services.config), file, {
        accelRedirect: services.config.accelRedirect,
      });
    },
  );

  app.delete(
    "/files/:id",
    {
      schema: {
        tags,
        summary: "Delete a file (whoever the rules of what holds it allow)",
        security,
        params: idParams,
        response: { 204: z.null(), ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => deleteAttachment(ctx, request.params.id));
      return reply.code(204).send(null);
    },
  );
};
