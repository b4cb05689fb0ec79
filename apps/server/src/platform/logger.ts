import { mkdirSync } from "node:fs";
import path from "node:path";
import pino, { type Logger } from "pino";
import type { Config } from "../config.js";

/** Paths that may hold secrets; pino replaces them before anything is written. */
export const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "*.password",
  "*.newPassword",
  "*.currentPassword",
  "*.token",
  "*.refresh",
  "*.access",
];

/** JSON logs to stdout, and to LOG_FILE as well when it is set. */
export function createLogger(config: Pick<Config, "log">, bindings: Record<string, unknown> = {}): Logger {
  const options = { level: config.log.level, redact: { paths: REDACT, censor: "[redacted]" }, base: { pid: process.pid, ...bindings } };
  if (!config.log.file) return pino(options);
  mkdirSync(path.dirname(config.log.file), { recursive: true });
  return pino(
    options,
    pino.multistream([
      { stream: process.stdout, level: config.log.level as pino.Level },
      { stream: pino.destination({ dest: config.log.file, sync: false, mkdir: true }), level: config.log.level as pino.Level },
    ]),
  );
}
