import type { Ctx } from "../context.js";
import { sendMailJob } from "./mail.jobs.js";
import type { MailMessage } from "./mailer.js";
import { renderEmail, type EmailContent } from "./templates.js";

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

/** Renders a message with the one layout (HTML and plain text) and queues it like `queueMail`. */
export async function queueEmail(
  ctx: Ctx,
  to: string,
  content: EmailContent,
  headers?: Record<string, string>,
): Promise<void> {
  await queueMail(ctx, { to, ...renderEmail(content), ...(headers ? { headers } : {}) });
}

/** Many messages of one change (a digest's batch) with one statement. */
export async function queueMails(ctx: Ctx, messages: MailMessage[]): Promise<void> {
  if (!messages.length) return;
  const { jobs, mailer } = ctx.services;
  if (jobs) {
    await jobs.enqueueMany(ctx.tx, sendMailJob, messages);
    return;
  }
  ctx.afterCommit(async () => {
    for (const message of messages) await mailer.send(message);
  });
}
