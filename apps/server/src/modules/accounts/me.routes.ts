import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { isoDate } from "@cairn/shared";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { editMyProfile } from "../onboarding/index.js";
import { phoneNumber, presentProfile, presentUser, profileOut, userOut } from "./accounts.schemas.js";
import { getMe } from "./profile.service.js";

export const IANA_TIMEZONES = new Set(Intl.supportedValuesOf("timeZone").concat("UTC"));

export const profilePatch = z
  .object({
    displayName: z.string().trim().max(80).optional(),
    bio: z.string().trim().max(500, "At most 500 characters.").optional(),
    nationalId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{5,20}$/, "5 to 20 letters, digits or dashes.")
      .nullable()
      .optional(),
    phone: phoneNumber.nullable().optional(),
    dateOfBirth: isoDate()
      .refine((value) => value < new Date().toISOString().slice(0, 10), "Must be in the past.")
      .nullable()
      .optional(),
    timezone: z
      .string()
      .refine((value) => IANA_TIMEZONES.has(value), "Not an IANA time zone, e.g. Europe/Paris.")
      .optional(),
  })
  .strict();

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
    }),
  ),
  onboarding: z.object({
    profileComplete: z.boolean(),
    phoneVerified: z.boolean(),
    verified: z.boolean().describe("Holds the verified_developer role (in any organization)"),
    isDeveloper: z
      .boolean()
      .describe("Holds developer or verified_developer: the onboarding concerns the caller"),
    missing: z
      .array(z.string())
      .describe("Profile fields still needed for verification: bio, nationalId, avatar, phone"),
  }),
});

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
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

  app.patch(
    "/profile",
    {
      schema: {
        tags: ["me"],
        summary:
          "Edit the caller's profile (changing the phone clears its verification; completing it may verify a developer)",
        security: [{ bearerAuth: [] }],
        body: profilePatch,
        response: { 200: profileOut, ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const profile = await withCtx(services, request, (ctx) => editMyProfile(ctx, request.body));
      return presentProfile(profile, { withPrivate: true });
    },
  );
};
