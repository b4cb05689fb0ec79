#!/usr/bin/env node
// `npm run test:e2e`: the browser tests, end to end.
//   1. Debian's Chromium at /usr/bin/chromium (installed with apt-get when missing and we are root);
//   2. the web UI built (skip with SKIP_WEB_BUILD=1);
//   3. a server of its own: fresh data folder, file mailbox and log, a fresh PostgreSQL database
//      when DATABASE_URL is set (dropped afterwards) and its own Redis key prefix when REDIS_URL is;
//      migrated, with a superuser, on a free port, waited for on GET /api/ready;
//   4. `vitest run --config e2e/vitest.config.ts` with E2E_BASE_URL, E2E_ADMIN_LOGIN,
//      E2E_ADMIN_PASSWORD, E2E_MAIL_DIR and E2E_LOG_FILE;
//   5. the server stopped and everything removed, whatever happened; exits with vitest's code.
//
// The server runs `cairn all` (API + job worker in one process) rather than `serve`: emails are
// sent by the job worker, and the tests follow the links in them. On the embedded database a second
// process could not open the same data folder, so the worker must live in the server's process.
// Override with E2E_SERVER_COMMAND=serve. KEEP_E2E=1 keeps the data folder for a post-mortem.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules/.bin", name);
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const READY_TIMEOUT_MS = 60_000;

// Children run on the project's Node (the `node` dev dependency puts Node 24 in node_modules/.bin).
const childPath = [path.join(root, "node_modules/.bin"), process.env.PATH].join(path.delimiter);

function log(message) {
  console.log(`[e2e] ${message}`);
}

function fail(message) {
  console.error(`[e2e] ${message}`);
  process.exit(1);
}

/** Runs a command to completion with inherited output; throws on failure. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status ?? result.signal}`);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    fail(
      `Chromium is missing at ${CHROMIUM}. Install it with \`sudo apt-get install -y --no-install-recommends chromium\` ` +
        "(or set CHROMIUM_PATH), then run again. The tests never download a browser.",
    );
  }
  log("Chromium is missing: installing Debian's package");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update"], { env });
  run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { env });
  if (!existsSync(CHROMIUM)) fail(`apt-get finished but ${CHROMIUM} is still missing.`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A database of its own for this run, on the server of DATABASE_URL. */
async function createDatabase(url) {
  const { default: pg } = await import("pg");
  const name = `cairn_e2e_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    url: own.toString(),
    async drop() {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Removes this run's Redis keys (rate limits, denylist, caches: they would expire, but sooner is tidier). */
async function clearRedisPrefix(url, prefix) {
  const { Redis } = await import("ioredis");
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/** The console shows the server's warnings and errors only; LOG_FILE keeps every line. */
function forwardWarnings(stream) {
  createInterface({ input: stream }).on("line", (line) => {
    let level = 100;
    try {
      level = JSON.parse(line).level ?? 100;
    } catch {
      // not a JSON log line: show it
    }
    if (level >= 40) process.stdout.write(`${line}\n`);
  });
}

async function waitForReady(baseUrl, server) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited early with code ${server.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/api/ready`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the server was not ready within ${READY_TIMEOUT_MS / 1000} s (GET ${baseUrl}/api/ready)`);
}

function stopServer(server) {
  if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      try {
        process.kill(-server.pid, "SIGKILL");
      } catch {
        server.kill("SIGKILL");
      }
    }, 15_000);
    server.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    // The server and anything it started (tsx runs it in a child process) form one group.
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      server.kill("SIGTERM");
    }
  });
}

async function main() {
  ensureChromium();

  if (process.env.SKIP_WEB_BUILD === "1") log("SKIP_WEB_BUILD=1: using the existing apps/web/dist");
  else {
    log("building the web UI");
    run("npm", ["run", "build", "-w", "@cairn/web"], { env: { ...process.env, PATH: childPath } });
  }
  if (!existsSync(path.join(root, "apps/web/dist/index.html")))
    fail("apps/web/dist/index.html is missing: build the web UI first.");

  const dataDir = mkdtempSync(path.join(tmpdir(), "cairn-e2e-"));
  const mailDir = path.join(dataDir, "mail");
  const logFile = path.join(dataDir, "app.log");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const adminPassword = `E2e-${randomBytes(12).toString("base64url")}-9`;
  let database = null;
  let redisPrefix = null;
  let server = null;
  let exitCode = 1;

  const cleanup = async () => {
    await stopServer(server);
    if (database) {
      await database
        .drop()
        .catch((error) => console.error(`[e2e] could not drop the test database: ${error.message}`));
    }
    if (redisPrefix) {
      await clearRedisPrefix(process.env.REDIS_URL, redisPrefix).catch((error) =>
        console.error(`[e2e] could not remove the Redis keys ${redisPrefix}*: ${error.message}`),
      );
    }
    if (process.env.KEEP_E2E === "1") log(`kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    const env = {
      ...process.env,
      PATH: childPath,
      NODE_ENV: "development",
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: baseUrl,
      DATA_DIR: dataDir,
      MAIL_URL: `file://${mailDir}`,
      LOG_FILE: logFile,
      // JSON on the console too: the filter above shows warnings and errors only, by level.
      LOG_FORMAT: "json",
      // info: the console SMS backend's codes (read by e2e/onboarding.test.ts) are info lines in LOG_FILE.
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "info",
      SEED_DEMO: "false",
      // Every browser and every test's API calls come from 127.0.0.1: the per-IP budget (600 a minute)
      // is one person's, and a fast run of the whole suite spends it within a minute (a 429 mid-test).
      RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? "100000",
    };
    if (process.env.DATABASE_URL) {
      database = await createDatabase(process.env.DATABASE_URL);
      env.DATABASE_URL = database.url;
      log(`PostgreSQL database ${new URL(database.url).pathname.slice(1)}`);
    }
    if (process.env.REDIS_URL) {
      redisPrefix = `cairn-e2e-${randomBytes(4).toString("hex")}:`;
      env.REDIS_PREFIX = redisPrefix;
    }

    const cairn = (args) => run(bin("tsx"), ["apps/server/src/main.ts", ...args], { env });
    log("migrating");
    cairn(["migrate"]);
    log("creating the superuser");
    cairn([
      "createsuperuser",
      "--email",
      "admin@example.com",
      "--username",
      "admin",
      "--password",
      adminPassword,
    ]);

    const command = process.env.E2E_SERVER_COMMAND ?? "all";
    log(`starting \`cairn ${command}\` on ${baseUrl}`);
    server = spawn(bin("tsx"), ["apps/server/src/main.ts", command], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    });
    forwardWarnings(server.stdout);
    await waitForReady(baseUrl, server);
    log("server ready; running the browser tests");

    // `node scripts/e2e.mjs e2e/projects.test.ts` runs only the files named (vitest filters).
    const filters = process.argv.slice(2).map((file) => path.basename(file));
    const vitest = spawn(bin("vitest"), ["run", "--config", "e2e/vitest.config.ts", ...filters], {
      cwd: root,
      stdio: "inherit",
      env: {
        ...process.env,
        PATH: childPath,
        E2E_BASE_URL: baseUrl,
        E2E_ADMIN_LOGIN: "admin",
        E2E_ADMIN_PASSWORD: adminPassword,
        E2E_MAIL_DIR: mailDir,
        E2E_LOG_FILE: logFile,
        CHROMIUM_PATH: CHROMIUM,
      },
    });
    exitCode = await new Promise((resolve) => vitest.on("close", (code) => resolve(code ?? 1)));
    if (exitCode !== 0 && existsSync(logFile)) {
      const lines = readFileSync(logFile, "utf8").trim().split("\n").slice(-30);
      console.error(`[e2e] last lines of the server log (${logFile}):\n${lines.join("\n")}`);
    }
  } catch (error) {
    console.error(`[e2e] ${error instanceof Error ? error.message : String(error)}`);
    exitCode = 1;
  } finally {
    await cleanup();
  }
  process.exit(exitCode);
}

await main();
