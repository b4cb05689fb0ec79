import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

const roleKeys = z.array(z.string());

/** Recipients: the developer (told of their own promotion too). */
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
  {
    label: "My verification as a developer",
    text: (event, { org }) => ({
      title: "You are verified: you can now create projects",
      body:
        event.data.by === "admin"
          ? `An administrator made you a verified developer${org ? ` in ${org}` : ""}.`
          : `Your profile is complete and your phone number is confirmed, so you are now a verified developer${org ? ` in ${org}` : ""}.`,
    }),
    link: () => "/projects",
    audience: ["tasks.update_status", "projects.add"],
  },
);
