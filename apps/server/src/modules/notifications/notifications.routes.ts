import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { pageOf, pageQuery, queryBoolean } from "../../platform/http/pagination.js";
import { withCtx } from "../../platform/services.js";
import { listMyNotifications, markNotificationsRead } from "./notifications.service.js";

export const notificationOut = z
  .object({
    id: z.uuid(),
    orgId: z.uuid().nullable().describe("The organization where the cause happened, if any"),
    kind: z.string().describe("What happened, e.g. developer.verified or member.role_changed"),
    title: z.string(),
    body: z.string(),
    data: z.record(z.string(), z.unknown()),
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
        querystring: pageQuery.extend({ unread: queryBoolean.optional().describe("Only unread ones") }),
        response: {
          200: pageOf(notificationOut).extend({ unread: z.number().int().describe("Unread notifications in total") }),
          ...problemResponses(400, 401),
        },
      },
    },
    async (request) => withCtx(services, request, (ctx) => listMyNotifications(ctx, request.query)),
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
          200: z.object({ updated: z.number().int().describe("Notifications newly marked read"), unread: z.number().int() }),
          ...problemResponses(400, 401),
        },
      },
    },
    async (request) => withCtx(services, request, (ctx) => markNotificationsRead(ctx, request.body)),
  );
};
