import { defineModule } from "../../platform/modules.js";
import { taskCommented, taskMentioned } from "./comments.events.js";
import { commentsRoutes, taskCommentsRoutes } from "./comments.routes.js";
import { taskComments } from "./comments.table.js";

/** Discussion on tasks (comments with mentions) and a task's activity: its history and its comments in order. */
export const commentsModule = defineModule({
  name: "comments",
  routes: [
    { prefix: "/api/tasks", plugin: taskCommentsRoutes },
    { prefix: "/api/comments", plugin: commentsRoutes },
  ],
  tables: { taskComments },
  events: [taskCommented, taskMentioned],
});

// The public surface other modules use.
export { taskCommented, taskMentioned } from "./comments.events.js";
export { taskComments } from "./comments.table.js";
