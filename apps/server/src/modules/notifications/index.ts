import { defineModule } from "../../platform/modules.js";
import { notificationsCleanup } from "./notifications.cleanup.js";
import { digestSchedules } from "./notifications.digest.js";
import { sendNotificationEmailsJob } from "./notifications.email.js";
import { inactiveReminder, notificationHandlers, overdueReminder } from "./notifications.events.js";
import { reminderSchedules } from "./notifications.reminders.js";
import { notificationsRoutes, preferencesRoutes, unsubscribeRoutes } from "./notifications.routes.js";
import { notificationEmailWindows, notifications, notificationSettings } from "./notifications.table.js";

/**
 * Notifications: every event a module declares with `notify` reaches its
 * recipients through the channels they chose — the inbox (live), email at once
 * (coalesced) or in the daily and weekly digests in their own time zone — and
 * the reminders of overdue tasks and long absences.
 */
export const notificationsModule = defineModule({
  name: "notifications",
  routes: [
    { prefix: "/api/me/notifications", plugin: notificationsRoutes },
    { prefix: "/api/me/notification-preferences", plugin: preferencesRoutes },
    { prefix: "/api/notifications", plugin: unsubscribeRoutes },
  ],
  tables: { notifications, notificationSettings, notificationEmailWindows },
  events: [overdueReminder, inactiveReminder],
  handlers: notificationHandlers,
  jobs: [sendNotificationEmailsJob],
  schedules: [...digestSchedules, ...reminderSchedules],
  cleanup: notificationsCleanup,
});
