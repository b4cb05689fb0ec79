import { z } from "zod";
import { email, username } from "./auth.js";

/** Shapes of an organization's members API that the server validates and the web dialogs check. */

/** A member's state: `invited` until the password is set, then `active`, or `deactivated`. */
export const MEMBER_STATES = ["invited", "active", "deactivated"] as const;
export type MemberState = (typeof MEMBER_STATES)[number];

/** What GET /api/orgs/{org}/members orders by (`?ordering=field` or `-field`). */
export const MEMBER_ORDERINGS = ["username", "displayName", "joinedAt"] as const;

/** Role keys a member holds; which exist is the organization's (an unknown key is a 400 from the server). */
export const memberRoleKeys = z.array(z.string().min(1).max(40)).max(20);

/** POST /api/orgs/{org}/members. */
export const addMemberInput = z.object({
  email,
  username,
  roles: memberRoleKeys.min(1, "Choose at least one role."),
});
export type AddMemberInput = z.output<typeof addMemberInput>;

/** PATCH /api/orgs/{org}/members/{userId}: new roles (the whole set), deactivate or reactivate. */
export const updateMemberInput = z
  .object({ roles: memberRoleKeys.optional(), isActive: z.boolean().optional() })
  .strict();
export type UpdateMemberInput = z.output<typeof updateMemberInput>;
