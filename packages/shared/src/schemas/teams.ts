import { z } from "zod";

/** Shapes of the teams API that the server validates and documents and the web form checks. */

/** What GET /api/teams orders by (`?ordering=field` or `-field`). */
export const TEAM_ORDERINGS = ["name", "createdAt"] as const;

/** The writable fields of a team, each as POST and PATCH /api/teams take it. */
export const teamFields = {
  name: z.string().trim().min(2, "At least 2 characters.").max(80, "At most 80 characters."),
  description: z.string().trim().max(1000, "At most 1,000 characters."),
  managerId: z.uuid().nullable(),
};

/** POST /api/teams: a manager's own team unless an admin names another manager. */
export const createTeamInput = z.object({
  orgId: z.string().max(64).optional(),
  name: teamFields.name,
  description: teamFields.description.optional(),
  managerId: teamFields.managerId.optional(),
  memberIds: z.array(z.uuid()).max(200).optional(),
});
export type CreateTeamInput = z.output<typeof createTeamInput>;

/** PATCH /api/teams/{id}: rename, describe, or (an admin) change the manager. */
export const updateTeamInput = z
  .object({
    name: teamFields.name.optional(),
    description: teamFields.description.optional(),
    managerId: teamFields.managerId.optional(),
  })
  .strict();
export type UpdateTeamInput = z.output<typeof updateTeamInput>;
