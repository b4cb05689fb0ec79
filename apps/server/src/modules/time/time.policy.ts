import { allow, anyOf, definePolicy, deny, type Rule, type Scoped } from "../../platform/access/engine.js";
import { taskPolicy, type TaskSubject } from "../tasks/index.js";

/** A time entry as the rules see it: whose time it is. */
export type TimeEntrySubject = Scoped & { userId: string };

/** The task's assignee logs time on it (seeing it is checked first: anything else is a 404). */
const assignee: Rule<TaskSubject> = (actor, task) => (task.assigneeId === actor.userId ? allow : deny("tasks.manage"));

/**
 * Who logs time on a task (API.md "Tasks"): its assignee, and whoever manages
 * it (tasks.manage, scope `own` on own projects; a personal task's creator).
 * A refusal names tasks.manage.
 */
export const timeLogPolicy = definePolicy<{ log: TaskSubject }>("time_entry", { log: anyOf(taskPolicy.rules.update, assignee) });

/** People change and delete their own entries, nobody else's. */
const own: Rule<TimeEntrySubject> = (actor, entry) => (entry.userId === actor.userId ? allow : deny(null, "Only its author changes a time entry."));

export const timeEntryPolicy = definePolicy<{ update: TimeEntrySubject; delete: TimeEntrySubject }>("time_entry", { update: own, delete: own });
