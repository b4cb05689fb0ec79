import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/openapi.js";
import { pageOf, pageQuery } from "../../platform/http/pagination.js";
import { withCtx } from "../../platform/services.js";
import {
  cancelJob,
  getJob,
  jobsOverview,
  listFailedJobs,
  listSchedules,
  previewSchedule,
  retryJob,
  retryQueue,
  runSchedule,
  sendProbe,
  updateSchedule,
} from "./admin.service.js";

const security = [{ bearerAuth: [] }];
const tags = ["platform"];

const scheduleOut = z
  .object({
    name: z.string(),
    description: z.string(),
    job: z.string().describe("The queue its runs go to"),
    cron: z.string().describe("Five fields: minute hour day-of-month month day-of-week"),
    timezone: z
      .string()
      .describe(
        '"UTC", an IANA name, or "user": each user\'s own (the job ticks every minute and serves each user at their local time)',
      ),
    enabled: z.boolean(),
    lastRunAt: z.date().nullable(),
    lastStatus: z.enum(["ok", "failed"]).nullable(),
    lastError: z.string().nullable(),
    nextRunAt: z
      .date()
      .nullable()
      .describe(
        'Null when disabled. For "user": the first moment any user\'s local time reaches the cron (UTC when nobody has a zone)',
      ),
    totalRuns: z.number().int(),
    declared: z
      .object({ cron: z.string(), timezone: z.string() })
      .describe("What the module declares (the row keeps a superuser's edit)"),
    editedAt: z.date().nullable(),
  })
  .meta({ id: "Schedule" });

const counts = z.object({
  queued: z.number().int(),
  active: z.number().int(),
  retry: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});

const queueOut = z
  .object({
    name: z.string(),
    counts,
    lastHourCompleted: z.number().int(),
    lastHourFailed: z.number().int(),
    lastHour: z
      .array(z.object({ at: z.date(), completed: z.number().int(), failed: z.number().int() }))
      .describe("Completed and failed jobs per 5 minutes over the last hour, oldest first"),
  })
  .meta({ id: "JobQueue" });

const workerOut = z
  .object({
    id: z.uuid(),
    host: z.string(),
    pid: z.number().int(),
    queues: z.number().int(),
    startedAt: z.date(),
    lastSeenAt: z.date(),
    alive: z.boolean().describe("Heard from in the last 45 seconds (it beats every 15)"),
  })
  .meta({ id: "JobWorker" });

const jobOut = z
  .object({
    id: z.uuid(),
    queue: z.string(),
    state: z.enum(["created", "retry", "active", "completed", "cancelled", "failed"]),
    attempts: z.number().int(),
    retryLimit: z.number().int(),
    error: z.string().nullable(),
    payload: z
      .unknown()
      .describe(
        "The job's data, with the values of secret-looking keys (password, token, secret, code, authorization…) redacted",
      ),
    createdAt: z.date(),
    startedAt: z.date().nullable(),
    completedAt: z.date().nullable(),
    failedAt: z.date().nullable(),
    startAfter: z.date(),
  })
  .meta({ id: "Job" });

const nameParams = z.object({ name: z.string().min(1).max(200) });
const idParams = z.object({ id: z.uuid() });
const queueName = z.string().min(1).max(200);

export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;

  app.get(
    "/schedules",
    {
      schema: {
        tags,
        summary: "The schedules the modules declare, as stored (superuser)",
        security,
        response: { 200: z.object({ items: z.array(scheduleOut) }), ...problemResponses(401, 403) },
      },
    },
    async (request) => ({ items: await withCtx(services, request, (ctx) => listSchedules(ctx)) }),
  );

  app.get(
    "/schedules/preview",
    {
      schema: {
        tags,
        summary:
          "The next runs of a cron in a zone; a 400 says why an expression or zone is refused (superuser)",
        security,
        querystring: z.object({
          cron: z.string().max(200),
          timezone: z.string().max(64).default("UTC"),
          count: z.coerce.number().int().min(1).max(20).default(5),
        }),
        response: {
          200: z.object({
            cron: z.string(),
            timezone: z.string(),
            zone: z
              .string()
              .describe(
                'The zone the runs are computed in ("user" schedules: UTC, the local time every user gets)',
              ),
            runs: z.array(z.date()),
          }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    (request) => withCtx(services, request, async (ctx) => previewSchedule(ctx, request.query)),
  );

  app.patch(
    "/schedules/:name",
    {
      schema: {
        tags,
        summary:
          "Change a schedule's cron, zone or switch; takes effect on every instance without a restart (superuser)",
        security,
        params: nameParams,
        body: z.object({
          cron: z.string().max(200).optional(),
          timezone: z.string().max(64).optional(),
          enabled: z.boolean().optional(),
        }),
        response: { 200: scheduleOut, ...problemResponses(400, 401, 403, 404) },
      },
    },
    (request) => withCtx(services, request, (ctx) => updateSchedule(ctx, request.params.name, request.body)),
  );

  app.post(
    "/schedules/:name/run",
    {
      schema: {
        tags,
        summary: "Run a schedule now, enabled or not (superuser)",
        description:
          "One job at once. A schedule in users' own zones sends every user whose message of today is not sent yet, as if their local hour had come (and never twice).",
        security,
        params: nameParams,
        response: {
          202: z.object({ name: z.string(), queue: z.string(), jobId: z.uuid().nullable() }),
          ...problemResponses(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await withCtx(services, request, (ctx) => runSchedule(ctx, request.params.name))),
  );

  app.get(
    "/jobs",
    {
      schema: {
        tags,
        summary: "Every queue counted by state with its last hour's throughput, and the workers (superuser)",
        security,
        response: {
          200: z.object({ queues: z.array(queueOut), workers: z.array(workerOut) }),
          ...problemResponses(401, 403, 409),
        },
      },
    },
    (request) => withCtx(services, request, (ctx) => jobsOverview(ctx)),
  );

  app.get(
    "/jobs/failed",
    {
      schema: {
        tags,
        summary: "Failed jobs, the latest first, with their error and payload (secrets redacted) (superuser)",
        security,
        querystring: pageQuery.extend({ queue: queueName.optional() }),
        response: { 200: pageOf(jobOut), ...problemResponses(400, 401, 403, 409) },
      },
    },
    (request) => withCtx(services, request, (ctx) => listFailedJobs(ctx, request.query)),
  );

  app.post(
    "/jobs/retry",
    {
      schema: {
        tags,
        summary: "Retry every failed job of a queue (superuser)",
        security,
        body: z.object({ queue: queueName }),
        response: {
          200: z.object({ queue: z.string(), retried: z.number().int() }),
          ...problemResponses(400, 401, 403, 404, 409),
        },
      },
    },
    (request) => withCtx(services, request, (ctx) => retryQueue(ctx, request.body.queue)),
  );

  app.post(
    "/jobs/probe",
    {
      schema: {
        tags,
        summary:
          "Send a test job: it shows a worker takes jobs; with failFirst it fails on its first attempt and completes when retried (superuser)",
        security,
        body: z.object({ failFirst: z.boolean().default(false) }),
        response: {
          202: z.object({ queue: z.string(), jobId: z.uuid().nullable() }),
          ...problemResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await withCtx(services, request, (ctx) => sendProbe(ctx, request.body.failFirst))),
  );

  app.get(
    "/jobs/:id",
    {
      schema: {
        tags,
        summary: "One job (superuser)",
        security,
        params: idParams,
        response: { 200: jobOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => withCtx(services, request, (ctx) => getJob(ctx, request.params.id)),
  );

  app.post(
    "/jobs/:id/retry",
    {
      schema: {
        tags,
        summary: "Retry a failed job: one more attempt (superuser)",
        security,
        params: idParams,
        response: { 200: jobOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => withCtx(services, request, (ctx) => retryJob(ctx, request.params.id)),
  );

  app.post(
    "/jobs/:id/cancel",
    {
      schema: {
        tags,
        summary: "Cancel a queued, retrying or running job (superuser)",
        security,
        params: idParams,
        response: { 200: jobOut, ...problemResponses(400, 401, 403, 404, 409) },
      },
    },
    (request) => withCtx(services, request, (ctx) => cancelJob(ctx, request.params.id)),
  );
};
