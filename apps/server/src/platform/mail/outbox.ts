import type { Ctx } from "../context.js";
import { sendMailJob } from "./mail.jobs.js";
import type { MailMessage } from "./mailer.js";

/**
 * Queues an email in the current transaction. Without a job queue (tests of
 * pure services) the message is sent after commit instead, never before.
 */
export async function queueMail(ctx: Ctx, message: MailMessage): Promise<void> {
  const { jobs, mailer } = ctx.services;
  if (jobs) {
    await jobs.enqueue(ctx.tx, sendMailJob, message);
    return;
  }
  ctx.afterCommit(() => mailer.send(message));
}
