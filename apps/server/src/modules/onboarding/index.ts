import { defineModule } from "../../platform/modules.js";
import { developerVerified } from "./onboarding.events.js";
import { avatarRoutes } from "./avatar.routes.js";
import { onboardingRoutes } from "./onboarding.routes.js";
import { verificationRoutes } from "./verification.routes.js";

/**
 * Developer onboarding: avatar, phone verification, promotion along the developer track
 * (automatic, and an admin's promotion or demotion under /api/orgs/{org}/members/{userId}/verification).
 */
export const onboardingModule = defineModule({
  name: "onboarding",
  routes: [
    { prefix: "/api/me", plugin: onboardingRoutes },
    { prefix: "/api/me", plugin: avatarRoutes },
    { prefix: "/api/orgs", plugin: verificationRoutes },
  ],
  events: [developerVerified],
});

// The public surface other modules use.
export { developerVerified } from "./onboarding.events.js";
export { editMyProfile, settleOnboarding } from "./onboarding.service.js";
