import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pino, { type DestinationStream, type Logger } from "pino";
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

/**
 * A person's view of the log: one coloured line per event with the time, the level and
 * the message; the request id and process fields stay in the JSON, not on the screen.
 * pino-pretty is a development dependency, loaded only when asked for.
 */
function prettyStream(): DestinationStream {
  const require = createRequire(import.meta.url);
  const pretty = require("pino-pretty") as (options: Record<string, unknown>) => DestinationStream;
  return pretty({
    colorize: process.stdout.isTTY,
    translateTime: "HH:MM:ss",
    // Fields a line already says in words; anything else (an error and its stack) still shows.
    ignore: "pid,hostname,reqId,component,req,res,responseTime,sms,mail",
    singleLine: true,
  });
}

/** Logs to stdout (JSON, or pretty in development), and as JSON to LOG_FILE as well when it is set. */
export function createLogger(config: Pick<Config, "log">, bindings: Record<string, unknown> = {}): Logger {
  const options = { level: config.log.level, redact: { paths: REDACT, censor: "[redacted]" }, base: { pid: process.pid, ...bindings } };
  const stdout = config.log.format === "pretty" ? prettyStream() : process.stdout;
  if (!config.log.file) return config.log.format === "pretty" ? pino(options, stdout) : pino(options);
  mkdirSync(path.dirname(config.log.file), { recursive: true });
  return pino(
    options,
    pino.multistream([
      { stream: stdout, level: config.log.level as pino.Level },
      { stream: pino.destination({ dest: config.log.file, sync: false, mkdir: true }), level: config.log.level as pino.Level },
    ]),
  );
}

/**
 * What the console backends of SMS and email print for a person: the message set off in a
 * box on standard output, so a phone code or a reset link is found at a glance, not by grep.
 * The log line beside it stays, for machines and LOG_FILE.
 */
export function printBlock(title: string, body: string, out: NodeJS.WritableStream = process.stdout): void {
  const lines = body.split("\n");
  const width = Math.min(100, Math.max(title.length + 4, ...lines.map((line) => line.length + 2)));
  const rule = "─".repeat(Math.max(0, width - title.length - 3));
  out.write(`\n┌─ ${title} ${rule}\n${lines.map((line) => `│ ${line}`).join("\n")}\n└${"─".repeat(width)}\n\n`);
}
