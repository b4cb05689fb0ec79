import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Config } from "../../config.js";
import { requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { privateStorage } from "../../platform/storage/storage.js";
import type { StoredUpload, StoreOptions } from "../../platform/storage/upload.js";
import { findProfile, writeProfile, type ProfileRow } from "../accounts/index.js";
import { AVATAR_MAX_BYTES, normalizeAvatar } from "./avatar.image.js";
import { settleOnboarding } from "./onboarding.service.js";

/** Avatars live under the public media root, served at /media/ (Node in development, Nginx in production). */
const AVATAR_FOLDER = "avatars";

/**
 * How an avatar goes through the one upload pipeline (platform/storage):
 * streamed to private storage, stopped at 5 MB while it streams, and a PNG,
 * JPEG or WebP by its first bytes. What is kept there is the untouched
 * original, until `replaceMyAvatar` has re-encoded it.
 */
export function avatarUpload(config: Pick<Config, "privateDir">): StoreOptions {
  return {
    storage: privateStorage(config),
    area: "avatars",
    maxBytes: AVATAR_MAX_BYTES,
    accept: "images",
    what: "image",
    noun: "avatar",
  };
}

/** A path inside the media root for a stored key; keys are ours, but a path never leaves the root. */
function mediaPath(mediaDir: string, key: string): string {
  const root = path.resolve(mediaDir);
  const file = path.resolve(root, key);
  if (!file.startsWith(`${root}${path.sep}`)) throw new Error(`media key outside the media root: ${key}`);
  return file;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * PUT /api/me/avatar, once the upload is stored (`avatarUpload`): decodes the
 * original and re-encodes it as a 512 px WebP under a random public name,
 * points the profile at it and removes the previous one once the change is
 * committed. The original (with its metadata: EXIF, GPS) is deleted whatever
 * happens; nothing public is written when the image is refused.
 */
export async function replaceMyAvatar(ctx: Ctx, original: StoredUpload): Promise<ProfileRow> {
  const storage = privateStorage(ctx.services.config);
  let bytes: Buffer;
  try {
    bytes = await readAll((await storage.open(original.key)).stream);
  } finally {
    await storage.delete(original.key);
  }
  const actor = requireUser(ctx.actor);
  const before = await findProfile(ctx.tx, actor.userId);
  const image = await normalizeAvatar(bytes);
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
