import { z } from "zod";
import { defineJob } from "../../platform/jobs/jobs.js";

/**
 * A test job the superuser sends from the job monitor, as Sentry's "send a test event": it shows
 * that a worker takes jobs, and with `failFirst` that a failure reaches the monitor (and the
 * metrics, and whatever alerts on them) and that a retry runs it again: it fails on its first
 * attempt only.
 */
export const probeJob = defineJob({
  name: "platform.probe",
  payload: z.object({ failFirst: z.boolean(), sentBy: z.string() }),
  retryLimit: 0,
  async handler(payload, { attempt, log }) {
    if (payload.failFirst && attempt === 0)
      throw new Error("Test job: failed on purpose on its first attempt (retry it to see it complete)");
    log.info({ sentBy: payload.sentBy, attempt }, "test job ran");
  },
});
