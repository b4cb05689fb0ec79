import { createHash, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { z } from "zod";
import { superuserOnly } from "../access/engine.js";
import { NotAuthenticatedError, PermissionDeniedError } from "../errors.js";
import { rowsOf } from "../jobs/monitor.js";
import type { Services } from "../services.js";
import { problemResponses } from "./openapi.js";

/**
 * GET /api/metrics in Prometheus's text format (prom-client): requests by route pattern and
 * status with their durations, the job queues' depths and failures, open sockets, and the
 * process's own figures. Read by the superuser, or by a scraper presenting
 * `Authorization: Bearer $METRICS_TOKEN` (compared in constant time).
 */

export const METRICS_PATH = "/api/metrics";

declare module "fastify" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- declaration merging needs an interface
  interface FastifyRequest {
    /** The request presented METRICS_TOKEN (only ever set on GET /api/metrics). */
    metricsScraper: boolean;
  }
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Whether `token` is the configured metrics token; constant time whatever the lengths. */
export function isMetricsToken(configured: string | null, token: string): boolean {
  if (!configured) return false;
  return timingSafeEqual(digest(configured), digest(token));
}

/** For the authentication hook: a bearer that is the metrics token, presented to the metrics path. */
export function acceptsMetricsToken(services: Services, request: FastifyRequest, token: string): boolean {
  const path = request.url.split("?")[0];
  if (path !== METRICS_PATH || !isMetricsToken(services.config.metricsToken, token)) return false;
  request.metricsScraper = true;
  return true;
}

/** The registry of one app: its request figures, and gauges read from the database and sockets when scraped. */
export function createMetrics(services: Services) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ["method", "route", "status"] as const;
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by method, route pattern and status",
    labelNames,
    registers: [registry],
  });
  const durations = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request durations by method, route pattern and status",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const jobStates = ["created", "retry", "active"] as const;
  new Gauge({
    name: "cairn_job_queue_jobs",
    help: "Jobs waiting or running by queue and state (created = queued, retry = waiting for another attempt)",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      if (!services.jobs) return;
      const rows = rowsOf<{ name: string; state: string; n: number }>(
        await services.database.db.execute(
          sql`select name, state::text as state, count(*)::int as n from pgboss.job where state < 'completed' and name not like '\\_\\_pgboss%' group by 1, 2`,
        ),
      );
      for (const row of rows)
        if ((jobStates as readonly string[]).includes(row.state))
          this.set({ queue: row.name, state: row.state }, Number(row.n));
    },
  });
  new Gauge({
    name: "cairn_job_queue_failed_last_hour",
    help: "Jobs that failed for good in the last hour, by queue",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      this.reset();
      if (!services.jobs) return;
      const rows = rowsOf<{ name: string; n: number }>(
        await services.database.db.execute(
          sql`select name, count(*)::int as n from pgboss.job where state = 'failed' and completed_on > now() - interval '1 hour' group by 1`,
        ),
      );
      for (const row of rows) this.set({ queue: row.name }, Number(row.n));
    },
  });
  new Gauge({
    name: "cairn_realtime_open_sockets",
    help: "WebSocket connections open on this instance",
    registers: [registry],
    collect() {
      const { realtime } = services;
      this.set(
        "io" in realtime
          ? (realtime as { io: { engine: { clientsCount: number } } }).io.engine.clientsCount
          : 0,
      );
    },
  });
  return {
    registry,
    observe(method: string, route: string, status: number, seconds: number) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      durations.observe(labels, seconds);
    },
  };
}

/** Counts every request by its route's pattern (`/api/projects/:id`, never the raw URL). */
export function registerMetrics(app: FastifyInstance, services: Services) {
  const metrics = createMetrics(services);
  app.decorateRequest("metricsScraper", false);
  app.addHook("onResponse", (request, reply, done) => {
    // Unmatched paths are one label, so a scan of random URLs cannot grow the series without end.
    const route = request.routeOptions.url ?? "(unmatched)";
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  const readMetrics = superuserOnly("read the metrics (or present METRICS_TOKEN)");
  const routes: FastifyPluginAsyncZod = async (plugin) => {
    plugin.get(
      "/metrics",
      {
        schema: {
          tags: ["platform"],
          summary: "Prometheus metrics (superuser, or Authorization: Bearer $METRICS_TOKEN)",
          security: [{ bearerAuth: [] }],
          response: {
            200: z.string().describe("Prometheus text exposition format"),
            ...problemResponses(401, 403),
          },
        },
      },
      async (request, reply) => {
        if (!request.metricsScraper) {
          if (request.actor.kind !== "user")
            throw new NotAuthenticatedError(
              "Sign in as the superuser, or present Authorization: Bearer $METRICS_TOKEN.",
            );
          const decision = readMetrics(request.actor, null);
          if (!decision.allowed) throw new PermissionDeniedError(null, decision.reason);
        }
        const text = await metrics.registry.metrics();
        return reply.header("Cache-Control", "no-store").type(metrics.registry.contentType).send(text);
      },
    );
  };
  return routes;
}
