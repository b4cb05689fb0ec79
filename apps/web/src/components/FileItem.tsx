import type { ReactNode } from "react";
import { errorMessage } from "../lib/api";
import { downloadWithAuth } from "../pages/projects/download";
import { formatBytes, formatDate } from "../pages/projects/model";
import { Button } from "./ui/Button";
import { Icon } from "./ui/Icon";
import { useToast } from "./ui/Toast";

/** A stored file as the attachments API shows it (a project's, a task's). */
export type StoredFile = {
  id: string;
  name: string;
  size: number;
  uploadedBy: { username: string } | null;
  createdAt: string;
  downloadUrl: string;
  allowedActions: string[];
};

/**
 * One row of a file list: an icon (or a preview), the name, size, day and uploader, Download for
 * whoever sees it (the bytes need the bearer token), and Delete when its `allowedActions` say so.
 */
export function FileItem({
  file,
  preview,
  onDelete,
}: {
  file: StoredFile;
  preview?: ReactNode;
  onDelete: (file: StoredFile) => void;
}) {
  const toast = useToast();
  return (
    <li className="flex items-center gap-2.5 py-1.5">
      {preview ?? <Icon name="folder" className="size-4 shrink-0 text-zinc-400" />}
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium text-zinc-900">{file.name}</p>
        <p className="truncate text-xs text-zinc-500">
          {formatBytes(file.size)} · {formatDate(file.createdAt)}
          {file.uploadedBy ? ` · @${file.uploadedBy.username}` : ""}
        </p>
      </div>
      <Button
        size="sm"
        variant="ghost"
        aria-label={`Download ${file.name}`}
        onClick={() =>
          void downloadWithAuth(file.downloadUrl, file.name).catch((failure: unknown) =>
            toast.error(errorMessage(failure), "The download failed"),
          )
        }
      >
        Download
      </Button>
      {file.allowedActions.includes("delete") ? (
        <button
          type="button"
          onClick={() => onDelete(file)}
          className="rounded-md p-1 text-zinc-400 hover:bg-zinc-100 hover:text-red-600"
          aria-label={`Delete ${file.name}`}
        >
          <Icon name="x" className="size-4" />
        </button>
      ) : null}
    </li>
  );
}
