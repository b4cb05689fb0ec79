import { defineModule } from "../../platform/modules.js";
import { developerVerified } from "./onboarding.events.js";
import { avatarRoutes } from "./avatar.routes.js";
import { onboardingRoutes } from "./onboarding.routes.js";

/** Developer onboarding: avatar, phone verification, promotion to verified developer. */
export const onboardingModule = defineModule({
  name: "onboarding",
  routes: [{ prefix: "/api/me", plugin: onboardingRoutes }, { prefix: "/api/me", plugin: avatarRoutes }],
  events: [developerVerified],
});

// The public surface other modules use.
export { developerVerified } from "./onboarding.events.js";
export { DEVELOPER_ROLE, VERIFIED_DEVELOPER_ROLE, editMyProfile, settleOnboarding } from "./onboarding.service.js";
