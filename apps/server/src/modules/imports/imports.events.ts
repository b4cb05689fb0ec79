import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

/** Recipients: whoever started the import (it ran in the background; this is how they hear it ended). */
export const importFinished = defineEvent(
  "import.finished",
  z.object({
    importId: z.uuid(),
    projectId: z.uuid(),
    projectKey: z.string(),
    fileName: z.string(),
    status: z.enum(["completed", "failed"]),
    created: z.number().int(),
    updated: z.number().int(),
    refused: z.number().int(),
  }),
  "A CSV import of tasks finished.",
  {
    label: "My imports finished",
    audience: ["tasks.manage"],
    link: (data) => `/projects/${data.projectId}/import?import=${data.importId}`,
    data: (data) => ({ importId: data.importId, projectId: data.projectId }),
    text: (event) => {
      const { fileName, projectKey, status, created, updated, refused } = event.data;
      if (status === "failed") return { title: `Import of ${fileName} into ${projectKey} failed`, body: "Nothing was imported. Open it to see why." };
      const counts = [`${created} created`, `${updated} updated`, ...(refused ? [`${refused} rows refused`] : [])].join(", ");
      return { title: `Import of ${fileName} into ${projectKey} finished`, body: `${counts}.` };
    },
  },
);
