import { defineModule } from "../../platform/modules.js";
import { taskDependencies, taskLabels, taskSequences, tasks } from "./tasks.table.js";

/** Tasks: the work itself, in projects and as personal to-dos. */
export const tasksModule = defineModule({
  name: "tasks",
  tables: { tasks, taskSequences, taskLabels, taskDependencies },
});

export { tasks } from "./tasks.table.js";
