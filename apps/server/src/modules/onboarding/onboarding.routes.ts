import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { phoneCodeInput, phoneVerifyInput, profilePatchInput } from "@cairn/shared";
import { presentProfile, profileOut } from "../accounts/index.js";
import { editMyProfile } from "./onboarding.service.js";
import { requestPhoneCode, verifyPhoneCode } from "./phone.service.js";

/** Onboarding steps of the caller, under /api/me: profile and phone verification (the avatar: avatar.routes.ts). */
export const onboardingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];

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

  app.post(
    "/phone/code",
    {
      schema: {
        tags: ["me"],
        summary: "Send a 6-digit code to the phone number of the caller's profile (valid 10 minutes)",
        description: "At most one send per 30 seconds and five per hour for a number (429 with Retry-After).",
        security,
        body: phoneCodeInput,
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
        body: phoneVerifyInput,
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
