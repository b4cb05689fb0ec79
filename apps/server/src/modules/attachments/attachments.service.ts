import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireUser, type Decision } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError, PermissionDeniedError } from "../../platform/errors.js";
import type { AttachmentOwner, AttachmentRecord, OwnerAccess } from "../../platform/storage/owners.js";
import { privateStorage } from "../../platform/storage/storage.js";
import { storeUpload, type Upload } from "../../platform/storage/upload.js";
import { users } from "../accounts/index.js";
import { attachments } from "./attachments.table.js";

/** An attachment as the API shows it. */
export type AttachmentView = {
  id: string;
  orgId: string;
  ownerType: string;
  ownerId: string;
  name: string;
  contentType: string;
  size: number;
  uploadedById: string | null;
  uploadedBy: { id: string; username: string } | null;
  createdAt: Date;
  downloadUrl: string;
  /** `download`, and `delete` when the owner's rules let the caller delete it. */
  allowedActions: string[];
};

/** What a download needs once the caller may read the file. */
export type OpenedAttachment = { key: string; contentType: string; filename: string; size: number };

/** Runs work in its own transaction as the request's caller. */
export type RunInCtx = <T>(work: (ctx: Ctx) => Promise<T>) => Promise<T>;

/** The owner declared for a type; a type no module declared is a bug of the caller, not a 404. */
function ownerOf(ctx: Ctx, ownerType: string): AttachmentOwner {
  const owner = ctx.services.attachmentOwners.get(ownerType);
  if (!owner) throw new Error(`No module declares attachments of ${ownerType}`);
  return owner;
}

function enforce(decision: Decision): void {
  if (!decision.allowed) throw new PermissionDeniedError(decision.missing, decision.reason);
}

/** The owner as the caller sees it; `what` names the 404 (the owner itself, or the file asked for by id). */
async function readable(
  ctx: Ctx,
  owner: AttachmentOwner,
  ownerId: string,
  what: string,
): Promise<OwnerAccess<unknown>> {
  const access = await owner.canRead(ctx, ownerId).catch((error: unknown) => {
    if (error instanceof NotFoundError) return null;
    throw error;
  });
  if (!access) throw new NotFoundError(what);
  return access;
}

function selectAttachments(tx: Tx) {
  return tx
    .select({ attachment: attachments, uploaderName: users.username })
    .from(attachments)
    .leftJoin(users, eq(users.id, attachments.uploadedById));
}

type Row = { attachment: AttachmentRecord; uploaderName: string | null };

function present(ctx: Ctx, owner: AttachmentOwner, access: OwnerAccess<unknown>, row: Row): AttachmentView {
  const { attachment } = row;
  return {
    id: attachment.id,
    orgId: attachment.orgId,
    ownerType: attachment.ownerType,
    ownerId: attachment.ownerId,
    name: attachment.originalName,
    contentType: attachment.contentType,
    size: attachment.size,
    uploadedById: attachment.uploadedById,
    uploadedBy:
      attachment.uploadedById && row.uploaderName !== null
        ? { id: attachment.uploadedById, username: row.uploaderName }
        : null,
    createdAt: attachment.createdAt,
    downloadUrl: `/api/files/${attachment.id}/download`,
    allowedActions: [
      "download",
      ...(owner.canDelete(ctx, access.subject, attachment).allowed ? ["delete"] : []),
    ],
  };
}

const ofOwner = (orgId: string, ownerType: string, ownerId: string) =>
  and(eq(attachments.orgId, orgId), eq(attachments.ownerType, ownerType), eq(attachments.ownerId, ownerId));

/** The files of an owner the caller sees, newest first. */
export async function listAttachments(
  ctx: Ctx,
  ownerType: string,
  ownerId: string,
): Promise<AttachmentView[]> {
  const owner = ownerOf(ctx, ownerType);
  const access = await readable(ctx, owner, ownerId, ownerType);
  const rows = await selectAttachments(ctx.tx)
    .where(ofOwner(access.orgId, ownerType, ownerId))
    .orderBy(desc(attachments.createdAt), desc(attachments.id));
  return rows.map((row) => present(ctx, owner, access, row));
}

/**
 * Attaches an uploaded file to an owner. The owner's rules are asked before a
 * byte is read; the upload goes through the one pipeline (platform/storage:
 * streamed to private storage, size and type judged while it streams)
 * outside any transaction; the row and its audit entry are written after,
 * when the rules still agree, and a failure there removes the stored bytes.
 */
export async function addAttachment(
  run: RunInCtx,
  ownerType: string,
  ownerId: string,
  readUpload: () => Promise<Upload>,
): Promise<AttachmentView> {
  const { owner, storage } = await run(async (ctx) => {
    const found = ownerOf(ctx, ownerType);
    const access = await readable(ctx, found, ownerId, ownerType);
    enforce(found.canAdd(ctx, access.subject));
    return { owner: found, storage: privateStorage(ctx.services.config) };
  });
  const stored = await storeUpload(await readUpload(), {
    storage,
    area: owner.upload.area ?? "attachments",
    maxBytes: owner.upload.maxBytes,
    accept: owner.upload.accept,
    noun: `${ownerType} file`,
  });
  try {
    return await run(async (ctx) => {
      const access = await readable(ctx, owner, ownerId, ownerType);
      enforce(owner.canAdd(ctx, access.subject));
      const [created] = await ctx.tx
        .insert(attachments)
        .values({
          orgId: access.orgId,
          ownerType,
          ownerId,
          storageKey: stored.key,
          originalName: stored.originalName,
          contentType: stored.contentType,
          size: stored.size,
          uploadedById: requireUser(ctx.actor).userId,
        })
        .returning({ id: attachments.id });
      if (!created) throw new Error("attachment insert returned nothing");
      await recordAudit(ctx, {
        orgId: access.orgId,
        action: `${ownerType}.file_uploaded`,
        entityType: ownerType,
        entityId: ownerId,
        changes: {
          file: [null, created.id],
          name: [null, stored.originalName],
          contentType: [null, stored.contentType],
          size: [null, stored.size],
        },
      });
      const [row] = await selectAttachments(ctx.tx).where(
        and(eq(attachments.orgId, access.orgId), eq(attachments.id, created.id)),
      );
      if (!row) throw new NotFoundError("file");
      return present(ctx, owner, access, row);
    });
  } catch (error) {
    await storage.delete(stored.key);
    throw error;
  }
}

/**
 * A file the caller may read, with its owner. Any other id, another
 * organization's file included, is a 404 "No such file.".
 */
async function findAttachment(
  ctx: Ctx,
  attachmentId: string,
): Promise<{ owner: AttachmentOwner; access: OwnerAccess<unknown>; attachment: AttachmentRecord }> {
  const actor = requireUser(ctx.actor);
  const orgIds = actor.orgs.map((org) => org.orgId);
  // The organizations first (a cheap filter every query of tenant data starts with), then the owner's own rules.
  const inOrgs = actor.isSuperuser
    ? sql`true`
    : orgIds.length
      ? inArray(attachments.orgId, orgIds)
      : sql`false`;
  const [attachment] = await ctx.tx
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, attachmentId), inOrgs));
  if (!attachment) throw new NotFoundError("file");
  const owner = ctx.services.attachmentOwners.get(attachment.ownerType);
  // A file whose owner type no module declares any more has nobody to authorize it: it does not exist.
  if (!owner) throw new NotFoundError("file");
  const access = await readable(ctx, owner, attachment.ownerId, "file");
  if (access.orgId !== attachment.orgId) throw new NotFoundError("file");
  return { owner, access, attachment };
}

export async function openAttachment(ctx: Ctx, attachmentId: string): Promise<OpenedAttachment> {
  const { attachment } = await findAttachment(ctx, attachmentId);
  return {
    key: attachment.storageKey,
    contentType: attachment.contentType,
    filename: attachment.originalName,
    size: attachment.size,
  };
}

/** Deletes a file when the owner's rules allow it: the row now, the bytes once that commits. */
export async function deleteAttachment(ctx: Ctx, attachmentId: string): Promise<void> {
  const { owner, access, attachment } = await findAttachment(ctx, attachmentId);
  enforce(owner.canDelete(ctx, access.subject, attachment));
  await ctx.tx
    .delete(attachments)
    .where(and(eq(attachments.orgId, attachment.orgId), eq(attachments.id, attachment.id)));
  await recordAudit(ctx, {
    orgId: attachment.orgId,
    action: `${attachment.ownerType}.file_deleted`,
    entityType: attachment.ownerType,
    entityId: attachment.ownerId,
    changes: { file: [attachment.id, null], name: [attachment.originalName, null] },
  });
  const storage = privateStorage(ctx.services.config);
  ctx.afterCommit(() => storage.delete(attachment.storageKey));
}

/**
 * Removes every file of an owner its module is deleting (the module has
 * authorized that): the rows in the deletion's transaction, the bytes once it
 * commits.
 */
export async function deleteAttachmentsOf(
  ctx: Ctx,
  ownerType: string,
  orgId: string,
  ownerId: string,
): Promise<void> {
  const removed = await ctx.tx
    .delete(attachments)
    .where(ofOwner(orgId, ownerType, ownerId))
    .returning({ key: attachments.storageKey });
  if (!removed.length) return;
  const storage = privateStorage(ctx.services.config);
  ctx.afterCommit(async () => {
    for (const { key } of removed) await storage.delete(key);
  });
}

/** How many files an owner holds (statistics). */
export async function countAttachments(
  tx: Tx,
  ownerType: string,
  orgId: string,
  ownerId: string,
): Promise<number> {
  const [row] = await tx
    .select({ value: count() })
    .from(attachments)
    .where(ofOwner(orgId, ownerType, ownerId));
  return row?.value ?? 0;
}
