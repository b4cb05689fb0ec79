import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { findProfile, writeProfile, type ProfileRow } from "../accounts/index.js";
import { normalizeAvatar } from "./avatar.image.js";
import { settleOnboarding } from "./onboarding.service.js";

/** Avatars live under the public media root, served at /media/ (Node in development, Nginx in production). */
const AVATAR_FOLDER = "avatars";

/** A path inside the media root for a stored key; keys are ours, but a path never leaves the root. */
function mediaPath(mediaDir: string, key: string): string {
  const root = path.resolve(mediaDir);
  const file = path.resolve(root, key);
  if (!file.startsWith(`${root}${path.sep}`)) throw new Error(`media key outside the media root: ${key}`);
  return file;
}

/**
 * PUT /api/me/avatar: checks the upload by its bytes, re-encodes it as a
 * 512 px WebP under a random name, points the profile at it and removes the
 * previous file once the change is committed. Nothing is written when the
 * upload is refused.
 */
export async function replaceMyAvatar(ctx: Ctx, upload: Buffer): Promise<ProfileRow> {
  const actor = requireUser(ctx.actor);
  const before = await findProfile(ctx.tx, actor.userId);
  const image = await normalizeAvatar(upload);
  const key = `${AVATAR_FOLDER}/${randomBytes(16).toString("hex")}.webp`;
  const { mediaDir } = ctx.services.config;
  const file = mediaPath(mediaDir, key);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, image, { flag: "wx", mode: 0o644 });
  try {
    const updated = await writeProfile(ctx, actor.userId, { avatarKey: key });
    if (!updated) throw new NotFoundError("profile");
    await recordAudit(ctx, {
      orgId: null,
      action: "profile.avatar_changed",
      entityType: "profile",
      entityId: actor.userId,
      changes: { avatar: [before.avatarKey, key] },
    });
    const after = await settleOnboarding(ctx, before);
    const previous = before.avatarKey;
    if (previous) ctx.afterCommit(() => rm(mediaPath(mediaDir, previous), { force: true }));
    return after;
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
}
