import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import pg from "pg";
import { inject } from "vitest";
import { buildApp } from "../src/app.js";
import { composition, MODULES } from "../src/modules/index.js";
import { loadConfig, type Config } from "../src/config.js";
import { fromPglite, openDatabase, openPglite, type Database } from "../src/db/client.js";
import { systemActor } from "../src/platform/access/actor.js";
import { closeServices, createServices } from "../src/platform/bootstrap.js";
import { compose, type ModuleManifest } from "../src/platform/modules.js";
import { createEphemeral } from "../src/platform/ephemeral/ephemeral.js";
import type { DomainEvent } from "../src/platform/events/events.js";
import { runAs, type Services } from "../src/platform/services.js";
import { createUser } from "../src/modules/accounts/accounts.service.js";
import { addMembership } from "../src/modules/orgs/members.service.js";
import { insertOrganization } from "../src/modules/orgs/orgs.service.js";
import { ensureDefaultOrganization } from "../src/seed.js";
import { adminUrl } from "./global-setup.js";

let counter = 0;

/** A fresh database for one test file: a copy of the run's migrated template. */
export async function openTestDatabase(): Promise<{ database: Database; url: string | null }> {
  const runId = inject("runId");
  const template = inject("templateDatabase");
  if (template) {
    const name = `cairn_test_${runId}_${process.pid}_${++counter}`;
    const client = new pg.Client({ connectionString: adminUrl() ?? "" });
    await client.connect();
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    await client.end();
    const url = adminUrl(name) ?? "";
    return { database: await openDatabase({ kind: "postgres", url }, { poolSize: 5 }), url };
  }
  const snapshot = inject("pgliteSnapshot");
  if (!snapshot) throw new Error("the global setup provided no database");
  const pglite = await openPglite({ loadDataDir: new Blob([await readFile(snapshot)]) });
  return { database: fromPglite(pglite), url: null };
}

export type TestContext = {
  services: Services;
  app: FastifyInstance;
  config: Config;
  mailDir: string;
  /** Sends a request; `token` adds the bearer header. */
  request(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
};

export type TestOptions = {
  jobs?: boolean;
  env?: Record<string, string>;
  /** Extra routes for a test (e.g. one that fails), added before the app is ready. */
  extend?: (app: FastifyInstance) => void;
  /** Modules a test adds to the composition root's (e.g. one declaring an attachment owner). */
  modules?: ModuleManifest[];
};

/**
 * The whole application on its own database and Redis prefix (or memory),
 * with mail written to a temporary folder. One per test file.
 */
export async function createTestContext(options: TestOptions = {}): Promise<TestContext> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "cairn-test-app-"));
  const mailDir = path.join(dir, "mail");
  const prefix = `cairn:test:${inject("runId")}:${process.pid}:${++counter}:`;
  const { database, url } = await openTestDatabase();
  const config = loadConfig({
    DATABASE_URL: url ?? undefined,
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DATA_DIR: dir,
    MAIL_URL: `file://${mailDir}`,
    SECRET_KEY: randomBytes(32).toString("hex"),
    REDIS_URL: process.env.REDIS_URL,
    REDIS_PREFIX: prefix,
    RATE_LIMIT_PER_MINUTE: "100000",
    ...options.env,
  });
  const composed = options.modules ? compose([...MODULES, ...options.modules]) : composition;
  const services = await createServices(config, composed, {
    database,
    ephemeral: createEphemeral(config.redis),
    jobs: options.jobs ?? false,
  });
  await ensureDefaultOrganization(services);
  const app = await buildApp(services, composed);
  options.extend?.(app);
  await app.ready();
  return {
    services,
    app,
    config: services.config,
    mailDir,
    request({ token, headers, ...rest }) {
      return app.inject({ ...rest, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    },
    async close() {
      await app.close();
      await closeServices(services);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every email written so far, oldest first, as raw text. */
export async function readMails(t: TestContext): Promise<string[]> {
  let names: string[] = [];
  try {
    names = (await readdir(t.mailDir)).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map((name) => readFile(path.join(t.mailDir, name), "utf8")));
}

/** Decodes quoted-printable bodies well enough to find links. */
export function mailText(raw: string): string {
  return raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

export const PASSWORD = "Quiet-Harbor-Lantern-42";

let sequence = 0;
export function unique(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${++sequence}${randomBytes(2).toString("hex")}`;
}

/** Factory: a user, optionally member of an organization with roles; returns ids and a signed-in token. */
export async function buildUser(
  t: TestContext,
  overrides: { orgId?: string; roles?: string[]; isSuperuser?: boolean; username?: string; password?: string } = {},
) {
  const username = overrides.username ?? unique("user");
  const email = `${username}@example.test`;
  const password = overrides.password ?? PASSWORD;
  const user = await runAs(t.services, systemActor("test"), async (ctx) => {
    const created = await createUser(ctx, { email, username, password, isSuperuser: overrides.isSuperuser });
    if (overrides.orgId) await addMembership(ctx, overrides.orgId, created.id, overrides.roles ?? []);
    return created;
  });
  const login = await t.request({ method: "POST", url: "/api/auth/login", payload: { login: username, password } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const body = login.json<{ access: string; refresh: string }>();
  return { id: user.id, username, email, password, token: body.access, refresh: body.refresh };
}

/** Factory: an organization with the default roles. */
export async function buildOrg(t: TestContext, overrides: { slug?: string; name?: string } = {}) {
  const slug = overrides.slug ?? unique("org-").toLowerCase();
  return runAs(t.services, systemActor("test"), (ctx) => insertOrganization(ctx, { slug, name: overrides.name ?? `Org ${slug}` }));
}

/**
 * Every domain event the app dispatches from now on, in order: wraps the event bus of this
 * test's services (events are dispatched after commit, or by the job worker with `jobs: true`).
 */
export function captureEvents(t: TestContext, names?: string[]): DomainEvent[] {
  const seen: DomainEvent[] = [];
  const bus = t.services.events;
  t.services.events = {
    events: bus.events,
    async dispatch(event, services) {
      if (!names || names.includes(event.name)) seen.push(event);
      await bus.dispatch(event, services);
    },
  };
  return seen;
}
