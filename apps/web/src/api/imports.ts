/**
 * The CSV import of a project's tasks (API.md "Tasks": POST /api/tasks/import, /api/imports/{id}):
 * URLs, cache keys and calls. The shapes are @cairn/shared's; the wizard is pages/tasks/import.
 */
import type { ImportDryRun, ImportUndo, ImportView } from "@cairn/shared";
import { api } from "../lib/api";
import { uploadWithProgress } from "../pages/projects/download";

export const importKeys = {
  all: ["imports"] as const,
  /** One import, polled while it runs and updated by `import.updated` pushes (lib/realtime.ts). */
  detail: (id: string) => [...importKeys.all, id] as const,
};

const importPath = (id: string) => `/api/imports/${encodeURIComponent(id)}`;

/** The fields the server reads before the file, which must come last in the form. */
const fields = (projectId: string, dryRun: boolean) => ({ projectId, dryRun: String(dryRun) });

export const importsApi = {
  /** Checks `file` without writing anything: how many rows would be imported, and every bad one. */
  dryRun: (projectId: string, file: File, onProgress: (fraction: number) => void) =>
    uploadWithProgress<ImportDryRun>("/api/tasks/import", file, onProgress, fields(projectId, true)),
  /** Starts the import; it runs as a job, followed with {@link importsApi.get}. */
  start: (projectId: string, file: File, onProgress: (fraction: number) => void) =>
    uploadWithProgress<{ importId: string }>("/api/tasks/import", file, onProgress, fields(projectId, false)),
  get: (id: string, signal?: AbortSignal) => api<ImportView>(importPath(id), { signal }),
  /** Removes the tasks the import created that nobody changed since; names the ones it kept. */
  undo: (id: string) => api<ImportUndo>(`${importPath(id)}/undo`, { method: "POST" }),
  /** Every refused row (the view lists the first 1000), with the bearer token (pages/projects/download.ts). */
  errorsCsvUrl: (id: string) => `${importPath(id)}/errors.csv`,
};
