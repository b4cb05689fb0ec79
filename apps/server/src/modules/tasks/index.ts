import { defineModule } from "../../platform/modules.js";
import { provideTaskStatistics } from "../projects/index.js";
import { taskStatistics } from "./statistics.js";
import { taskAttachments } from "./tasks.attachments.js";
import { taskAssigned, taskCreated, taskStatusChanged } from "./tasks.events.js";
import { taskDependenciesRoutes } from "./tasks.dependencies.routes.js";
import { tasksRoutes } from "./tasks.routes.js";
import { taskDependencies, taskLabels, taskSequences, tasks } from "./tasks.table.js";

/** Tasks: the work itself, in projects and as personal to-dos. */
export const tasksModule = defineModule({
  name: "tasks",
  routes: [
    { prefix: "/api/tasks", plugin: tasksRoutes },
    { prefix: "/api/tasks", plugin: taskDependenciesRoutes },
  ],
  tables: { tasks, taskSequences, taskLabels, taskDependencies },
  events: [taskCreated, taskAssigned, taskStatusChanged],
  attachmentOwners: [taskAttachments],
});

// The project's statistics count its real tasks.
provideTaskStatistics(taskStatistics);

// The public surface other modules use.
export { taskAssigned, taskCreated, taskStatusChanged } from "./tasks.events.js";
export { taskConditions, taskOrdering, type TaskFilters } from "./tasks.list.js";
export { taskListQuery, taskOut } from "./tasks.schemas.js";
export { findVisibleTask, presentTask, selectTasks, taskSubject, visibleTasks, type TaskRow, type TaskView } from "./tasks.queries.js";
export { taskPolicy, type TaskSubject } from "./tasks.policy.js";
export { pushTaskUpdated, taskAudience, type PrincipalsOf, type Receiver } from "./tasks.realtime.js";
export { createTask, resolveTaskTarget } from "./tasks.service.js";
export { taskDependencies, tasks } from "./tasks.table.js";
export { canonicalLabels, prepareAssignee, spell, takeNumbers } from "./tasks.write.js";
