import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { generateSecretKey, type Config } from "../config.js";
import { openDatabase, type Database } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { createPrincipalStore } from "./auth/principal.js";
import { createTokenSigner } from "./auth/tokens.js";
import { createEphemeral, type Ephemeral } from "./ephemeral/ephemeral.js";
import { createJobs, type JobDefinition } from "./jobs/jobs.js";
import { createLogger } from "./logger.js";
import { createMailer } from "./mail/mailer.js";
import type { Composition } from "./modules.js";
import { createRelayRealtime } from "./realtime/realtime.js";
import type { Services } from "./services.js";
import { createConsoleSms } from "./sms/sms.js";

/**
 * The secret that signs tokens. Production must set SECRET_KEY; elsewhere one
 * is generated once and kept in DATA_DIR so sessions survive restarts.
 */
export async function resolveSecretKey(config: Config): Promise<string> {
  if (config.secretKey) return config.secretKey;
  if (config.isProduction) throw new Error("SECRET_KEY must be set in production (see `npm run cairn -- check --deploy`).");
  const file = path.join(config.dataDir, "secret-key");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const key = generateSecretKey();
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

export type ServiceOptions = {
  /** Apply migrations before anything else (serve and all do; a worker waits for them). */
  migrate?: boolean;
  /** Start pg-boss (enqueueing and, with `supervise`, maintenance and schedules). */
  jobs?: boolean;
  supervise?: boolean;
  log?: Logger;
  database?: Database;
  ephemeral?: Ephemeral;
  jobDefinitions?: JobDefinition[];
};

/** Every service a process needs, for the modules of the composition root. */
export async function createServices(config: Config, composition: Composition, options: ServiceOptions = {}): Promise<Services> {
  const log = options.log ?? createLogger(config);
  // Uploads live here: public media (served by Nginx in production) and private files.
  await Promise.all([mkdir(config.mediaDir, { recursive: true }), mkdir(config.privateDir, { recursive: true })]);
  const secretKey = await resolveSecretKey(config);
  const database =
    options.database ??
    (await openDatabase(config.database, { onError: (error) => log.warn({ err: error }, "idle database connection lost") }));
  if (options.migrate) await migrate(database);
  const ephemeral = options.ephemeral ?? createEphemeral(config.redis);
  const jobs =
    options.jobs && config.jobs
      ? await createJobs(database, options.jobDefinitions ?? composition.jobs, log.child({ component: "jobs" }), {
          supervise: options.supervise ?? false,
          postgresUrl: config.database.kind === "postgres" ? config.database.url : null,
          schedules: composition.schedules,
        })
      : null;
  return {
    config: { ...config, secretKey },
    log,
    database,
    ephemeral,
    jobs,
    // A person reads the console backends: in pretty mode the message is also printed as a box.
    mailer: createMailer(config.mail.url, config.mail.from, log.child({ component: "mail" }), { print: config.log.format === "pretty" }),
    sms: createConsoleSms(log.child({ component: "sms" }), { print: config.log.format === "pretty" }),
    tokens: createTokenSigner(secretKey),
    principals: createPrincipalStore(composition.principals(database.db), ephemeral.kv),
    realtime: createRelayRealtime(ephemeral),
    events: composition.events,
    attachmentOwners: composition.attachmentOwners,
    schedules: composition.schedules,
  };
}

export async function closeServices(services: Services): Promise<void> {
  await services.jobs?.stop();
  await services.ephemeral.close();
  await services.database.close();
}
