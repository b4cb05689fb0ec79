import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { FileItem } from "../../components/FileItem";
import { Alert } from "../../components/ui/Alert";
import { Button } from "../../components/ui/Button";
import { useConfirm } from "../../components/ui/ConfirmDialog";
import { Card } from "../../components/ui/PageHeader";
import { SkeletonText } from "../../components/ui/Skeleton";
import { ProgressBar } from "../../components/ui/ProgressBar";
import { useToast } from "../../components/ui/Toast";
import { projectKeys, projectsApi } from "../../api/projects";
import { errorMessage } from "../../lib/api";
import { uploadWithProgress } from "./download";
import { can, type ProjectDetail, type ProjectFile } from "./model";

/** GET/POST /api/projects/{id}/files, GET /api/files/{id}/download, DELETE /api/files/{id}. */
export function ProjectFiles({ project }: { project: ProjectDetail }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const input = useRef<HTMLInputElement>(null);
  const [upload, setUpload] = useState<{ name: string; progress: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const files = useQuery({
    queryKey: projectKeys.files(project.id),
    queryFn: ({ signal }) => projectsApi.files(project.id, signal),
    select: (data) => data.items,
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: projectKeys.files(project.id) });
    void queryClient.invalidateQueries({ queryKey: projectKeys.statistics(project.id) });
  };
  const canUpload = can(project, "uploadFile");

  const send = async (file: File) => {
    setError(null);
    setUpload({ name: file.name, progress: 0 });
    try {
      await uploadWithProgress<ProjectFile>(projectsApi.filesPath(project.id), file, (progress) =>
        setUpload({ name: file.name, progress }),
      );
      toast.success(`${file.name} is uploaded.`);
      refresh();
    } catch (failure) {
      setError(`${file.name}: ${errorMessage(failure)}`);
    } finally {
      setUpload(null);
      if (input.current) input.current.value = "";
    }
  };

  const remove = async (file: ProjectFile) => {
    const ok = await confirm({
      title: `Delete ${file.name}?`,
      body: "The file is removed for everyone on the project. This cannot be undone.",
      confirmLabel: "Delete file",
    });
    if (!ok) return;
    try {
      await projectsApi.removeFile(file.id);
      toast.success(`${file.name} is deleted.`);
      refresh();
    } catch (failure) {
      toast.error(errorMessage(failure), "The file was not deleted");
    }
  };

  return (
    <Card
      title="Files"
      actions={
        canUpload ? (
          <>
            <input
              ref={input}
              type="file"
              className="sr-only"
              id={`upload-${project.id}`}
              aria-label="Upload a file"
              tabIndex={-1}
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) void send(file);
              }}
            />
            <Button size="sm" icon="plus" onClick={() => input.current?.click()} disabled={upload !== null}>
              Upload file
            </Button>
          </>
        ) : null
      }
    >
      {error ? (
        <Alert tone="error" className="mb-3">
          {error}
        </Alert>
      ) : null}
      {upload ? (
        <div className="mb-3">
          <div className="mb-1 flex justify-between text-xs text-zinc-600">
            <span className="truncate">Uploading {upload.name}</span>
            <span className="tabular-nums">{Math.round(upload.progress * 100)}%</span>
          </div>
          <ProgressBar value={upload.progress * 100} label={`Uploading ${upload.name}`} tone="accent" size="sm" />
        </div>
      ) : null}
      {files.isLoading ? (
        <SkeletonText lines={2} />
      ) : !files.data ? (
        <p className="text-sm text-red-700">{errorMessage(files.error)}</p>
      ) : files.data.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No files yet.
          {canUpload ? " Upload contracts, briefs or designs (up to the size the server allows)." : ""}
        </p>
      ) : (
        <ul className="-my-1 divide-y divide-zinc-100" aria-label="Files">
          {files.data.map((file) => (
            <FileItem key={file.id} file={file} onDelete={(chosen) => void remove(chosen as ProjectFile)} />
          ))}
        </ul>
      )}
    </Card>
  );
}
