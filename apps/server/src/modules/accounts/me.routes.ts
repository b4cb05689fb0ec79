import { DEVELOPER_TRACKS } from "@cairn/shared";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { presentProfile, presentUser, profileOut, userOut } from "./accounts.schemas.js";
import { getMe } from "./profile.service.js";

const meOut = z.object({
  user: userOut,
  profile: profileOut,
  memberships: z.array(
    z.object({
      org: z.object({
        id: z.uuid(),
        slug: z.string(),
        name: z.string(),
        openRegistration: z.boolean(),
        createdAt: z.date(),
      }),
      roles: z.array(z.string()),
      permissions: z.array(z.string()),
      ownScoped: z.array(z.string()).describe("Permissions granted only on the caller's own objects"),
      projectLimit: z.number().int().nullable(),
      developerTrack: z
        .enum(DEVELOPER_TRACKS)
        .nullable()
        .describe("The caller's place on the developer track here, from their roles' attribute: verified, unverified, or null off it"),
    }),
  ),
  onboarding: z.object({
    profileComplete: z.boolean(),
    phoneVerified: z.boolean(),
    verified: z.boolean().describe("Holds a role on the verified step of the developer track (in any organization)"),
    isDeveloper: z
      .boolean()
      .describe("Holds a role on the developer track (in any organization): the onboarding concerns the caller"),
    missing: z
      .array(z.string())
      .describe("Profile fields still needed for verification: bio, nationalId, avatar, phone"),
  }),
});

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/",
    {
      schema: {
        tags: ["me"],
        summary: "The caller: user, profile, memberships with effective permissions, onboarding state",
        security: [{ bearerAuth: [] }],
        response: { 200: meOut, ...problemResponses(401) },
      },
    },
    async (request) => {
      // No query: everything comes from the principal the request was authenticated with.
      const me = getMe(request.actor, request.principal);
      return {
        ...me,
        user: presentUser(me.user, { withEmail: true }),
        profile: presentProfile(me.profile, { withPrivate: true }),
      };
    },
  );
};
