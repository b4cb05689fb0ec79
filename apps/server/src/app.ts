import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import cors from "@fastify/cors";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler } from "fastify-type-provider-zod";
import { registerAuthentication } from "./platform/auth/authenticate.js";
import { NotFoundError, ThrottledError } from "./platform/errors.js";
import { healthRoutes } from "./platform/http/health.routes.js";
import { acceptsMetricsToken, registerMetrics } from "./platform/http/metrics.js";
import { registerSecurityHeaders } from "./platform/http/security-headers.js";
import { registerBodyTimeout } from "./platform/http/body-timeout.js";
import { decodedPath, isApiPath, printablePath } from "./platform/http/paths.js";
import { frameworkErrorHandler, registerProblemHandler, sendProblem } from "./platform/http/problem.js";
import { validatorCompiler } from "./platform/http/validation.js";
import type { Composition } from "./platform/modules.js";
import type { Services } from "./platform/services.js";

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Assembles the HTTP application from plugins and modules. Nothing listens until the caller says so. */
export async function buildApp(services: Services, composition: Composition): Promise<FastifyInstance> {
  const { config } = services;
  // Fastify's logger type is pino's, seen through its own copy of the types.
  const loggerInstance: FastifyBaseLogger = services.log;
  const app = Fastify({
    loggerInstance,
    // One line per request, written when it completes (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: (request) => {
      const incoming = request.headers["x-request-id"];
      return typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // While closing, requests already on an open connection are still served (Nginx does not retry POSTs).
    return503OnClosing: false,
    // Longer than Nginx's upstream keepalive_timeout (4 s): the proxy closes idle connections first.
    keepAliveTimeout: 10_000,
    // Node's own cut-off for a whole request, a backstop behind the body timeout below.
    requestTimeout: config.bodyTimeoutMs * 4,
    // A malformed or over-long path is answered as problem+json like every other error.
    frameworkErrors: frameworkErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate("services", services);
  // Set when a graceful shutdown starts: readiness fails so the proxy stops sending new work.
  app.decorate("lifecycle", { draining: false });
  app.addHook("onRequest", (request, reply, done) => {
    void reply.header("X-Request-Id", request.id);
    done();
  });
  // Health checks are polled every few seconds by the proxy and the process manager: on a person's
  // console (pretty logs) they go to debug; machine logs keep them, with the caller's address.
  const quiet = config.log.format === "pretty" ? new Set(["/api/health", "/api/ready"]) : new Set<string>();
  app.addHook("onResponse", (request, reply, done) => {
    const path = request.url.split("?")[0] ?? request.url;
    const ms = Math.round(reply.elapsedTime);
    const line = { req: { method: request.method, url: path, ip: request.ip }, res: { statusCode: reply.statusCode }, responseTime: ms };
    const message = `${request.method} ${path} ${reply.statusCode} ${ms}ms`;
    if (quiet.has(path)) request.log.debug(line, message);
    else if (reply.statusCode >= 500) request.log.error(line, message);
    else request.log.info(line, message);
    done();
  });

  // Host header checking, as Django's ALLOWED_HOSTS: a forged Host cannot reach the app.
  if (config.allowedHosts.length && !config.allowedHosts.includes("*")) {
    const allowed = new Set(config.allowedHosts.map((host) => host.toLowerCase()));
    app.addHook("onRequest", async (request, reply) => {
      const host = (request.host ?? "").replace(/:\d+$/, "").toLowerCase();
      if (!allowed.has(host)) {
        return sendProblem(reply, {
          title: "Bad request",
          status: 400,
          code: "invalid_host",
          detail: "This host is not served here.",
        });
      }
    });
  }

  registerSecurityHeaders(app, { hsts: config.isProduction });
  // CORS is closed unless origins are named: the SPA is served from the same origin.
  if (config.corsOrigins.length) await app.register(cors, { origin: config.corsOrigins, credentials: true });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Cairn API",
        version: "0.1.0",
        description: "Multi-tenant project and task management with role-based access control.",
      },
      components: {
        securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs", uiConfig: { persistAuthorization: true } });
  app.get("/api/openapi.json", { schema: { hide: true } }, () => app.swagger());

  registerProblemHandler(app);
  registerBodyTimeout(app, config.bodyTimeoutMs);

  // A global per-IP budget on the API; auth endpoints have tighter limits of their own.
  const apiLimiter = services.ephemeral.limiter({
    name: "api:ip",
    points: config.rateLimitPerMinute,
    durationSeconds: 60,
  });
  const unlimited = new Set(["/api/health", "/api/ready"]);
  const withinBudget = async (request: FastifyRequest) => {
    // The decoded path: `/%61pi/…` is routed like `/api/…`, so it is counted like it too.
    const pathname = decodedPath(request.url);
    if (!isApiPath(pathname) || unlimited.has(pathname)) return;
    const result = await apiLimiter.consume(request.ip);
    if (!result.allowed) throw new ThrottledError(result.retryAfterSeconds);
  };
  // The budget is counted beside authentication (one round trip to the cache for both); over budget is
  // a 429 whatever the token.
  registerAuthentication(app, {
    acceptOtherBearer: (request, token) => acceptsMetricsToken(services, request, token),
    admit: withinBudget,
  });

  // Counts every request from here on by its route pattern; GET /api/metrics reads the counts.
  const metricsRoutes = registerMetrics(app, services);
  await app.register(healthRoutes, { prefix: "/api" });
  await app.register(metricsRoutes, { prefix: "/api" });
  for (const module of composition.modules) {
    for (const route of module.routes) await app.register(route.plugin, { prefix: route.prefix });
  }

  // In development and `npm start`, Node serves the built SPA and media; in production Nginx does.
  const indexHtml = path.join(config.webDist, "index.html");
  if (config.serveStatic) {
    await app.register(fastifyStatic, {
      root: config.mediaDir,
      prefix: "/media/",
      decorateReply: false,
      index: false,
      setHeaders: (reply) => void reply.header("X-Content-Type-Options", "nosniff"),
    });
    if (existsSync(indexHtml)) {
      await app.register(fastifyStatic, {
        root: config.webDist,
        prefix: "/",
        wildcard: false,
        index: false,
        setHeaders(reply, filePath) {
          void reply.header(
            "Cache-Control",
            filePath.includes(`${path.sep}assets${path.sep}`)
              ? "public, max-age=31536000, immutable"
              : "no-cache",
          );
        },
      });
    } else {
      services.log.warn({ webDist: config.webDist }, "web UI not built: run `npm run build:web`");
    }
  }

  app.setNotFoundHandler(async (request, reply) => {
    const pathname = decodedPath(request.url);
    const wantsPage = request.method === "GET" && !isApiPath(pathname) && !pathname.startsWith("/media/");
    if (config.serveStatic && wantsPage && existsSync(indexHtml)) {
      return reply
        .header("Cache-Control", "no-cache")
        .type("text/html")
        .sendFile("index.html", config.webDist);
    }
    const error = new NotFoundError("resource");
    return sendProblem(reply, {
      title: error.title,
      status: 404,
      code: error.code,
      detail: `Nothing is at ${request.method} ${printablePath(pathname)}.`,
    });
  });
  return app;
}
