import { ALL_ROLES, runMatrix, statuses } from "../../../test/matrix.js";
import { unsubscribeToken } from "./notifications.unsubscribe.js";

const everyone = [...ALL_ROLES, "superuser", "outsider"] as const;
const all = [...everyone, "anonymous"] as const;

runMatrix(
  "notification preferences, unread count and unsubscribe links × roles",
  [
    {
      route: "GET /api/me/notifications/unread-count",
      request: () => ({ method: "GET", url: "/api/me/notifications/unread-count" }),
      expect: { ...statuses(200, everyone), anonymous: 401 },
    },
    {
      route: "GET /api/me/notification-preferences",
      request: () => ({ method: "GET", url: "/api/me/notification-preferences" }),
      expect: { ...statuses(200, everyone), anonymous: 401 },
    },
    {
      route: "PUT /api/me/notification-preferences",
      request: () => ({
        method: "PUT",
        url: "/api/me/notification-preferences",
        payload: { digest: { weekly: true }, events: { "member.role_changed": { email: "off" } } },
      }),
      expect: { ...statuses(200, everyone), anonymous: 401 },
    },
    {
      route: "PUT /api/me/notification-preferences",
      name: "PUT /api/me/notification-preferences (a kind that does not exist)",
      request: () => ({
        method: "PUT",
        url: "/api/me/notification-preferences",
        payload: { events: { "no.such_kind": { inApp: false } } },
      }),
      expect: { ...statuses(400, everyone), anonymous: 401 },
    },
    {
      // The link is the authority, whoever follows it (signed in as anyone, or not at all).
      route: "GET /api/notifications/unsubscribe",
      request: (fx) => ({
        method: "GET",
        url: `/api/notifications/unsubscribe?token=${fx.data.token ?? ""}`,
      }),
      expect: statuses(200, all),
    },
    {
      route: "POST /api/notifications/unsubscribe",
      request: (fx) => ({
        method: "POST",
        url: `/api/notifications/unsubscribe?token=${fx.data.token ?? ""}`,
      }),
      expect: statuses(200, all),
    },
    {
      route: "POST /api/notifications/unsubscribe",
      name: "POST /api/notifications/unsubscribe (a tampered link)",
      request: (fx) => ({
        method: "POST",
        url: "/api/notifications/unsubscribe",
        payload: { token: `${fx.data.token ?? ""}x` },
      }),
      expect: statuses(400, all),
    },
  ],
  async (fx) => ({
    token: unsubscribeToken(fx.t.services.config.secretKey, fx.users.developer.id, ["task.assigned"]),
  }),
);
