import type { Logger } from "pino";
import { printBlock } from "../logger.js";

export type SmsSender = { send(to: string, text: string): Promise<void> };

/**
 * The console backend the mission asks for: one clear line in the server log
 * per message. A real provider implements the same one-method interface.
 */
export function createConsoleSms(log: Logger, options: { print?: boolean } = {}): SmsSender {
  return {
    send(to, text) {
      log.info({ sms: { to } }, `SMS to ${to}: ${text}`);
      if (options.print) printBlock(`SMS to ${to}`, text);
      return Promise.resolve();
    },
  };
}
