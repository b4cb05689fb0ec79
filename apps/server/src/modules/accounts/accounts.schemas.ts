import { z } from "zod";
import { avatarUrl, type ProfileView, type UserView } from "./profile.service.js";


export const userOut = z
  .object({
    id: z.uuid(),
    email: z.string().optional().describe("Only to the user, admins and the superuser"),
    username: z.string(),
    isActive: z.boolean(),
    isSuperuser: z.boolean(),
    createdAt: z.date(),
  })
  .meta({ id: "User" });

export const profileOut = z
  .object({
    userId: z.uuid(),
    displayName: z.string(),
    bio: z.string(),
    nationalId: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    phoneVerified: z.boolean(),
    dateOfBirth: z.string().nullable().optional(),
    timezone: z.string(),
    avatarUrl: z.string().nullable(),
    completedAt: z.date().nullable(),
  })
  .meta({ id: "Profile" });

export function presentUser(user: UserView, options: { withEmail: boolean }): z.input<typeof userOut> {
  return {
    id: user.id,
    ...(options.withEmail ? { email: user.email } : {}),
    username: user.username,
    isActive: user.isActive,
    isSuperuser: user.isSuperuser,
    createdAt: user.createdAt,
  };
}

/** Private fields (national id, phone, date of birth) only to the owner and holders of profiles.view_any. */
export function presentProfile(
  profile: ProfileView,
  options: { withPrivate: boolean },
): z.input<typeof profileOut> {
  return {
    userId: profile.userId,
    displayName: profile.displayName,
    bio: profile.bio,
    ...(options.withPrivate
      ? { nationalId: profile.nationalId, phone: profile.phone, dateOfBirth: profile.dateOfBirth }
      : {}),
    phoneVerified: Boolean(profile.phone && profile.phoneVerifiedAt),
    timezone: profile.timezone,
    avatarUrl: avatarUrl(profile),
    completedAt: profile.completedAt,
  };
}

export const sessionOut = z.object({
  access: z.string().describe("JWT access token, valid 15 minutes"),
  refresh: z.string().describe("Opaque refresh token, valid 7 days, rotated on every use"),
  accessExpiresAt: z.string(),
  refreshExpiresAt: z.string(),
  user: userOut,
});
