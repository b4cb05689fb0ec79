import { z } from "zod";
import { defineJob } from "../jobs/jobs.js";

/** Sends one email. Idempotent enough: a retry after a partial SMTP failure may resend, never lose. */
export const sendMailJob = defineJob({
  name: "mail.send",
  payload: z.object({
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  }),
  retryLimit: 8,
  // Each one holds an SMTP connection while it sends.
  batchSize: 10,
  async handler(message, { services, log }) {
    await services.mailer.send(message);
    log.info({ to: message.to, subject: message.subject }, "mail sent");
  },
});
