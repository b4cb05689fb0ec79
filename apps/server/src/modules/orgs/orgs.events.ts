import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

const roleKeys = z.array(z.string());

export const memberRoleChanged = defineEvent(
  "member.role_changed",
  z.object({ userId: z.uuid(), before: roleKeys, after: roleKeys }),
  "A member's roles in an organization changed.",
);
