import multipart from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireUser } from "../../platform/access/engine.js";
import { PayloadTooLargeError } from "../../platform/errors.js";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { emptyFileError, receiveFile } from "../../platform/storage/upload.js";
import { phoneNumber, profilePatchInput } from "@cairn/shared";
import { presentProfile, profileOut } from "../accounts/index.js";
import { AVATAR_MAX_BYTES } from "./avatar.image.js";
import { replaceMyAvatar } from "./avatar.service.js";
import { editMyProfile } from "./onboarding.service.js";
import { requestPhoneCode, verifyPhoneCode } from "./phone.service.js";

/** The one file of a multipart request, field `file`, read whole (it is at most 5 MB). */
async function readUpload(request: FastifyRequest): Promise<Buffer> {
  const upload = await receiveFile(request, { maxBytes: AVATAR_MAX_BYTES, what: "image" });
  const chunks: Buffer[] = [];
  for await (const chunk of upload.stream) chunks.push(chunk as Buffer);
  // The parser stops at the limit: nothing past it is kept.
  if (upload.truncated()) throw new PayloadTooLargeError(`An avatar is at most ${AVATAR_MAX_BYTES / 1024 / 1024} MB.`);
  await upload.finish();
  const image = Buffer.concat(chunks);
  if (image.length === 0) throw emptyFileError("image");
  return image;
}

/** Onboarding steps of the caller, under /api/me: avatar and phone verification. */
export const onboardingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  if (!app.hasContentTypeParser("multipart/form-data")) await app.register(multipart);

  app.patch(
    "/profile",
    {
      schema: {
        tags: ["me"],
        summary:
          "Edit the caller's profile (changing the phone clears its verification; completing it may verify a developer)",
        security,
        body: profilePatchInput,
        response: { 200: profileOut, ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const profile = await withCtx(services, request, (ctx) => editMyProfile(ctx, request.body));
      return presentProfile(profile, { withPrivate: true });
    },
  );

  app.put(
    "/avatar",
    {
      schema: {
        tags: ["me"],
        summary: "Upload the caller's avatar: multipart field `file`, PNG, JPEG or WebP (checked by content), at most 5 MB",
        description: "The image is re-encoded as a 512 px square WebP under a random name; the previous one is removed.",
        security,
        consumes: ["multipart/form-data"],
        response: { 200: profileOut, ...problemResponses(400, 401, 413, 415) },
      },
    },
    async (request) => {
      requireUser(request.actor);
      const upload = await readUpload(request);
      const profile = await withCtx(services, request, (ctx) => replaceMyAvatar(ctx, upload));
      return presentProfile(profile, { withPrivate: true });
    },
  );

  app.post(
    "/phone/code",
    {
      schema: {
        tags: ["me"],
        summary: "Send a 6-digit code to the phone number of the caller's profile (valid 10 minutes)",
        description: "At most one send per 30 seconds and five per hour for a number (429 with Retry-After).",
        security,
        body: z.object({ phone: phoneNumber }).strict(),
        response: {
          202: z.object({
            phone: z.string(),
            expiresAt: z.date(),
            resendAfterSeconds: z.number().int().describe("Seconds before another code may be requested"),
          }),
          ...problemResponses(400, 401, 409, 429),
        },
      },
    },
    async (request, reply) => reply.code(202).send(await withCtx(services, request, (ctx) => requestPhoneCode(ctx, request.body.phone))),
  );

  app.post(
    "/phone/verify",
    {
      schema: {
        tags: ["me"],
        summary: "Confirm the phone with the code; completes the onboarding of a developer whose profile is complete",
        description: "Single use. A wrong code is a 400; the fifth wrong try burns the code (429, ask for a new one).",
        security,
        body: z.object({ code: z.string().trim().regex(/^\d{6}$/, "Enter the 6 digits of the code.") }).strict(),
        response: {
          200: z.object({
            phoneVerified: z.literal(true),
            verified: z.boolean().describe("Whether the caller is now a verified developer"),
            roles: z.array(z.string()).describe("The caller's roles, across organizations, as they are now"),
            permissions: z.array(z.string()).describe("The caller's permissions, across organizations, as they are now"),
          }),
          ...problemResponses(400, 401, 429),
        },
      },
    },
    async (request) => withCtx(services, request, (ctx) => verifyPhoneCode(ctx, request.body.code)),
  );
};
