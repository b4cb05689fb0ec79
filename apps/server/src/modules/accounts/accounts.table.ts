import { sql } from "drizzle-orm";
import { boolean, date, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestampTz, updatedAt } from "../../db/columns.js";

export const users = pgTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    username: text("username").notNull(),
    /** argon2id PHC string; null for accounts that have not set a password yet. */
    passwordHash: text("password_hash"),
    isActive: boolean("is_active").notNull().default(true),
    isSuperuser: boolean("is_superuser").notNull().default(false),
    lastLoginAt: timestampTz("last_login_at"),
    passwordChangedAt: timestampTz("password_changed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    // Unique regardless of case, as people type them.
    uniqueIndex("users_email_lower_key").on(sql`lower(${table.email})`),
    uniqueIndex("users_username_lower_key").on(sql`lower(${table.username})`),
  ],
);

export const profiles = pgTable("profiles", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  displayName: text("display_name").notNull().default(""),
  bio: text("bio").notNull().default(""),
  nationalId: text("national_id"),
  phone: text("phone"),
  phoneVerifiedAt: timestampTz("phone_verified_at"),
  dateOfBirth: date("date_of_birth", { mode: "string" }),
  timezone: text("timezone").notNull().default("UTC"),
  avatarKey: text("avatar_key"),
  completedAt: timestampTz("completed_at"),
  updatedAt: updatedAt(),
});

/**
 * Refresh tokens: one row per issued token, grouped in families (one family
 * per sign-in). Only a SHA-256 of the token is stored. Presenting a token
 * that was already used revokes the whole family.
 */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    familyId: uuid("family_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestampTz("expires_at").notNull(),
    usedAt: timestampTz("used_at"),
    revokedAt: timestampTz("revoked_at"),
    userAgent: text("user_agent"),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("refresh_tokens_hash_key").on(table.tokenHash),
    index("refresh_tokens_family_idx").on(table.familyId),
    index("refresh_tokens_user_idx").on(table.userId),
  ],
);

/** Single-use tokens for password reset and first password set; hashed like refresh tokens. */
export const passwordTokens = pgTable(
  "password_tokens",
  {
    id: id(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    purpose: text("purpose", { enum: ["reset", "welcome"] }).notNull(),
    expiresAt: timestampTz("expires_at").notNull(),
    usedAt: timestampTz("used_at"),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("password_tokens_hash_key").on(table.tokenHash), index("password_tokens_user_idx").on(table.userId)],
);
