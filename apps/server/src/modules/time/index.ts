import { defineModule } from "../../platform/modules.js";
import { taskTimeRoutes, timeEntriesRoutes, timeReportRoutes } from "./time.routes.js";
import { timeEntries } from "./time.table.js";

/** Time spent on tasks: entries, the timesheet and its CSV report; tasks' loggedMinutes is their sum. */
export const timeModule = defineModule({
  name: "time",
  routes: [
    { prefix: "/api/tasks", plugin: taskTimeRoutes },
    { prefix: "/api/time-entries", plugin: timeEntriesRoutes },
    { prefix: "/api/reports", plugin: timeReportRoutes },
  ],
  tables: { timeEntries },
});

// The public surface other modules use.
export { timeEntries } from "./time.table.js";
