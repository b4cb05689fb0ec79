import { defineModule } from "../../platform/modules.js";
import { reportsRoutes } from "./reports.routes.js";

/** CSV exports, streamed. */
export const reportsModule = defineModule({
  name: "reports",
  routes: [{ prefix: "/api/reports", plugin: reportsRoutes }],
});

// The public surface other modules use (modules that stream their own reports under /api/reports).
export { csvLine, keysetLines } from "./csv.js";
export { csvHeaders } from "./reports.routes.js";
export type { RunInCtx } from "./reports.service.js";
