import { authorize, requireUser } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { defineAttachmentOwner } from "../../platform/storage/owners.js";
import type { Upload } from "../../platform/storage/upload.js";
import { addAttachment, listAttachments, type AttachmentView, type RunInCtx } from "../attachments/index.js";
import { projectPolicy } from "./projects.policy.js";
import { findVisibleProject, projectSubject, type ProjectRow } from "./projects.queries.js";

/** Largest project file accepted; the multipart parser and the storage both stop at it. */
export const MAX_PROJECT_FILE_BYTES = 25 * 1024 * 1024;

/**
 * Project files are attachments whose owner is a project (ADR 0006): the
 * project's rules decide. Whoever sees the project reads its files (its
 * visibility, then projects.view); uploading and deleting are changes of the
 * project (projects.change_any, or change_own on own projects).
 */
export const projectAttachments = defineAttachmentOwner<ProjectRow>({
  type: "project",
  upload: { maxBytes: MAX_PROJECT_FILE_BYTES, accept: "documents", area: "projects" },
  async canRead(ctx, projectId) {
    const project = await findVisibleProject(ctx, projectId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (!project) return null;
    authorize(ctx.actor, projectPolicy, "view", projectSubject(project));
    return { orgId: project.project.orgId, subject: project };
  },
  canAdd: (ctx, project) => projectPolicy.rules.uploadFile(requireUser(ctx.actor), projectSubject(project)),
  canDelete: (ctx, project) =>
    projectPolicy.rules.deleteFile(requireUser(ctx.actor), projectSubject(project)),
});

/** A project file as API.md shows it: an attachment named by its project. */
export type ProjectFileView = Omit<AttachmentView, "ownerType" | "ownerId"> & { projectId: string };

function asProjectFile({ ownerType: _type, ownerId, ...file }: AttachmentView): ProjectFileView {
  return { ...file, projectId: ownerId };
}

export async function listProjectFiles(ctx: Ctx, projectId: string): Promise<ProjectFileView[]> {
  return (await listAttachments(ctx, projectAttachments.type, projectId)).map(asProjectFile);
}

/** Stores an uploaded file of a project through the attachments pipeline (permission first, bytes after). */
export async function uploadProjectFile(
  run: RunInCtx,
  projectId: string,
  readUpload: () => Promise<Upload>,
): Promise<ProjectFileView> {
  return asProjectFile(await addAttachment(run, projectAttachments.type, projectId, readUpload));
}
