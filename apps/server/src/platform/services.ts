import type { FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import type { Actor } from "./access/actor.js";
import type { PrincipalStore } from "./auth/principal.js";
import type { TokenSigner } from "./auth/tokens.js";
import { inTransaction, withoutTransaction, type Ctx } from "./context.js";
import type { Ephemeral } from "./ephemeral/ephemeral.js";
import type { EventBus } from "./events/events.js";
import type { Jobs } from "./jobs/jobs.js";
import type { ScheduleDefinition } from "./jobs/schedules.js";
import type { Mailer } from "./mail/mailer.js";
import type { Realtime } from "./realtime/realtime.js";
import type { SmsSender } from "./sms/sms.js";
import type { AttachmentOwners } from "./storage/owners.js";

/** Everything a request or a job may need, built once per process. */
export type Services = {
  config: Config;
  log: Logger;
  database: Database;
  ephemeral: Ephemeral;
  jobs: Jobs | null;
  mailer: Mailer;
  sms: SmsSender;
  tokens: TokenSigner;
  principals: PrincipalStore;
  realtime: Realtime;
  /** The declared events and their handlers, from the modules. */
  events: EventBus;
  /** The kinds of objects that hold files, from the modules' manifests. */
  attachmentOwners: AttachmentOwners;
  /** The recurring jobs the modules declare, and the platform's clean-up (platform/jobs/schedules.ts). */
  schedules: readonly ScheduleDefinition[];
};

declare module "fastify" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- declaration merging needs an interface
  interface FastifyInstance {
    services: Services;
    lifecycle: { draining: boolean };
  }
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- declaration merging needs an interface
  interface FastifyRequest {
    actor: Actor;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Runs a service function for a request: its actor, its logger, and one
 * transaction for a change (reads, GET and HEAD, run without one).
 */
export function withCtx<T>(services: Services, request: FastifyRequest, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  return (SAFE_METHODS.has(request.method) ? withoutTransaction : inTransaction)(
    services.database.db,
    {
      services,
      actor: request.actor,
      log: request.log as Logger,
      meta: {
        ip: request.ip,
        userAgent: request.headers["user-agent"]?.slice(0, 500) ?? null,
        requestId: String(request.id),
      },
    },
    work,
  );
}

/** A context for work outside a request (CLI, jobs, bootstrap). */
export function runAs<T>(services: Services, actor: Actor, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  return inTransaction(
    services.database.db,
    { services, actor, log: services.log, meta: { ip: null, userAgent: null, requestId: null } },
    work,
  );
}
