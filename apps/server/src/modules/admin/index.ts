import { defineModule } from "../../platform/modules.js";
import { probeJob } from "./admin.jobs.js";
import { adminRoutes } from "./admin.routes.js";

/**
 * The superuser's platform pages: the schedules the modules declare (edit, switch, run now) and
 * the job monitor (queues, failed jobs, retry, cancel, workers). The tables and the mechanics are
 * the platform's (platform/jobs); this module decides who may use them and speaks HTTP.
 */
export const adminModule = defineModule({
  name: "admin",
  routes: [{ prefix: "/api/admin", plugin: adminRoutes }],
  jobs: [probeJob],
});
