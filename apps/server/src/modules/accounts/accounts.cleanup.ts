import { isNotNull, lt, or } from "drizzle-orm";
import { deletedCount, type CleanupTask } from "../../platform/jobs/cleanup.js";
import { passwordTokens, refreshTokens } from "./accounts.table.js";

/**
 * What accounts keep that expires, removed by the platform's `cleanup` schedule. A refresh token
 * past its expiry opens nothing (a session ends with its last token), and a reset or welcome link
 * is spent once used or expired.
 */
export const accountsCleanup: CleanupTask[] = [
  {
    name: "refresh-tokens",
    description: "Expired sessions (refresh tokens)",
    async run(db, now) {
      return deletedCount(await db.delete(refreshTokens).where(lt(refreshTokens.expiresAt, now)));
    },
  },
  {
    name: "password-tokens",
    description: "Password-reset and welcome links used or expired",
    async run(db, now) {
      return deletedCount(
        await db
          .delete(passwordTokens)
          .where(or(lt(passwordTokens.expiresAt, now), isNotNull(passwordTokens.usedAt))),
      );
    },
  },
];
