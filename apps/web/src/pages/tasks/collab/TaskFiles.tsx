import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { collabApi, collabKeys, type TaskFile } from "../../../api/collaboration";
import { DropBox, useFileDrop } from "../../../components/FileDrop";
import { FileItem } from "../../../components/FileItem";
import { Alert } from "../../../components/ui/Alert";
import { useConfirm } from "../../../components/ui/ConfirmDialog";
import { Card } from "../../../components/ui/PageHeader";
import { SkeletonText } from "../../../components/ui/Skeleton";
import { ProgressBar } from "../../../components/ui/ProgressBar";
import { useToast } from "../../../components/ui/Toast";
import { errorMessage } from "../../../lib/api";
import { session } from "../../../lib/session";
import { uploadWithProgress } from "../../projects/download";
import { formatBytes } from "../../projects/model";
import type { Task } from "../model";

/** The server's limit (API.md "Tasks"): checked here too, so nobody waits for a refusal. */
const MAX_BYTES = 25 * 1024 * 1024;
const PREVIEWABLE = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

type Upload = { key: string; name: string; progress: number; error: string | null };

/**
 * The task's files (GET/POST /api/tasks/{id}/attachments): drop files anywhere on the card or pick
 * them, each uploads with its own progress bar; images show a preview. Download for whoever sees
 * the task, Delete for the uploader and the task's managers (each file's `allowedActions`).
 */
export function TaskFiles({ task }: { task: Task }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const confirm = useConfirm();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const files = useQuery({
    queryKey: collabKeys.files(task.id),
    queryFn: ({ signal }) => collabApi.files(task.id, signal),
    select: (data) => data.items,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: collabKeys.task(task.id) });
  const change = (key: string, patch: Partial<Upload>) =>
    setUploads((current) => current.map((upload) => (upload.key === key ? { ...upload, ...patch } : upload)));

  const send = async (file: File) => {
    const key = `${file.name}-${Date.now()}-${Math.random()}`;
    if (file.size > MAX_BYTES) {
      setUploads((current) => [
        ...current,
        {
          key,
          name: file.name,
          progress: 0,
          error: `${formatBytes(file.size)}: files can be at most 25 MB.`,
        },
      ]);
      return;
    }
    setUploads((current) => [...current, { key, name: file.name, progress: 0, error: null }]);
    try {
      await uploadWithProgress<TaskFile>(collabApi.filesPath(task.id), file, (progress) =>
        change(key, { progress }),
      );
      setUploads((current) => current.filter((upload) => upload.key !== key));
      refresh();
    } catch (failure) {
      change(key, { error: errorMessage(failure) });
    }
  };
  const sendAll = (list: File[]) => {
    for (const file of list) void send(file);
  };

  const remove = async (file: TaskFile) => {
    const ok = await confirm({
      title: `Delete ${file.name}?`,
      body: "The file is removed for everyone who sees the task. This cannot be undone.",
      confirmLabel: "Delete file",
    });
    if (!ok) return;
    try {
      await collabApi.removeFile(file.id);
      toast.success(`${file.name} is deleted.`);
      refresh();
    } catch (failure) {
      toast.error(errorMessage(failure), "The file was not deleted");
    }
  };

  const drop = useFileDrop(sendAll);

  return (
    <Card title="Files">
      <div {...drop.handlers}>
        <DropBox
          over={drop.over}
          prompt="Drop files here, or"
          buttonLabel="choose files"
          inputLabel="Attach files"
          hint="Any type, up to 25 MB each."
          multiple
          onFiles={sendAll}
          className="mb-3"
        />
        {uploads.length ? (
          <ul className="mb-3 space-y-2" aria-label="Uploads">
            {uploads.map((upload) => (
              <li key={upload.key}>
                <div className="mb-1 flex justify-between gap-2 text-xs text-zinc-600">
                  <span className="truncate">{upload.name}</span>
                  {upload.error ? (
                    <button
                      type="button"
                      className="text-zinc-500 underline"
                      onClick={() =>
                        setUploads((current) => current.filter((each) => each.key !== upload.key))
                      }
                    >
                      Dismiss
                    </button>
                  ) : (
                    <span className="tabular-nums">{Math.round(upload.progress * 100)}%</span>
                  )}
                </div>
                {upload.error ? (
                  <Alert tone="error">{upload.error}</Alert>
                ) : (
                  <ProgressBar value={upload.progress * 100} label={`Uploading ${upload.name}`} tone="accent" size="sm" />
                )}
              </li>
            ))}
          </ul>
        ) : null}
        {files.isLoading ? (
          <SkeletonText lines={2} />
        ) : !files.data ? (
          <p className="text-sm text-red-700">{errorMessage(files.error)}</p>
        ) : files.data.length === 0 ? (
          <p className="text-sm text-zinc-500">No files yet: screenshots, logs and documents belong here.</p>
        ) : (
          <ul className="-my-1 divide-y divide-zinc-100" aria-label="Files">
            {files.data.map((file) => (
              <FileItem
                key={file.id}
                file={file}
                preview={PREVIEWABLE.has(file.contentType) ? <Preview file={file} /> : undefined}
                onDelete={(chosen) => void remove(chosen as TaskFile)}
              />
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}

/**
 * A thumbnail of an image file: the bytes are private (bearer token), so they are fetched and shown
 * from a blob URL, released when the row goes. The file's type was read from its content on upload.
 */
function Preview({ file }: { file: TaskFile }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    let made: string | null = null;
    void (async () => {
      await session.ensureFresh();
      const response = await fetch(file.downloadUrl, {
        headers: session.accessToken ? { Authorization: `Bearer ${session.accessToken}` } : {},
        signal: controller.signal,
      });
      if (!response.ok) return;
      made = URL.createObjectURL(await response.blob());
      setUrl(made);
    })().catch(() => undefined);
    return () => {
      controller.abort();
      if (made) URL.revokeObjectURL(made);
    };
  }, [file.downloadUrl]);
  return url ? (
    <a href={url} target="_blank" rel="noopener" className="shrink-0" aria-label={`Open ${file.name}`}>
      <img
        src={url}
        alt={`Preview of ${file.name}`}
        className="size-12 rounded border border-zinc-200 object-cover"
      />
    </a>
  ) : (
    <span className="size-12 shrink-0 animate-pulse rounded bg-zinc-100" aria-hidden="true" />
  );
}
