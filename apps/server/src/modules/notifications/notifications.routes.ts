import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { pageOf, pageQuery, queryBoolean } from "../../platform/http/pagination.js";
import { withCtx } from "../../platform/services.js";
import { getMyPreferences, updateMyPreferences } from "./notifications.preferences.js";
import { listMyNotifications, markNotificationsRead, myUnreadCount } from "./notifications.service.js";
import { describeUnsubscribe, unsubscribe } from "./notifications.unsubscribe.js";

export const notificationOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid().nullable().describe("The organization where the cause happened, if any"),
    kind: z.string().describe("What happened, e.g. developer.verified or member.role_changed"),
    title: z.string(),
    body: z.string(),
    data: z.record(z.string(), z.unknown()),
    link: z.string().nullable().describe("The web app's page of what it is about (e.g. /o/acme/tasks/…)"),
    readAt: z.date().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: "Notification" });

const markReadBody = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(500) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

/** The caller's notifications, under /api/me/notifications. */
export const notificationsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];

  app.get(
    "/",
    {
      schema: {
        tags: ["me"],
        summary: "The caller's notifications, newest first; `unread` counts all unread ones",
        security,
        querystring: pageQuery.extend({
          unread: queryBoolean.optional().describe("Only unread ones"),
          kind: z.string().max(100).optional().describe("Only this kind, e.g. task.assigned"),
          mentions: queryBoolean
            .optional()
            .describe("Only mentions of the caller (task.mentioned and the like)"),
        }),
        response: {
          200: pageOf(notificationOut).extend({
            unread: z.number().int().describe("Unread notifications in total"),
          }),
          ...problemResponses(400, 401),
        },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listMyNotifications(ctx, request.query)),
  );

  app.get(
    "/unread-count",
    {
      schema: {
        tags: ["me"],
        summary: "How many of the caller's notifications are unread (the bell's number)",
        security,
        response: { 200: z.object({ count: z.number().int() }), ...problemResponses(401) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => myUnreadCount(ctx)),
  );
  app.post(
    "/read",
    {
      schema: {
        tags: ["me"],
        summary: "Mark notifications read: `{ids}` or `{all: true}`",
        security,
        body: markReadBody,
        response: {
          200: z.object({
            updated: z.number().int().describe("Notifications newly marked read"),
            unread: z.number().int(),
          }),
          ...problemResponses(400, 401),
        },
      },
    },
    async (request) => withCtx(services, request, (ctx) => markNotificationsRead(ctx, request.body)),
  );
};

const emailChoice = z.enum(["immediate", "digest", "off"]);

const preferencesOut = z
  .object({
    digest: z.object({ daily: z.boolean(), weekly: z.boolean() }),
    events: z.record(
      z.string(),
      z.object({
        inApp: z.boolean(),
        email: emailChoice,
        label: z.string().describe("The kind in words, for the preferences page"),
        description: z.string(),
      }),
    ),
  })
  .meta({ id: "NotificationPreferences" });

const preferencesPatch = z
  .object({
    digest: z.object({ daily: z.boolean().optional(), weekly: z.boolean().optional() }).strict().optional(),
    events: z
      .record(
        z.string().max(100),
        z.object({ inApp: z.boolean().optional(), email: emailChoice.optional() }).strict(),
      )
      .optional(),
  })
  .strict();

/** The caller's channels per event kind and their digests, under /api/me/notification-preferences. */
export const preferencesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  const security = [{ bearerAuth: [] }];
  app.get(
    "/",
    {
      schema: {
        tags: ["me"],
        summary:
          "The caller's notification preferences: per kind they can receive, in-app and email; the digests",
        security,
        response: { 200: preferencesOut, ...problemResponses(401) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => getMyPreferences(ctx)),
  );
  app.put(
    "/",
    {
      schema: {
        tags: ["me"],
        summary: "Change some preferences (partial: what is absent stays as it is)",
        security,
        body: preferencesPatch,
        response: { 200: preferencesOut, ...problemResponses(400, 401) },
      },
    },
    async (request) => withCtx(services, request, (ctx) => updateMyPreferences(ctx, request.body)),
  );
};

const unsubscribeOut = z.object({
  kinds: z
    .array(z.object({ kind: z.string(), label: z.string() }))
    .describe("The kinds whose email the link stops"),
});
const tokenQuery = z.object({ token: z.string().min(1).max(2000).optional() });

/**
 * Unsubscribe links, under /api/notifications: no sign-in, the signed token is the
 * authority. GET tells what a link stops; POST stops it (also RFC 8058's one-click
 * POST of `List-Unsubscribe=One-Click` that mail clients send).
 */
export const unsubscribeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  // Mail clients post the one-click body as a form; the token is in the URL.
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 1024 },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  app.get(
    "/unsubscribe",
    {
      schema: {
        tags: ["notifications"],
        summary: "What an unsubscribe link stops (changes nothing)",
        querystring: z.object({ token: z.string().min(1).max(2000) }),
        response: { 200: unsubscribeOut, ...problemResponses(400) },
      },
    },
    async (request) =>
      withCtx(services, request, async (ctx) => describeUnsubscribe(ctx, request.query.token)),
  );
  app.post(
    "/unsubscribe",
    {
      schema: {
        tags: ["notifications"],
        summary: "Stop the email of an unsubscribe link's kinds (token in the query or the body)",
        querystring: tokenQuery,
        body: z
          .object({
            token: z.string().min(1).max(2000).optional(),
            "List-Unsubscribe": z.literal("One-Click").optional(),
          })
          .strict()
          .nullish(),
        response: { 200: unsubscribeOut, ...problemResponses(400) },
      },
    },
    async (request) =>
      withCtx(services, request, (ctx) => unsubscribe(ctx, request.body?.token ?? request.query.token ?? "")),
  );
};
