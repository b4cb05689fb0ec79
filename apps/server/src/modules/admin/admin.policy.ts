import { definePolicy, superuserOnly } from "../../platform/access/engine.js";

/** Platform-level rights: the schedules and the job monitor belong to the superuser alone. */
export const platformPolicy = definePolicy<{ manageSchedules: null; monitorJobs: null }>("platform", {
  manageSchedules: superuserOnly("see and change the schedules"),
  monitorJobs: superuserOnly("see, retry and cancel jobs"),
});
