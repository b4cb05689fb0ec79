import {
  changePasswordInput,
  loginInput,
  passwordResetConfirmInput,
  passwordResetInput,
} from "@cairn/shared";
import cookie from "@fastify/cookie";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { withCtx } from "../../platform/services.js";
import { isAccessTokenRevoked } from "../../platform/auth/denylist.js";
import { NotAuthenticatedError } from "../../platform/errors.js";
import {
  changePassword,
  confirmPasswordReset,
  login,
  logout,
  refreshSession,
  requestPasswordReset,
  type Session,
} from "./accounts.service.js";
import { sessionOut } from "./accounts.schemas.js";
import { clearSessionCookies, REFRESH_COOKIE, sendSession as send } from "./session.http.js";
import { DEVICE_COOKIE, DEVICE_COOKIE_TTL_SECONDS } from "./device-trust.js";

const tokenBody = z.object({ refresh: z.string().min(10).max(200).optional() });

export const accountsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  // Only these routes read or set cookies: elsewhere no request pays for parsing them.
  await app.register(cookie);
  const secure = services.config.publicUrl.startsWith("https://");

  const sendSession = (reply: Parameters<typeof send>[0], session: Session) => send(reply, session, { secure });
  const presentedRefresh = (request: FastifyRequest, body: { refresh?: string } | undefined) =>
    body?.refresh ?? request.cookies[REFRESH_COOKIE] ?? null;

  app.post(
    "/login",
    {
      schema: {
        tags: ["auth"],
        summary: "Sign in with email or username",
        body: loginInput,
        response: { 200: sessionOut, ...problemResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const presentedDevice = request.cookies[DEVICE_COOKIE] ?? null;
      const result = await withCtx(services, request, (ctx) => login(ctx, request.body, presentedDevice));
      if ("refused" in result) throw new NotAuthenticatedError(result.refused);
      // Marks this browser as the account's own: a stranger's failures no longer lock it out.
      void reply.setCookie(DEVICE_COOKIE, result.deviceCookie, {
        httpOnly: true,
        sameSite: "strict",
        secure,
        path: "/api/auth",
        maxAge: DEVICE_COOKIE_TTL_SECONDS,
      });
      return sendSession(reply, result.session);
    },
  );

  app.post(
    "/refresh",
    {
      schema: {
        tags: ["auth"],
        summary: "Rotate a refresh token (body or cookie); reuse revokes the whole family",
        body: tokenBody.optional(),
        response: { 200: sessionOut, ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      const presented = presentedRefresh(request, request.body);
      if (!presented) throw new NotAuthenticatedError("No refresh token was presented.");
      const result = await withCtx(services, request, (ctx) => refreshSession(ctx, presented));
      if ("refused" in result) {
        clearSessionCookies(reply);
        throw new NotAuthenticatedError(result.refused);
      }
      return sendSession(reply, result);
    },
  );

  app.post(
    "/logout",
    {
      schema: {
        tags: ["auth"],
        summary: "Revoke the refresh family and deny the presented access token",
        body: tokenBody.optional(),
        response: { 204: z.null(), ...problemResponses(401) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) =>
        logout(ctx, presentedRefresh(request, request.body), request.accessClaims),
      );
      clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/verify",
    {
      schema: {
        tags: ["auth"],
        summary: "Check an access token",
        body: z.object({ token: z.string().min(1).max(4096) }),
        response: { 200: z.object({ valid: z.literal(true), userId: z.uuid() }), ...problemResponses(401) },
      },
    },
    async (request) => {
      const claims = await services.tokens.verifyAccess(request.body.token);
      if (!claims || (await isAccessTokenRevoked(services.ephemeral.kv, claims))) {
        throw new NotAuthenticatedError("The token is invalid, expired or revoked.");
      }
      const principal = await services.principals.get(claims.sub);
      if (!principal?.isActive) throw new NotAuthenticatedError("The token is invalid, expired or revoked.");
      return { valid: true as const, userId: claims.sub };
    },
  );

  app.post(
    "/change-password",
    {
      schema: {
        tags: ["auth"],
        summary: "Change the password; every other session is revoked",
        security: [{ bearerAuth: [] }],
        body: changePasswordInput,
        response: { 204: z.null(), ...problemResponses(400, 401) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => changePassword(ctx, request.body));
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/password-reset",
    {
      schema: {
        tags: ["auth"],
        summary: "Email a reset link when the account exists (the answer is the same either way)",
        body: passwordResetInput,
        response: { 202: z.object({ detail: z.string() }), ...problemResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => requestPasswordReset(ctx, request.body.email));
      return reply
        .code(202)
        .send({ detail: "If an account exists for this email, a reset link is on its way." });
    },
  );

  app.post(
    "/password-reset/confirm",
    {
      schema: {
        tags: ["auth"],
        summary: "Set a new password with the emailed token",
        body: passwordResetConfirmInput,
        response: { 204: z.null(), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      await withCtx(services, request, (ctx) => confirmPasswordReset(ctx, request.body));
      return reply.code(204).send(null);
    },
  );
};
