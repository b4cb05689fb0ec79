import { and, desc, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { allowedActions, authorize, requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { privateStorage } from "../../platform/storage/storage.js";
import { storeUpload, type Upload } from "../../platform/storage/upload.js";
import { users } from "../accounts/index.js";
import { projectFiles } from "./files.table.js";
import { inMemberOrgs } from "./org-scope.js";
import { projectPolicy } from "./projects.policy.js";
import { findVisibleProject, projectSubject, type ProjectRow } from "./projects.queries.js";

/** Largest project file accepted; the multipart parser and the storage both stop at it. */
export const MAX_PROJECT_FILE_BYTES = 25 * 1024 * 1024;

export type ProjectFileView = {
  id: string;
  orgId: string;
  projectId: string;
  name: string;
  contentType: string;
  size: number;
  uploadedById: string | null;
  uploadedBy: { id: string; username: string } | null;
  createdAt: Date;
  downloadUrl: string;
  allowedActions: string[];
};

function selectFiles(tx: Tx) {
  return tx.select({ file: projectFiles, uploaderName: users.username }).from(projectFiles).leftJoin(users, eq(users.id, projectFiles.uploadedById));
}

type FileRow = Awaited<ReturnType<ReturnType<typeof selectFiles>["where"]>>[number];

function present(ctx: Ctx, project: ProjectRow, row: FileRow): ProjectFileView {
  const { file } = row;
  const projectActions = allowedActions(ctx.actor, projectPolicy, projectSubject(project));
  return {
    id: file.id,
    orgId: file.orgId,
    projectId: file.projectId,
    name: file.originalName,
    contentType: file.contentType,
    size: file.size,
    uploadedById: file.uploadedById,
    uploadedBy: file.uploadedById && row.uploaderName !== null ? { id: file.uploadedById, username: row.uploaderName } : null,
    createdAt: file.createdAt,
    downloadUrl: `/api/files/${file.id}/download`,
    allowedActions: ["download", ...(projectActions.includes("deleteFile") ? ["delete"] : [])],
  };
}

export async function listProjectFiles(ctx: Ctx, projectId: string): Promise<ProjectFileView[]> {
  const project = await findVisibleProject(ctx, projectId);
  authorize(ctx.actor, projectPolicy, "view", projectSubject(project));
  const rows = await selectFiles(ctx.tx)
    .where(and(eq(projectFiles.orgId, project.project.orgId), eq(projectFiles.projectId, projectId)))
    .orderBy(desc(projectFiles.createdAt));
  return rows.map((row) => present(ctx, project, row));
}

/** Runs work in its own transaction as the request's caller. */
export type RunInCtx = <T>(work: (ctx: Ctx) => Promise<T>) => Promise<T>;

/**
 * Stores an uploaded file. Permission is checked before a byte is read; the
 * upload goes through the one pipeline (type from the content, private
 * storage under a random key, size stopped while it streams) outside any
 * transaction; the row and its audit entry are written after,
 * and a failure there removes the stored bytes again.
 */
export async function uploadProjectFile(run: RunInCtx, projectId: string, readUpload: () => Promise<Upload>): Promise<ProjectFileView> {
  const storage = await run(async (ctx) => {
    const project = await findVisibleProject(ctx, projectId);
    authorize(ctx.actor, projectPolicy, "uploadFile", projectSubject(project));
    return privateStorage(ctx.services.config);
  });
  // The one upload pipeline (platform/storage): streamed, size and type judged while it streams, a random key.
  const stored = await storeUpload(await readUpload(), {
    storage,
    area: "projects",
    maxBytes: MAX_PROJECT_FILE_BYTES,
    accept: "documents",
    noun: "project file",
  });
  try {
    return await run(async (ctx) => {
      const project = await findVisibleProject(ctx, projectId);
      authorize(ctx.actor, projectPolicy, "uploadFile", projectSubject(project));
      const name = stored.originalName;
      const [file] = await ctx.tx
        .insert(projectFiles)
        .values({
          orgId: project.project.orgId,
          projectId,
          storageKey: stored.key,
          originalName: name,
          contentType: stored.contentType,
          size: stored.size,
          uploadedById: requireUser(ctx.actor).userId,
        })
        .returning({ id: projectFiles.id });
      if (!file) throw new Error("file insert returned nothing");
      await recordAudit(ctx, {
        orgId: project.project.orgId,
        action: "project.file_uploaded",
        entityType: "project",
        entityId: projectId,
        changes: { file: [null, file.id], name: [null, name], contentType: [null, stored.contentType], size: [null, stored.size] },
      });
      const [row] = await selectFiles(ctx.tx).where(and(eq(projectFiles.orgId, project.project.orgId), eq(projectFiles.id, file.id)));
      if (!row) throw new NotFoundError("file");
      return present(ctx, project, row);
    });
  } catch (error) {
    await storage.delete(stored.key);
    throw error;
  }
}

/** A file of a project the caller sees (any other id is a 404), with its project. */
async function findFile(ctx: Ctx, fileId: string): Promise<{ project: ProjectRow; file: FileRow["file"] }> {
  const [row] = await ctx.tx
    .select({ file: projectFiles })
    .from(projectFiles)
    .where(and(eq(projectFiles.id, fileId), inMemberOrgs(requireUser(ctx.actor), projectFiles.orgId)));
  if (!row) throw new NotFoundError("file");
  const project = await findVisibleProject(ctx, row.file.projectId).catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError("file") : error;
  });
  return { project, file: row.file };
}

/** What a download needs, once the caller is known to see the project. */
export async function openProjectFile(ctx: Ctx, fileId: string): Promise<{ key: string; contentType: string; filename: string; size: number }> {
  const { project, file } = await findFile(ctx, fileId);
  authorize(ctx.actor, projectPolicy, "view", projectSubject(project));
  return { key: file.storageKey, contentType: file.contentType, filename: file.originalName, size: file.size };
}

export async function deleteProjectFile(ctx: Ctx, fileId: string): Promise<void> {
  const { project, file } = await findFile(ctx, fileId);
  authorize(ctx.actor, projectPolicy, "deleteFile", projectSubject(project));
  await ctx.tx.delete(projectFiles).where(and(eq(projectFiles.orgId, file.orgId), eq(projectFiles.id, fileId)));
  await recordAudit(ctx, {
    orgId: file.orgId,
    action: "project.file_deleted",
    entityType: "project",
    entityId: file.projectId,
    changes: { file: [file.id, null], name: [file.originalName, null] },
  });
  const storage = privateStorage(ctx.services.config);
  ctx.afterCommit(() => storage.delete(file.storageKey));
}
