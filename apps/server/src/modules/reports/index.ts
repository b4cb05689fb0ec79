import { defineModule } from "../../platform/modules.js";
import { reportsRoutes } from "./reports.routes.js";

/** CSV exports, streamed. */
export const reportsModule = defineModule({
  name: "reports",
  routes: [{ prefix: "/api/reports", plugin: reportsRoutes }],
});
