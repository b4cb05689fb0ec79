import { registerInput } from "@cairn/shared";
import cookie from "@fastify/cookie";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { sendSession, sessionOut } from "../accounts/index.js";
import { registerUser } from "./registration.service.js";

/** POST /api/auth/register: self-registration into the open organization. */
export const registrationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  await app.register(cookie);
  const secure = services.config.publicUrl.startsWith("https://");
  app.post(
    "/register",
    {
      schema: {
        tags: ["auth"],
        summary: "Create an account in the open organization, as a customer or a developer",
        body: registerInput,
        response: { 201: sessionOut, ...problemResponses(400, 409, 429) },
      },
    },
    async (request, reply) =>
      sendSession(reply, await withCtx(services, request, (ctx) => registerUser(ctx, request.body)), { secure, status: 201 }),
  );
};
