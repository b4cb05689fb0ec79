import { defineModule } from "../../platform/modules.js";
import { importFinished } from "./imports.events.js";
import { runImportJob } from "./imports.job.js";
import { importsRoutes, taskImportRoutes } from "./imports.routes.js";
import { taskImports } from "./imports.table.js";

/** CSV imports of tasks: a dry run, the import as a job with live progress, its refused rows, and undo. */
export const importsModule = defineModule({
  name: "imports",
  routes: [
    { prefix: "/api/tasks", plugin: taskImportRoutes },
    { prefix: "/api/imports", plugin: importsRoutes },
  ],
  tables: { taskImports },
  jobs: [runImportJob],
  events: [importFinished],
});
