import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import nodemailer from "nodemailer";
import type { Logger } from "pino";
import { printBlock } from "../logger.js";

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058). */
  headers?: Record<string, string>;
};

export type Mailer = { send(message: MailMessage): Promise<void> };

/**
 * Django-style email backends chosen by MAIL_URL: `smtp://` sends, `console`
 * prints to the log, `file://DIR` writes one .eml per message (tests read them).
 */
export function createMailer(
  url: string,
  from: string,
  log: Logger,
  options: { print?: boolean } = {},
): Mailer {
  if (url === "console") {
    return {
      send(message) {
        log.info(
          { mail: { to: message.to, subject: message.subject } },
          `Email to ${message.to}: ${message.subject}\n${message.text}`,
        );
        if (options.print)
          printBlock(`Email to ${message.to}`, `Subject: ${message.subject}\n\n${message.text.trimEnd()}`);
        return Promise.resolve();
      },
    };
  }
  if (url.startsWith("file://")) {
    const dir = fileURLToPath(url);
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
    return {
      async send(message) {
        const info = await transport.sendMail({ from, ...message });
        await mkdir(dir, { recursive: true });
        const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${info.messageId.replace(/[^\w.-]/g, "")}.eml`;
        await writeFile(path.join(dir, name), info.message as Buffer);
      },
    };
  }
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
  };
}
