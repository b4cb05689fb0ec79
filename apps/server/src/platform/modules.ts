import type { FastifyPluginAsync } from "fastify";
import type { Db } from "../db/client.js";
import type { PrincipalLoader } from "./auth/principal.js";
import { createEventBus, dispatchEventJob, type EventBus, type EventDefinition, type EventHandler } from "./events/events.js";
import { cleanupSchedule, staleWorkersCleanup, type CleanupTask } from "./jobs/cleanup.js";
import type { JobDefinition } from "./jobs/jobs.js";
import type { ScheduleDefinition } from "./jobs/schedules.js";
import { sendMailJob } from "./mail/mail.jobs.js";
import { attachmentOwnerRegistry, type AttachmentOwner, type AttachmentOwners } from "./storage/owners.js";

/**
 * A module's manifest: everything the platform needs to know of a feature folder.
 * Each module exports one from its `index.ts` (its only public surface); the
 * composition root (`src/modules/index.ts`) lists the modules, and app assembly,
 * the job worker and the event bus read them from there. The platform never
 * imports a module: it receives them.
 */
export type ModuleRoute = {
  prefix: string;
  // Route plugins are typed by their own type provider; the platform only registers them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plugin of any type provider
  plugin: FastifyPluginAsync<any>;
};

export type { ScheduleDefinition } from "./jobs/schedules.js";
export type { CleanupTask } from "./jobs/cleanup.js";

export type ModuleManifest = {
  name: string;
  routes: ModuleRoute[];
  /** The module's Drizzle tables (drizzle-kit reads the *.table.ts files; this names them for checks). */
  tables: Record<string, unknown>;
  jobs: JobDefinition[];
  events: EventDefinition[];
  /** Handlers of events (any module's), run by the event bus after the change commits. */
  handlers: EventHandler[];
  /**
   * Recurring jobs, stored in the database and run by pg-boss (platform/jobs/schedules.ts): the
   * superuser may change their cron and zone, switch them off and run them by hand.
   */
  schedules: ScheduleDefinition[];
  /** What the module keeps that expires; the platform's `cleanup` schedule removes it (platform/jobs/cleanup.ts). */
  cleanup: CleanupTask[];
  /** Kinds of objects of this module that hold files (platform/storage/owners.ts): their rules decide who reads, adds and deletes. */
  attachmentOwners: AttachmentOwner[];
  /** The identity module loads principals for the authentication of every request. */
  principals?: (db: Db) => PrincipalLoader;
};

export function defineModule(manifest: { name: string } & Partial<Omit<ModuleManifest, "name">>): ModuleManifest {
  return { routes: [], tables: {}, jobs: [], events: [], handlers: [], schedules: [], cleanup: [], attachmentOwners: [], ...manifest };
}

/** What the platform takes from the composition root. */
export type Composition = {
  modules: readonly ModuleManifest[];
  jobs: JobDefinition[];
  /** The modules' recurring jobs and the platform's `cleanup`, kept on pg-boss's cron (platform/jobs/schedules.ts). */
  schedules: ScheduleDefinition[];
  events: EventBus;
  principals: (db: Db) => PrincipalLoader;
  attachmentOwners: AttachmentOwners;
};

export function compose(modules: readonly ModuleManifest[]): Composition {
  const names = new Set<string>();
  for (const module of modules) {
    if (names.has(module.name)) throw new Error(`Module ${module.name} is listed twice`);
    names.add(module.name);
  }
  const providers = modules.filter((module) => module.principals);
  const [identity] = providers;
  if (providers.length !== 1 || !identity?.principals) throw new Error("Exactly one module must load principals");
  const schedules = [...modules.flatMap((module) => module.schedules), cleanupSchedule([...modules.flatMap((module) => module.cleanup), staleWorkersCleanup])];
  const scheduleNames = new Set<string>();
  for (const schedule of schedules) {
    if (scheduleNames.has(schedule.name)) throw new Error(`Schedule ${schedule.name} is declared twice`);
    scheduleNames.add(schedule.name);
  }
  const jobs = [sendMailJob, dispatchEventJob, ...modules.flatMap((module) => module.jobs), ...schedules.map((schedule) => schedule.job)];
  const jobNames = new Set<string>();
  for (const job of jobs) {
    if (jobNames.has(job.name)) throw new Error(`Job ${job.name} is declared twice`);
    jobNames.add(job.name);
  }
  return {
    modules,
    jobs,
    schedules,
    events: createEventBus(
      modules.flatMap((module) => module.events),
      modules.flatMap((module) => module.handlers),
    ),
    principals: identity.principals,
    attachmentOwners: attachmentOwnerRegistry(modules.flatMap((module) => module.attachmentOwners)),
  };
}
