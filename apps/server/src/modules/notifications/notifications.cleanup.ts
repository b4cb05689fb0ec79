import { and, isNotNull, lt } from "drizzle-orm";
import { deletedCount, type CleanupTask } from "../../platform/jobs/cleanup.js";
import { notifications } from "./notifications.table.js";

/** How long a notification stays in the inbox once read. Unread ones stay until read. */
export const READ_NOTIFICATIONS_KEPT_DAYS = 90;

export const notificationsCleanup: CleanupTask[] = [
  {
    name: "read-notifications",
    description: `Read notifications older than ${READ_NOTIFICATIONS_KEPT_DAYS} days`,
    async run(db, now) {
      const before = new Date(now.getTime() - READ_NOTIFICATIONS_KEPT_DAYS * 24 * 3600_000);
      return deletedCount(
        await db
          .delete(notifications)
          .where(and(isNotNull(notifications.readAt), lt(notifications.createdAt, before))),
      );
    },
  },
];
