import { randomBytes } from "node:crypto";
import path from "node:path";
import { z } from "zod";

const booleanish = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((value) => value === "true" || value === "1" || value === "yes");

const databaseUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must be a postgres:// or postgresql:// URL");

const redisUrl = z.string().refine((value) => /^rediss?:\/\//.test(value), "must be a redis:// or rediss:// URL");

const mailUrl = z
  .string()
  .refine(
    (value) => value === "console" || /^smtps?:\/\//.test(value) || value.startsWith("file://"),
    "must be console, file://DIR or smtp(s)://user:pass@host:port",
  );

/** Every variable Cairn reads. Anything not listed here is not configuration. */
const environment = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./var"),
  DATABASE_URL: databaseUrl.optional(),
  REDIS_URL: redisUrl.optional(),
  REDIS_PREFIX: z.string().default("cairn:"),
  MAIL_URL: mailUrl.default("console"),
  MAIL_FROM: z.string().default("Cairn <no-reply@cairn.local>"),
  LOG_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** `pretty` (one readable line per event, for a person at a terminal) or `json` (for machines). */
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  SECRET_KEY: z.string().optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  ALLOWED_HOSTS: z.string().optional(),
  CORS_ORIGINS: z.string().optional(),
  TRUST_PROXY: z.string().optional(),
  SERVE_STATIC: booleanish.optional(),
  WEB_DIST: z.string().optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  BODY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  SEED_DEMO: booleanish.optional(),
  PGBOSS_ENABLED: booleanish.default(true),
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(20).optional(),
  /** Private downloads through Nginx (`X-Accel-Redirect: /_protected/<key>`); on by default in production. */
  ACCEL_REDIRECT: booleanish.optional(),
  /** The bearer token Prometheus presents to GET /api/metrics (the superuser's own token works too). */
  METRICS_TOKEN: z.string().min(24, "at least 24 characters, e.g. from `openssl rand -hex 24`").max(512).optional(),
});

export type Environment = z.input<typeof environment>;

export type Config = {
  env: "development" | "production" | "test";
  isProduction: boolean;
  port: number;
  host: string;
  dataDir: string;
  database: { kind: "postgres"; url: string } | { kind: "pglite"; dir: string | null };
  redis: { url: string; prefix: string } | null;
  mail: { url: string; from: string };
  /** The file sink is always JSON; `format` is what standard output gets (pretty by default in development). */
  log: { file: string | null; level: string; format: "json" | "pretty" };
  /** Signs access tokens and derives other keys; generated (and kept in DATA_DIR) when unset outside production. */
  secretKey: string;
  secretKeyFromEnvironment: boolean;
  publicUrl: string;
  allowedHosts: string[];
  corsOrigins: string[];
  trustProxy: string | boolean;
  serveStatic: boolean;
  webDist: string;
  mediaDir: string;
  privateDir: string;
  /** Node authorizes private downloads and lets Nginx send the bytes; otherwise Node streams them itself. */
  accelRedirect: boolean;
  rateLimitPerMinute: number;
  /** How long a request body may stall (no bytes arriving) before the request is ended with a 408. */
  bodyTimeoutMs: number;
  seedDemo: boolean;
  jobs: boolean;
  /** On SIGTERM, how long to keep serving (readiness failing, connections closed after each response) before closing. */
  shutdownDrainSeconds: number;
  /** Lets a scraper read GET /api/metrics without signing in; null: only the superuser may. */
  metricsToken: string | null;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const repositoryRoot = path.resolve(import.meta.dirname, "../../..");

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * Reads the environment into a typed config and fails with one message per
 * bad variable, so a mistake is explained rather than discovered later.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = environment.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== "")),
  );
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === "production";
  const dataDir = path.resolve(repositoryRoot, env.DATA_DIR);
  const port = env.PORT;
  return {
    env: env.NODE_ENV,
    isProduction,
    port,
    host: env.HOST,
    dataDir,
    database: env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL }
      : { kind: "pglite", dir: path.join(dataDir, "db") },
    redis: env.REDIS_URL ? { url: env.REDIS_URL, prefix: env.REDIS_PREFIX } : null,
    mail: { url: env.MAIL_URL, from: env.MAIL_FROM },
    log: {
      file: env.LOG_FILE ? path.resolve(repositoryRoot, env.LOG_FILE) : null,
      level: env.LOG_LEVEL,
      format: env.LOG_FORMAT ?? (env.NODE_ENV === "development" ? "pretty" : "json"),
    },
    secretKey: env.SECRET_KEY ?? "",
    secretKeyFromEnvironment: Boolean(env.SECRET_KEY),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ""),
    allowedHosts: list(env.ALLOWED_HOSTS),
    corsOrigins: list(env.CORS_ORIGINS),
    trustProxy: env.TRUST_PROXY === undefined ? false : env.TRUST_PROXY === "true" ? true : env.TRUST_PROXY,
    serveStatic: env.SERVE_STATIC ?? !isProduction,
    webDist: path.resolve(repositoryRoot, env.WEB_DIST ?? "apps/web/dist"),
    mediaDir: path.join(dataDir, "media"),
    privateDir: path.join(dataDir, "private"),
    accelRedirect: env.ACCEL_REDIRECT ?? isProduction,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    bodyTimeoutMs: env.BODY_TIMEOUT_MS,
    seedDemo: env.SEED_DEMO ?? false,
    jobs: env.PGBOSS_ENABLED,
    shutdownDrainSeconds: env.SHUTDOWN_DRAIN_SECONDS ?? (isProduction ? 5 : 0),
    metricsToken: env.METRICS_TOKEN ?? null,
  };
}

/** A random key for development and tests; production must set SECRET_KEY. */
export function generateSecretKey(): string {
  return randomBytes(48).toString("base64url");
}
