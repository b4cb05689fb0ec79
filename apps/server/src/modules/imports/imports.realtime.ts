import type { ImportView } from "@cairn/shared";
import type { Services } from "../../platform/services.js";
import { projectPeople } from "../projects/index.js";

/** The import's state to the person who started it, as GET /api/imports/{id} answers (the wizard's live bar). */
export async function pushImport(services: Services, userId: string | null, view: ImportView): Promise<void> {
  if (userId) await services.realtime.toUser(userId, "import.updated", view);
}

/** Tells the project's people that its tasks changed in bulk: their lists and boards refetch. */
export async function pushTasksImported(services: Services, orgId: string, projectId: string): Promise<void> {
  const people = await projectPeople(services.database.db, orgId, projectId);
  await services.realtime.toUsers(people, "tasks.imported", { projectId });
}
