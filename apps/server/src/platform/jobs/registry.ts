import { dispatchEventJob } from "../events/events.js";
import { sendMailJob } from "../mail/mail.jobs.js";
import type { JobDefinition } from "./jobs.js";

/** Every job the system knows; modules add theirs here. */
export const JOBS = [sendMailJob, dispatchEventJob] as unknown as JobDefinition[];
