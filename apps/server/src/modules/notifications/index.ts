import { defineModule } from "../../platform/modules.js";
import { notificationHandlers } from "./notifications.events.js";
import { notificationsRoutes } from "./notifications.routes.js";
import { notifications } from "./notifications.table.js";

/** The in-app inbox, fed by the events of every module. */
export const notificationsModule = defineModule({
  name: "notifications",
  routes: [{ prefix: "/api/me/notifications", plugin: notificationsRoutes }],
  tables: { notifications },
  handlers: notificationHandlers,
});
