import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { presentProfile, profileOut } from "../accounts/index.js";
import { profilePatchInput as profilePatch } from "@cairn/shared";
import { getUserProfile, updateUserProfile, type UserProfileView } from "./user-profiles.service.js";

const userProfileOut = profileOut
  .extend({
    username: z.string(),
    onboarding: z.object({ profileComplete: z.boolean(), phoneVerified: z.boolean(), missing: z.array(z.string()) }),
  })
  .meta({ id: "UserProfile" });

const present = (view: UserProfileView) => ({
  ...presentProfile(view.profile, { withPrivate: true }),
  username: view.username,
  onboarding: view.onboarding,
});

/** Any member's full profile, under /api/users (profiles.view_any / profiles.change_any). */
export const userProfilesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  const params = z.object({ userId: z.uuid() });

  app.get(
    "/:userId/profile",
    {
      schema: {
        tags: ["people"],
        summary: "A member's whole profile, private fields included (profiles.view_any); audited",
        security,
        params,
        response: { 200: userProfileOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => present(await withCtx(services, request, (ctx) => getUserProfile(ctx, request.params.userId))),
  );

  app.patch(
    "/:userId/profile",
    {
      schema: {
        tags: ["people"],
        summary: "Edit a member's profile (profiles.change_any); audited",
        security,
        params,
        body: profilePatch,
        response: { 200: userProfileOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request) => present(await withCtx(services, request, (ctx) => updateUserProfile(ctx, request.params.userId, request.body))),
  );
};
