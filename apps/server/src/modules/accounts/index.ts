import { defineModule } from "../../platform/modules.js";
import { accountsCleanup } from "./accounts.cleanup.js";
import { userCreated } from "./accounts.events.js";
import { accountsRoutes } from "./accounts.routes.js";
import { passwordTokens, profiles, refreshTokens, users } from "./accounts.table.js";
import { meRoutes } from "./me.routes.js";

/** Accounts: sign-up, sign-in, tokens, passwords, the caller's own profile. */
export const accountsModule = defineModule({
  name: "accounts",
  routes: [
    { prefix: "/api/auth", plugin: accountsRoutes },
    { prefix: "/api/me", plugin: meRoutes },
  ],
  tables: { users, profiles, refreshTokens, passwordTokens },
  events: [userCreated],
  cleanup: accountsCleanup,
});

// The public surface other modules use.
export { presentProfile, profileOut } from "./accounts.schemas.js";
export { createUser, findUserByLogin, sendPasswordLink } from "./accounts.service.js";
export { profiles, users } from "./accounts.table.js";
export { avatarUrl, findProfile, onboardingState, profileViewColumns, updateProfile, writeProfile } from "./profile.service.js";
export type { ProfilePatch, ProfileRow } from "./profile.service.js";
export { REFRESH_COOKIE, sendSession } from "./session.http.js";
export { sessionOut } from "./accounts.schemas.js";
export { startSession, type Session } from "./accounts.service.js";
