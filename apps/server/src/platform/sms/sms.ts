import type { Logger } from "pino";

export type SmsSender = { send(to: string, text: string): Promise<void> };

/**
 * The console backend the mission asks for: one clear line in the server log
 * per message. A real provider implements the same one-method interface.
 */
export function createConsoleSms(log: Logger): SmsSender {
  return {
    send(to, text) {
      log.info({ sms: { to } }, `SMS to ${to}: ${text}`);
      return Promise.resolve();
    },
  };
}
