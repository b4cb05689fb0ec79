import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { memberOut } from "../orgs/index.js";
import { setDeveloperVerification } from "./verification.service.js";

/** An admin's promotion and demotion of developers, under /api/orgs. */
export const verificationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;

  app.post(
    "/:org/members/:userId/verification",
    {
      schema: {
        tags: ["members"],
        summary:
          "Promote a developer to the verified step of the developer track ({verified: true}) or demote them ({verified: false}) (members.manage); 409 when the member holds no developer-track role",
        description:
          "The member's roles on the other step of the track give way to the organization's default role for the requested one; other roles stay. " +
          "Asking for the step the member is on changes nothing. Audited as developer.verified or developer.unverified; the member is notified " +
          "(developer.verified, or member.role_changed for a demotion). The member list's allowedActions offers promote or demote accordingly.",
        security: [{ bearerAuth: [] }],
        params: z.object({
          org: z.string().min(1).max(64).describe("Organization id or slug"),
          userId: z.uuid(),
        }),
        body: z
          .object({
            verified: z.boolean().describe("true: promote to verified; false: demote to unverified"),
          })
          .strict(),
        response: { 200: memberOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      withCtx(services, request, (ctx) =>
        setDeveloperVerification(ctx, request.params.org, request.params.userId, request.body.verified),
      ),
  );
};
