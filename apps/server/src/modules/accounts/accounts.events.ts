import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

export const userCreated = defineEvent("user.created", z.object({ userId: z.uuid() }), "An account was created (sign-up or invitation).");
