import { z } from "zod";
import { PERMISSION_CODENAMES } from "../permissions.js";
import { DEVELOPER_TRACKS, ROLE_KEY_PATTERN } from "../roles.js";

/** Shapes of an organization's roles API that the server validates and documents and the web dialog checks. */

/** Permission codenames a role grants; which exist is the catalog's (an unknown one is a 400 from the server). */
const permissionList = z.array(z.string().max(60)).max(PERMISSION_CODENAMES.length);

/** The writable fields of a role, each as POST and PATCH /api/orgs/{org}/roles take it. */
export const roleFields = {
  key: z
    .string()
    .regex(ROLE_KEY_PATTERN, "Lowercase letters, digits and underscores, starting with a letter (2–40)."),
  name: z.string().trim().min(2, "At least 2 characters.").max(80, "At most 80 characters."),
  description: z.string().trim().max(300, "At most 300 characters."),
  permissions: permissionList,
  /** Granted on the holder's own objects only: a subset of `permissions`. */
  ownScoped: permissionList,
  projectLimit: z.number().int().min(0, "At least 0.").max(1000, "At most 1000.").nullable(),
  developerTrack: z
    .enum(DEVELOPER_TRACKS)
    .nullable()
    .describe(
      "The role's place on the developer track: holders of an unverified role are developers on their way to verification (onboarding promotes them to the organization's verified role), holders of a verified one are verified developers; null off the track",
    ),
};

/** POST /api/orgs/{org}/roles: a custom role. */
export const createRoleInput = z.object({
  key: roleFields.key,
  name: roleFields.name,
  description: roleFields.description.optional(),
  permissions: roleFields.permissions,
  ownScoped: roleFields.ownScoped.optional(),
  projectLimit: roleFields.projectLimit.optional(),
  developerTrack: roleFields.developerTrack.optional(),
});
export type CreateRoleInput = z.output<typeof createRoleInput>;

/** PATCH /api/orgs/{org}/roles/{key}: default roles keep their permissions and developer track. */
export const updateRoleInput = z
  .object({
    name: roleFields.name.optional(),
    description: roleFields.description.optional(),
    permissions: roleFields.permissions.optional(),
    ownScoped: roleFields.ownScoped.optional(),
    projectLimit: roleFields.projectLimit.optional(),
    developerTrack: roleFields.developerTrack
      .optional()
      .describe("Custom roles only: default roles keep theirs (409)"),
  })
  .strict();
export type UpdateRoleInput = z.output<typeof updateRoleInput>;
