import { IMPORT_ERRORS_LISTED, type ImportView } from "@cairn/shared";
import type { Services } from "../../platform/services.js";
import type { taskImports } from "./imports.table.js";

export type ImportRecord = typeof taskImports.$inferSelect;

/** Where a running import's progress lives: beside the database, whose row its transaction holds. */
export const liveProgressKey = (importId: string) => `import:progress:${importId}`;

export function presentImport(row: ImportRecord, live?: number | null): ImportView {
  return {
    id: row.id,
    projectId: row.projectId,
    fileName: row.fileName,
    status: row.status,
    total: row.total,
    processed: row.status === "running" && live != null ? Math.min(live, row.total) : row.processed,
    created: row.created,
    updated: row.updated,
    errors: row.errors.slice(0, IMPORT_ERRORS_LISTED),
    errorCount: row.errorCount,
    failure: row.failure,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** Progress of a running import, for GET and the live bar (kept beside the database: the import's transaction holds its row). */
export async function reportProgress(services: Services, importId: string, processed: number): Promise<void> {
  await services.ephemeral.kv.set(liveProgressKey(importId), String(processed), 24 * 3600);
}

