import { z } from "zod";
import { email, username } from "./auth.js";

/** Shapes of the organizations API that the server validates and the web forms check. */

/** The writable fields of an organization, each as POST and PATCH /api/orgs take it. */
export const organizationFields = {
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "Lowercase letters, digits and dashes, up to 40."),
  name: z.string().trim().min(2, "At least 2 characters.").max(120, "At most 120 characters."),
  openRegistration: z.boolean(),
};

/** POST /api/orgs (superuser): the default roles come with it, and optionally its first admin. */
export const createOrganizationInput = z.object({
  slug: organizationFields.slug,
  name: organizationFields.name,
  openRegistration: organizationFields.openRegistration.optional(),
  admin: z
    .object({ email, username })
    .optional()
    .describe("The first admin: an existing user (same email) is added, a new one gets a set-password email"),
});
export type CreateOrganizationInput = z.output<typeof createOrganizationInput>;

/** PATCH /api/orgs/{org}: rename (admin); choose the open organization (superuser). */
export const updateOrganizationInput = z
  .object({
    name: organizationFields.name.optional(),
    openRegistration: organizationFields.openRegistration.optional(),
  })
  .strict();
export type UpdateOrganizationInput = z.output<typeof updateOrganizationInput>;
