import { dispatchEventJob } from "../events/events.js";
import { sendMailJob } from "../mail/mail.jobs.js";
import type { JobDefinition } from "./jobs.js";
// Event handlers register themselves on import; importing them here gives every process that runs jobs the same set.
import "../../modules/notifications/notifications.events.js";

/** Every job the system knows; modules add theirs here. */
export const JOBS = [sendMailJob, dispatchEventJob] as unknown as JobDefinition[];
