import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

const roleKeys = z.array(z.string());

export const developerVerified = defineEvent(
  "developer.verified",
  z.object({ userId: z.uuid(), before: roleKeys, after: roleKeys }),
  "A developer completed their profile and phone verification and was promoted.",
);
