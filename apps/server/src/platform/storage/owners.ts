import type { Decision } from "../access/engine.js";
import type { Ctx } from "../context.js";
import type { UploadAccept } from "./upload.js";

/** One attachment as its owner's rules see it (a row of the attachments module's table). */
export type AttachmentRecord = {
  id: string;
  orgId: string;
  ownerType: string;
  ownerId: string;
  storageKey: string;
  originalName: string;
  contentType: string;
  size: number;
  uploadedById: string | null;
  createdAt: Date;
};

/** The owner of attachments as the caller sees it: its organization and what its rules need. */
export type OwnerAccess<S> = { orgId: string; subject: S };

/**
 * A kind of object that holds files (a project, a task, a ticket). The module
 * that owns the object declares it in its manifest (`attachmentOwners`); the
 * attachments module stores the files and asks the owner's rules, and only
 * them, who may read, add and delete. Nothing about files is decided twice.
 */
export type AttachmentOwner<S = unknown> = {
  /** Stored as `attachments.owner_type`: `project`, `task`, `ticket`. Never renamed once files exist. */
  type: string;
  /**
   * Serves `GET/POST /api/<path>/{id}/attachments` with the generic shape
   * (`tasks` → /api/tasks/{id}/attachments). Omitted by an owner whose module
   * serves its own routes over the same service (projects' `/files`).
   */
  path?: string;
  /** What an upload may be: the pipeline stops at `maxBytes` and judges the type by `accept`. */
  upload: { maxBytes: number; accept: UploadAccept; area?: string };
  /**
   * The owner when the caller may see it, and with it its files; null when it
   * does not exist for them (the answer is a 404, whether it is missing or in
   * another organization). May throw a PermissionDeniedError for a 403.
   */
  canRead(ctx: Ctx, ownerId: string): Promise<OwnerAccess<S> | null>;
  /** Whether the caller may attach a file to this owner (asked before a byte is read, and again before the row is written). */
  canAdd(ctx: Ctx, owner: S): Decision;
  /** Whether the caller may delete this attachment of the owner. */
  canDelete(ctx: Ctx, owner: S, attachment: AttachmentRecord): Decision;
};

/**
 * Declares an owner. The subject's type stays between its own functions: the
 * service hands each function only what that owner's `canRead` returned.
 */
export function defineAttachmentOwner<S>(owner: AttachmentOwner<S>): AttachmentOwner {
  return owner;
}

/** The owners of the composition by type. */
export type AttachmentOwners = ReadonlyMap<string, AttachmentOwner>;

export function attachmentOwnerRegistry(owners: readonly AttachmentOwner[]): AttachmentOwners {
  const registry = new Map<string, AttachmentOwner>();
  const paths = new Set<string>();
  for (const owner of owners) {
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(owner.type))
      throw new Error(`Attachment owner type ${owner.type} is not a lower-case word`);
    if (registry.has(owner.type)) throw new Error(`Attachment owner ${owner.type} is declared twice`);
    if (owner.path !== undefined) {
      if (paths.has(owner.path)) throw new Error(`Attachment path /${owner.path} is declared twice`);
      paths.add(owner.path);
    }
    registry.set(owner.type, owner);
  }
  return registry;
}
