import path from "node:path";
import type { Config } from "../../config.js";

/**
 * `check --deploy`, in the spirit of Django's: it reads the typed config and
 * names every setting that would make a production deployment insecure, slow
 * or broken. Errors must be fixed before going live; warnings are worth a look.
 * The ids are stable (docs/deployment.md lists them), so a test or a runbook
 * can refer to one.
 */
export type CheckLevel = "error" | "warning";

export type CheckResult = {
  /** Stable identifier, `deploy.E001` for errors and `deploy.W001` for warnings. */
  id: string;
  level: CheckLevel;
  /** What is wrong, naming the environment variable. */
  message: string;
  /** What to do about it. */
  hint: string;
};

export type CheckOptions = {
  /**
   * The process environment, only to notice systemd's journald (JOURNAL_STREAM),
   * which makes a log file unnecessary. Defaults to process.env.
   */
  environment?: Record<string, string | undefined>;
};

/** The SECRET_KEY value in deploy/cairn.env.example: a placeholder, refused like any other. */
export const EXAMPLE_SECRET_KEY = "change-me-to-64-random-characters-from-openssl-rand-base64-48";

const MIN_SECRET_LENGTH = 50;
const MIN_SECRET_DISTINCT_CHARACTERS = 10;
const PLACEHOLDER_SECRETS = new Set([
  EXAMPLE_SECRET_KEY,
  "secret",
  "secret-key",
  "secretkey",
  "secret_key",
  "your-secret-key",
  "mysecret",
  "password",
  "changeme",
  "change-me",
  "change_me",
  "development",
  "dev",
  "test",
  "cairn",
  "default",
]);
/** Words that only a placeholder or a copied example would contain. */
const PLACEHOLDER_WORDS = [
  "change-me",
  "changeme",
  "change_me",
  "replace-me",
  "replace_me",
  "insecure",
  "placeholder",
  "example",
  "xxxxxxxx",
];
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0"]);
const DEFAULT_MAIL_FROM = "Cairn <no-reply@cairn.local>";
const repositoryRoot = path.resolve(import.meta.dirname, "../../../../..");

function isPlaceholderSecret(key: string): boolean {
  const lower = key.toLowerCase();
  return PLACEHOLDER_SECRETS.has(lower) || PLACEHOLDER_WORDS.some((word) => lower.includes(word));
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Every problem found in `config` for a production deployment behind Nginx
 * (docs/deployment.md): an empty array means nothing to report.
 */
export function checkDeploy(config: Config, options: CheckOptions = {}): CheckResult[] {
  const environment = options.environment ?? process.env;
  const results: CheckResult[] = [];
  const error = (id: string, message: string, hint: string) =>
    results.push({ id, level: "error", message, hint });
  const warning = (id: string, message: string, hint: string) =>
    results.push({ id, level: "warning", message, hint });

  if (!config.isProduction) {
    error(
      "deploy.E001",
      `NODE_ENV is "${config.env}", not "production": error responses may carry stack traces and internals.`,
      "Set NODE_ENV=production in the environment file of every web and worker unit.",
    );
  }

  // SECRET_KEY signs access tokens: whoever knows it can sign in as anyone.
  const key = config.secretKeyFromEnvironment ? config.secretKey : "";
  if (!key) {
    error(
      "deploy.E002",
      "SECRET_KEY is not set: tokens would be signed with a key generated on one machine, unknown to the other instances.",
      "Generate one with `openssl rand -base64 48` and set SECRET_KEY to it, the same value for every instance and worker.",
    );
  } else {
    if (isPlaceholderSecret(key)) {
      error(
        "deploy.E004",
        "SECRET_KEY is a known placeholder or example value: anyone who read the example can forge tokens.",
        "Replace it with the output of `openssl rand -base64 48`.",
      );
    }
    if (key.length < MIN_SECRET_LENGTH) {
      error(
        "deploy.E003",
        `SECRET_KEY has ${key.length} characters; at least ${MIN_SECRET_LENGTH} are needed to resist guessing.`,
        "Use the output of `openssl rand -base64 48` (64 characters).",
      );
    }
    const distinct = new Set(key).size;
    if (distinct < MIN_SECRET_DISTINCT_CHARACTERS) {
      error(
        "deploy.E005",
        `SECRET_KEY uses only ${distinct} distinct characters: it is not random.`,
        "Use the output of `openssl rand -base64 48`.",
      );
    }
  }

  const publicHost = hostOf(config.publicUrl);
  const publicUrlUnset =
    config.publicUrl === `http://localhost:${config.port}` || !publicHost || LOOPBACK_HOSTS.has(publicHost);
  if (publicUrlUnset) {
    error(
      "deploy.E006",
      `PUBLIC_URL is not set to the site's address (it is ${config.publicUrl}): links in emails and redirects would point nowhere.`,
      "Set PUBLIC_URL to the address users open, such as https://cairn.example.com.",
    );
  } else if (!config.publicUrl.startsWith("https://")) {
    error(
      "deploy.E007",
      `PUBLIC_URL (${config.publicUrl}) is not https: passwords and tokens would cross the network in clear.`,
      "Terminate TLS in Nginx (certbot --nginx) and set PUBLIC_URL to the https:// address.",
    );
  }

  if (config.allowedHosts.length === 0) {
    error(
      "deploy.E008",
      "ALLOWED_HOSTS is empty: any Host header is accepted, which enables cache poisoning and forged links.",
      "Set ALLOWED_HOSTS to the site's host names, comma-separated, such as cairn.example.com.",
    );
  } else if (config.allowedHosts.includes("*")) {
    error(
      "deploy.E009",
      'ALLOWED_HOSTS contains "*": any Host header is accepted.',
      "List the site's host names instead of *.",
    );
  } else if (
    publicHost &&
    !publicUrlUnset &&
    !config.allowedHosts.map((host) => host.toLowerCase()).includes(publicHost)
  ) {
    error(
      "deploy.E010",
      `ALLOWED_HOSTS (${config.allowedHosts.join(", ")}) does not include PUBLIC_URL's host ${publicHost}: the site would refuse its own address.`,
      `Add ${publicHost} to ALLOWED_HOSTS.`,
    );
  }

  if (config.database.kind !== "postgres") {
    error(
      "deploy.E011",
      "DATABASE_URL is not set: the embedded PGlite database serves one process only and cannot be shared by several instances and workers.",
      "Create a PostgreSQL database and user and set DATABASE_URL=postgres://cairn:PASSWORD@127.0.0.1:5432/cairn.",
    );
  }

  if (!config.redis) {
    error(
      "deploy.E012",
      "REDIS_URL is not set: rate limits, the token denylist, one-time codes and realtime fan-out would stay inside each process, so instances would disagree.",
      "Install Redis and set REDIS_URL=redis://127.0.0.1:6379/0 for every instance and worker.",
    );
  }

  if (!/^smtps?:\/\//.test(config.mail.url)) {
    error(
      "deploy.E013",
      `MAIL_URL is "${config.mail.url}": emails (password resets, invitations) would never leave the server.`,
      "Set MAIL_URL=smtp://USER:PASSWORD@HOST:587 (or smtps://…:465) to a real mail relay.",
    );
  }

  if (config.trustProxy === true) {
    error(
      "deploy.E014",
      "TRUST_PROXY is true: every client may forge X-Forwarded-For, so rate limits and audit addresses can be faked.",
      "Set TRUST_PROXY to the address Nginx connects from, such as 127.0.0.1.",
    );
  } else if (config.trustProxy === false || config.trustProxy === "") {
    error(
      "deploy.E015",
      "TRUST_PROXY is not set: behind Nginx every client would appear with Nginx's address, so one client's throttling hits everyone and audit entries lose the real address.",
      "Set TRUST_PROXY to the address Nginx connects from, such as 127.0.0.1.",
    );
  }

  if (config.corsOrigins.includes("*")) {
    error(
      "deploy.E016",
      'CORS_ORIGINS contains "*": any web site could call the API from its visitors\' browsers.',
      "Leave CORS_ORIGINS empty (the web UI is served from the same origin) or list the exact origins that need it.",
    );
  }

  if (config.seedDemo) {
    error(
      "deploy.E017",
      "SEED_DEMO is on: demo organizations and users with published passwords would be created.",
      "Remove SEED_DEMO from the production environment.",
    );
  }

  if (config.serveStatic) {
    warning(
      "deploy.W001",
      "SERVE_STATIC is on: Node serves the web UI and media files, which Nginx does faster, with caching headers, and without tying up the event loop.",
      "Set SERVE_STATIC=false and let Nginx serve /assets/, index.html and /media/ (deploy/nginx/cairn.conf).",
    );
  }

  if (!config.accelRedirect) {
    warning(
      "deploy.W007",
      "ACCEL_REDIRECT is off: Node streams private files itself instead of handing them to Nginx.",
      "Remove ACCEL_REDIRECT=false behind Nginx (deploy/nginx/cairn-locations.conf serves /_protected/ from DATA_DIR/private).",
    );
  }

  if (!config.log.file && !environment.JOURNAL_STREAM) {
    warning(
      "deploy.W002",
      "LOG_FILE is not set: logs go to standard output only.",
      "Under systemd that is right (journald keeps them: journalctl -u 'cairn-web@*'); otherwise set LOG_FILE=/var/log/cairn/web.log and rotate it.",
    );
  }

  if (!config.jobs) {
    warning(
      "deploy.W003",
      "PGBOSS_ENABLED is false: emails, notifications and schedules would not run.",
      "Remove PGBOSS_ENABLED=false and run the worker unit (cairn-worker.service).",
    );
  }

  if (config.log.level === "debug" || config.log.level === "trace") {
    warning(
      "deploy.W004",
      `LOG_LEVEL is ${config.log.level}: logs grow fast and may record more than needed.`,
      "Use LOG_LEVEL=info in production.",
    );
  }

  const relative = path.relative(repositoryRoot, config.dataDir);
  if (!relative.startsWith("..") && !path.isAbsolute(relative)) {
    warning(
      "deploy.W005",
      `DATA_DIR (${config.dataDir}) is inside the application's directory: replacing the code on an update could delete uploads.`,
      "Keep data apart from the code, such as DATA_DIR=/srv/cairn/data.",
    );
  }

  if (config.mail.from === DEFAULT_MAIL_FROM) {
    warning(
      "deploy.W006",
      `MAIL_FROM is the default (${DEFAULT_MAIL_FROM}): mail servers will reject or junk messages from a domain you do not own.`,
      'Set MAIL_FROM to an address of your domain, such as "Cairn <no-reply@cairn.example.com>".',
    );
  }

  return results;
}

/** Django's report: errors first, then warnings, then the count. */
export function formatCheckReport(results: CheckResult[]): string {
  if (results.length === 0) return "System check identified no issues.";
  const section = (title: string, items: CheckResult[]) =>
    items.length
      ? [`${title}:`, ...items.map((item) => `(${item.id}) ${item.message}\n\tHINT: ${item.hint}`), ""]
      : [];
  const errors = results.filter((item) => item.level === "error");
  const warnings = results.filter((item) => item.level === "warning");
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
  return [
    "System check identified some issues:",
    "",
    ...section("ERRORS", errors),
    ...section("WARNINGS", warnings),
    `System check identified ${plural(results.length, "issue")} (${plural(errors.length, "error")}, ${plural(warnings.length, "warning")}).`,
  ].join("\n");
}

/** The exit status for the CLI: 1 when any error is found, 0 otherwise (warnings do not fail). */
export function checkExitCode(results: CheckResult[]): number {
  return results.some((item) => item.level === "error") ? 1 : 0;
}
