import { and, desc, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { allowedActions, authorize, requireUser } from "../../platform/access/engine.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError, PayloadTooLargeError, UnsupportedMediaTypeError } from "../../platform/errors.js";
import { ACCEPTED_FILE_TYPES, detectFileType, peekStream } from "../../platform/storage/sniff.js";
import { newStorageKey, privateStorage, StorageLimitError } from "../../platform/storage/storage.js";
import { emptyFileError, type Upload } from "../../platform/storage/upload.js";
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

/** The name a file was uploaded with, kept as metadata only: no folders, no control characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const clean = base
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
    .trim()
    .slice(0, 255);
  return clean || "file";
}


/** Runs work in its own transaction as the request's caller. */
export type RunInCtx = <T>(work: (ctx: Ctx) => Promise<T>) => Promise<T>;

/**
 * Stores an uploaded file. Permission is checked before a byte is read; the
 * type comes from the content; the bytes go to private storage under a random
 * key outside any transaction; the row and its audit entry are written after,
 * and a failure there removes the stored bytes again.
 */
export async function uploadProjectFile(run: RunInCtx, projectId: string, readUpload: () => Promise<Upload>): Promise<ProjectFileView> {
  const storage = await run(async (ctx) => {
    const project = await findVisibleProject(ctx, projectId);
    authorize(ctx.actor, projectPolicy, "uploadFile", projectSubject(project));
    return privateStorage(ctx.services.config);
  });
  const upload = await readUpload();
  const { head, stream } = await peekStream(upload.stream, 4096);
  if (head.length === 0) {
    await upload.finish();
    throw emptyFileError();
  }
  const type = detectFileType(head, upload.filename);
  if (!type) {
    stream.resume();
    throw new UnsupportedMediaTypeError(`This file type is not accepted. Accepted: ${ACCEPTED_FILE_TYPES}.`);
  }
  const key = newStorageKey("projects");
  let size: number;
  try {
    ({ size } = await storage.put(key, stream, { maxBytes: MAX_PROJECT_FILE_BYTES }));
  } catch (error) {
    if (error instanceof StorageLimitError) throw new PayloadTooLargeError(`A project file is at most ${MAX_PROJECT_FILE_BYTES / 1024 / 1024} MB.`);
    throw error;
  }
  if (upload.truncated()) {
    await storage.delete(key);
    throw new PayloadTooLargeError(`A project file is at most ${MAX_PROJECT_FILE_BYTES / 1024 / 1024} MB.`);
  }
  try {
    await upload.finish();
  } catch (error) {
    await storage.delete(key);
    throw error;
  }
  try {
    return await run(async (ctx) => {
      const project = await findVisibleProject(ctx, projectId);
      authorize(ctx.actor, projectPolicy, "uploadFile", projectSubject(project));
      const name = cleanFileName(upload.filename);
      const [file] = await ctx.tx
        .insert(projectFiles)
        .values({
          orgId: project.project.orgId,
          projectId,
          storageKey: key,
          originalName: name,
          contentType: type.contentType,
          size,
          uploadedById: requireUser(ctx.actor).userId,
        })
        .returning({ id: projectFiles.id });
      if (!file) throw new Error("file insert returned nothing");
      await recordAudit(ctx, {
        orgId: project.project.orgId,
        action: "project.file_uploaded",
        entityType: "project",
        entityId: projectId,
        changes: { file: [null, file.id], name: [null, name], contentType: [null, type.contentType], size: [null, size] },
      });
      const [row] = await selectFiles(ctx.tx).where(and(eq(projectFiles.orgId, project.project.orgId), eq(projectFiles.id, file.id)));
      if (!row) throw new NotFoundError("file");
      return present(ctx, project, row);
    });
  } catch (error) {
    await storage.delete(key);
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
