import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { openDatabase } from "./db/client.js";
import { migrate } from "./db/migrate.js";
import { systemActor } from "./platform/access/actor.js";
import { closeServices, createServices } from "./platform/bootstrap.js";
import { createJobs } from "./platform/jobs/jobs.js";
import { composition } from "./modules/index.js";
import { createLogger } from "./platform/logger.js";
import { runAs, type Services } from "./platform/services.js";
import { AppError } from "./platform/errors.js";
import { createUser } from "./modules/accounts/accounts.service.js";
import { ensureDefaultOrganization, seedDemo } from "./seed.js";
import { startServer, type RunningServer } from "./server.js";

const USAGE = `Usage: npm run cairn -- <command> [options]

Commands:
  all              serve the API and web UI and run the job worker in one process (default of npm start)
  serve            serve the API, the realtime gateway and (outside production) the web UI
  worker           run jobs and schedules
  migrate          apply database migrations
  createsuperuser  create a platform superuser (interactive, or --email --username --password)
  seed-demo        create demo organizations and users
  check --deploy   report configuration problems for production
`;

const SHUTDOWN_TIMEOUT_MS = 25_000;

function onShutdown(log: Services["log"], stop: () => Promise<void>) {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down gracefully");
    const force = setTimeout(() => {
      log.error("graceful shutdown timed out; exiting");
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, "error during shutdown");
        process.exit(1);
      });
  };
  process.once("SIGTERM", () => handler("SIGTERM"));
  process.once("SIGINT", () => handler("SIGINT"));
}

async function runMigrations(config: Config) {
  const log = createLogger(config);
  const database = await openDatabase(config.database);
  await migrate(database);
  // pg-boss keeps its own schema; starting it once creates or upgrades it.
  if (config.jobs) {
    const jobs = await createJobs(database, composition.jobs, log, {
      supervise: false,
      postgresUrl: config.database.kind === "postgres" ? config.database.url : null,
    });
    await jobs.stop();
  }
  await database.close();
  log.info("migrations applied");
}

async function serve(config: Config, withWorker: boolean) {
  const services = await createServices(config, composition, { migrate: true, jobs: true, supervise: withWorker });
  const created = await ensureDefaultOrganization(services);
  if (created && withWorker && config.database.kind === "pglite") await seedDemo(services, composition);
  else if (config.seedDemo) await seedDemo(services, composition);
  if (withWorker) await services.jobs?.work(services);
  let server: RunningServer | null = null;
  onShutdown(services.log, async () => {
    await server?.close();
    await closeServices(services);
  });
  server = await startServer(services, composition);
  services.log.info(`Cairn is listening on ${config.publicUrl}`);
}

async function worker(config: Config) {
  const services = await createServices(config, composition, { jobs: true, supervise: true });
  onShutdown(services.log, () => closeServices(services));
  await services.jobs?.work(services);
  services.log.info("worker started");
}

/** One readline for every question (several would lose piped input); hidden answers are not echoed. */
function createPrompter() {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stdout.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: Boolean(process.stdin.isTTY) });
  // The iterator buffers lines, so answers piped in all at once are not lost between questions.
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question: string, hidden = false): Promise<string> {
      process.stdout.write(question);
      muted = hidden;
      const next = await lines.next();
      muted = false;
      if (next.done) throw new Error("No answer: standard input ended.");
      const answer = String(next.value);
      if (hidden) process.stdout.write("\n");
      return answer.trim();
    },
    close: () => rl.close(),
  };
}

async function createSuperuser(config: Config, args: string[]) {
  const { values } = parseArgs({ args, options: { email: { type: "string" }, username: { type: "string" }, password: { type: "string" } } });
  const prompter = createPrompter();
  let email: string, username: string, password: string;
  try {
    email = values.email ?? (await prompter.ask("Email: "));
    username = values.username ?? (await prompter.ask("Username: "));
    password = values.password ?? (await prompter.ask("Password: ", true));
    if (!values.password && password !== (await prompter.ask("Password (again): ", true))) {
      throw new Error("The passwords do not match.");
    }
  } finally {
    prompter.close();
  }
  const services = await createServices(config, composition, { migrate: true, jobs: false });
  try {
    await ensureDefaultOrganization(services);
    const user = await runAs(services, systemActor("createsuperuser"), (ctx) =>
      createUser(ctx, { email, username, password, isSuperuser: true }),
    );
    console.log(`Superuser ${user.username} created.`);
  } finally {
    await closeServices(services);
  }
}

async function main() {
  const [command = "all", ...rest] = process.argv.slice(2);
  if (command === "help" || command === "--help") {
    console.log(USAGE);
    return;
  }
  // A .env file at the repository root, when there is one, as Django projects do with django-environ.
  const envFile = path.resolve(import.meta.dirname, "../../../.env");
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const config = loadConfig();
  switch (command) {
    case "all":
      return serve(config, true);
    case "serve":
      return serve(config, false);
    case "worker":
      return worker(config);
    case "migrate":
      return runMigrations(config);
    case "createsuperuser":
      return createSuperuser(config, rest);
    case "seed-demo": {
      const services = await createServices(config, composition, { migrate: true, jobs: false });
      await ensureDefaultOrganization(services);
      await seedDemo(services, composition);
      return closeServices(services);
    }
    case "check": {
      const { runDeployCheck } = await import("./check.js");
      process.exitCode = runDeployCheck(config, rest);
      return;
    }
    default:
      console.error(`Unknown command: ${command}\n\n${USAGE}`);
      process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof AppError) {
    console.error(`${error.title}: ${error.message}${error.errors ? `\n${error.errors.map((item) => `  - ${item.path}: ${item.message}`).join("\n")}` : ""}`);
  } else console.error(error);
  process.exit(1);
});
