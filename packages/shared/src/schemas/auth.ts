import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

export const email = z
  .email({ message: "Enter a valid email address." })
  .max(254)
  .transform((value) => value.trim());

export const username = z
  .string()
  .trim()
  .min(3, "At least 3 characters.")
  .max(40, "At most 40 characters.")
  .regex(/^[A-Za-z0-9_.-]+$/, "Letters, digits, dots, dashes and underscores only.");

/** Length only: the server also refuses common passwords and ones too like the username or email. */
export const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `At least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `At most ${PASSWORD_MAX_LENGTH} characters.`);

export const accountType = z.enum(["customer", "developer"]);
export type AccountType = z.infer<typeof accountType>;

export const registerInput = z.object({
  email,
  username,
  password,
  accountType,
});
export type RegisterInput = z.infer<typeof registerInput>;

export const loginInput = z.object({
  login: z.string().trim().min(1, "Enter your email or username.").max(254),
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX_LENGTH),
});
export type LoginInput = z.infer<typeof loginInput>;

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: password,
});

export const passwordResetInput = z.object({ email: z.string().trim().min(1).max(254) });

export const passwordResetConfirmInput = z.object({
  token: z.string().min(10).max(200),
  newPassword: password,
});
