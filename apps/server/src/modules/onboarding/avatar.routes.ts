import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { requireUser } from "../../platform/access/engine.js";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { receiveFile, storeUpload } from "../../platform/storage/upload.js";
import { presentProfile, profileOut } from "../accounts/index.js";
import { AVATAR_MAX_BYTES } from "./avatar.image.js";
import { avatarUpload, replaceMyAvatar } from "./avatar.service.js";

/** The caller's avatar, under /api/me. */
export const avatarRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  if (!app.hasContentTypeParser("multipart/form-data")) await app.register(multipart);

  app.put(
    "/avatar",
    {
      schema: {
        tags: ["me"],
        summary:
          "Upload the caller's avatar: multipart field `file`, PNG, JPEG or WebP (checked by content), at most 5 MB",
        description:
          "The image is re-encoded as a 512 px square WebP under a random name; the previous one is removed.",
        security: [{ bearerAuth: [] }],
        consumes: ["multipart/form-data"],
        response: { 200: profileOut, ...problemResponses(400, 401, 413, 415) },
      },
    },
    async (request) => {
      requireUser(request.actor);
      // The one upload pipeline first (size and type while it streams), outside any transaction.
      const original = await storeUpload(
        await receiveFile(request, { maxBytes: AVATAR_MAX_BYTES, what: "image" }),
        avatarUpload(services.config),
      );
      const profile = await withCtx(services, request, (ctx) => replaceMyAvatar(ctx, original));
      return presentProfile(profile, { withPrivate: true });
    },
  );
};
