import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

const roleKeys = z.array(z.string());

export const developerVerified = defineEvent(
  "developer.verified",
  z.object({
    userId: z.uuid(),
    before: roleKeys,
    after: roleKeys,
    /** Who promoted: the developer's own onboarding (profile complete, phone confirmed) or an administrator. */
    by: z.enum(["onboarding", "admin"]).default("onboarding"),
  }),
  "A developer was promoted to the verified step of the developer track: by completing their profile and phone verification, or by an administrator.",
);
