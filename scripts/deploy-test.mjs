#!/usr/bin/env node
// The production deployment, tested for real (issue #5): Debian's Nginx with the shipped site config
// (deploy/nginx), two Node web instances and a worker built by `npm run build`, a fresh PostgreSQL
// database and a private Redis prefix. Everything runs as ordinary processes on loopback ports and in
// a temporary directory; nothing under /etc or /var is touched.
//
//   node scripts/deploy-test.mjs
//
// Environment:
//   SKIP_BUILD=1              reuse apps/server/dist and apps/web/dist instead of running `npm run build`
//   DEPLOY_TEST_OPTIONAL=1    exit 0 (skipped) when Nginx is missing and cannot be installed (not root)
//   DEPLOY_TEST_DATABASE_URL  an admin connection that may CREATE DATABASE (default: DATABASE_URL, then
//                             postgres://postgres@127.0.0.1:5432/postgres)
//   DEPLOY_TEST_REDIS_URL     default: REDIS_URL, then redis://127.0.0.1:6379/0
//   DEPLOY_TEST_RUNTIME=tsx   run apps/server/src/main.ts with tsx instead of the build (while developing)
//   DEPLOY_TEST_WEB_DIST=DIR  serve another built web UI than apps/web/dist (while developing)
//   TEST_SUMMARY_FILE=FILE    also write {"passed","failed","skipped"} there (for .ci/run)
//   DEPLOY_TEST_KEEP=1        keep the temporary directory (logs, rendered config) for inspection
//
// Prints one line per check and ends with `N passed, N failed, N skipped`; exits 1 on any failure.
import { Buffer } from "node:buffer";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chownSync,
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseVars, renderNginxConfig } from "../deploy/nginx/render.mjs";

const ROOT = path.resolve(import.meta.dirname, "..");
const NGINX_TEMPLATES = path.join(ROOT, "deploy/nginx");
/** The Node that production runs (the `node` dev dependency pins 24); the machine's may be older. */
const NODE = existsSync(path.join(ROOT, "node_modules/.bin/node"))
  ? path.join(ROOT, "node_modules/.bin/node")
  : process.execPath;
const RUNTIME = process.env.DEPLOY_TEST_RUNTIME === "tsx" ? "tsx" : "dist";
const SERVER_ENTRY =
  RUNTIME === "tsx"
    ? path.join(ROOT, "apps/server/src/main.ts")
    : path.join(ROOT, "apps/server/dist/main.js");
/** The built web UI; DEPLOY_TEST_WEB_DIST points elsewhere only while the web app is being written. */
const WEB_DIST = path.resolve(ROOT, process.env.DEPLOY_TEST_WEB_DIST ?? "apps/web/dist");
/** Clients connect to Nginx from other loopback addresses than Nginx uses towards Node (127.0.0.1). */
const CLIENT = "127.0.0.2";
const STREAM_CLIENT = "127.0.0.3";
const OTHER_CLIENT = "127.0.0.4";
const FORGED_ADDRESS = "203.0.113.66";

// ------------------------------------------------------------------------------------------------
// Results and cleanup

const results = [];
function record(status, name, detail = "") {
  results.push({ status, name, detail });
  const mark = { pass: "PASS", fail: "FAIL", skip: "SKIP" }[status];
  console.log(`${mark}  ${name}${detail ? ` — ${detail}` : ""}`);
}
const pass = (name, detail) => record("pass", name, detail);
const fail = (name, detail) => record("fail", name, detail);
const skip = (name, detail) => record("skip", name, detail);
/** Runs one check; an exception is a failure with its message, never the end of the run. */
async function check(name, body) {
  try {
    const outcome = await body();
    if (outcome && typeof outcome === "object" && "skip" in outcome) skip(name, outcome.skip);
    else pass(name, typeof outcome === "string" ? outcome : "");
  } catch (error) {
    fail(name, error instanceof Error ? error.message : String(error));
  }
}
class CheckFailed extends Error {}
function expect(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

const cleanups = [];
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  // Processes first: the database and Redis keys they use go afterwards.
  await stopAll();
  for (const step of cleanups.reverse()) {
    try {
      await step();
    } catch (error) {
      console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
}

function summary() {
  const count = (status) => results.filter((result) => result.status === status).length;
  const failed = results.filter((result) => result.status === "fail");
  console.log("\nDeployment test summary");
  for (const result of results) console.log(`  ${result.status.toUpperCase().padEnd(4)}  ${result.name}`);
  if (failed.length) {
    console.log("\nFailures:");
    for (const result of failed) console.log(`  - ${result.name}: ${result.detail}`);
  }
  const skipped = count("skip");
  console.log(`\n${count("pass")} passed, ${count("fail")} failed${skipped ? `, ${skipped} skipped` : ""}`);
  // .ci/run adds up the counts of every suite from these files.
  if (process.env.TEST_SUMMARY_FILE) {
    writeFileSync(
      process.env.TEST_SUMMARY_FILE,
      JSON.stringify({ passed: count("pass"), failed: count("fail"), skipped }),
    );
  }
  return failed.length ? 1 : 0;
}

// ------------------------------------------------------------------------------------------------
// Small helpers

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  return {
    code: result.status ?? (result.error ? 127 : 1),
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? "",
    error: result.error,
  };
}

function which(binary) {
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin"]) {
    const candidate = path.join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const tail = (text, lines = 15) => text.trim().split("\n").slice(-lines).join("\n");

/** One HTTP request with full control: local address, headers, raw body. */
function request(method, urlPath, options = {}) {
  const { port, headers = {}, body, localAddress = CLIENT, agent, timeoutMs = 15_000 } = options;
  let payload = body;
  const sendHeaders = { ...headers };
  if (body !== undefined && !Buffer.isBuffer(body) && typeof body !== "string") {
    payload = JSON.stringify(body);
    sendHeaders["content-type"] ??= "application/json";
  }
  if (payload !== undefined) sendHeaders["content-length"] = Buffer.byteLength(payload);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: urlPath,
        headers: sendHeaders,
        localAddress,
        agent: agent ?? false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => {
          const buffer = Buffer.concat(chunks);
          const text = buffer.toString("utf8");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            buffer,
            text,
            json() {
              return JSON.parse(text);
            },
          });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${urlPath}`)));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function multipart(fields, file) {
  const boundary = `----cairn-deploy-test-${randomBytes(8).toString("hex")}`;
  const parts = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** JSON lines of a pino log file (other lines are ignored). */
function readLog(file) {
  if (!existsSync(file)) return [];
  const entries = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      entries.push(JSON.parse(line));
    } catch {
      // a line being written
    }
  }
  return entries;
}

async function waitFor(description, probe, timeoutMs = 10_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    await sleep(intervalMs);
  }
  throw new CheckFailed(
    `${description} (waited ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ""})`,
  );
}

/** What a production error response must never contain. */
function leaks(text) {
  const found = [];
  if (/\n\s+at .+[:(].*\d+:\d+\)?/.test(text) || /\bat [\w.<>]+ \(/.test(text)) found.push("a stack trace");
  if (text.includes(ROOT) || /\/(work|home|srv|app)\/[\w./-]+\.(ts|js|mjs)/.test(text))
    found.push("a file path");
  if (/node_modules/.test(text)) found.push("node_modules");
  if (/relation "|syntax error at|duplicate key|violates|SQLSTATE|ECONNREFUSED/i.test(text))
    found.push("a database message");
  if (/nginx\/\d/.test(text)) found.push("the Nginx version");
  return found;
}

// ------------------------------------------------------------------------------------------------
// Processes

const children = new Set();

function startProcess(name, command, args, { env, logFile, cwd = ROOT }) {
  const out = logFile ? openAppend(logFile) : "ignore";
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", out, out] });
  const entry = { name, child, exited: null };
  entry.exitPromise = new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      entry.exited = { code, signal, at: Date.now() };
      children.delete(entry);
      resolve(entry.exited);
    });
  });
  children.add(entry);
  return entry;
}

/** A file descriptor appending to `file`, for a child's stdout and stderr. */
function openAppend(file) {
  mkdirSync(path.dirname(file), { recursive: true });
  return openSync(file, "a");
}

async function stopProcess(entry, signal = "SIGTERM", timeoutMs = 35_000) {
  if (entry.exited) return entry.exited;
  entry.child.kill(signal);
  const timer = sleep(timeoutMs).then(() => null);
  const exited = await Promise.race([entry.exitPromise, timer]);
  if (exited) return exited;
  entry.child.kill("SIGKILL");
  await entry.exitPromise;
  return { ...entry.exited, killed: true };
}

function stopAll() {
  return Promise.all(
    [...children].map((entry) => stopProcess(entry, entry.name === "nginx" ? "SIGQUIT" : "SIGTERM", 10_000)),
  );
}

// ------------------------------------------------------------------------------------------------
// The steps

async function ensureNginx() {
  let nginx = which("nginx");
  if (nginx) return nginx;
  if (process.getuid?.() !== 0) return null;
  console.log("Nginx is not installed: installing Debian's package (apt-get install nginx)...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = run("apt-get", ["update"], { env });
  if (update.code !== 0) console.error(tail(update.stderr));
  const install = run("apt-get", ["install", "-y", "--no-install-recommends", "nginx"], { env });
  if (install.code !== 0) {
    console.error(tail(install.stdout + install.stderr));
    return null;
  }
  nginx = which("nginx");
  return nginx;
}

function build() {
  if (process.env.SKIP_BUILD === "1") {
    console.log("SKIP_BUILD=1: reusing the existing build");
  } else {
    console.log("Building what production runs (npm run build)...");
    const result = run("npm", ["run", "build"], {
      cwd: ROOT,
      env: { ...process.env, PATH: `${path.join(ROOT, "node_modules/.bin")}:${process.env.PATH}` },
    });
    if (result.code !== 0) {
      fail("npm run build", tail(result.stdout + result.stderr, 25));
      return;
    }
  }
  const missing = [RUNTIME === "dist" ? SERVER_ENTRY : null, path.join(WEB_DIST, "index.html")]
    .filter((file) => file && !existsSync(file))
    .map((file) => path.relative(ROOT, file));
  if (missing.length) fail("build output present", `missing ${missing.join(", ")}`);
  else
    pass(
      "build output present",
      RUNTIME === "tsx" ? "server from sources (DEPLOY_TEST_RUNTIME=tsx)" : "apps/server/dist, apps/web/dist",
    );
}

async function main() {
  console.log(
    `Cairn deployment test (${RUNTIME === "tsx" ? "server run with tsx" : "node apps/server/dist/main.js"}, Node ${spawnSync(NODE, ["-v"], { encoding: "utf8" }).stdout.trim()})\n`,
  );

  const nginx = await ensureNginx();
  if (!nginx) {
    const reason =
      "Nginx is not installed and this user cannot install it (run as root, or `apt-get install nginx`)";
    if (process.env.DEPLOY_TEST_OPTIONAL === "1") {
      skip("deployment test", reason);
      return summary();
    }
    fail("nginx available", reason);
    return summary();
  }
  pass("nginx available", run(nginx, ["-v"]).stderr.trim());

  build();
  const serverBuilt = existsSync(SERVER_ENTRY);
  const webBuilt = existsSync(path.join(WEB_DIST, "index.html"));

  // --- temporary layout ------------------------------------------------------------------------
  const tmp = mkdtempSync(path.join(os.tmpdir(), "cairn-deploy-"));
  chmodSync(tmp, 0o755);
  cleanups.push(() => {
    if (process.env.DEPLOY_TEST_KEEP === "1") console.log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  });
  const dirs = {
    conf: path.join(tmp, "nginx/conf"),
    nginxLogs: path.join(tmp, "nginx/logs"),
    nginxTemp: path.join(tmp, "nginx/temp"),
    acme: path.join(tmp, "acme"),
    data: path.join(tmp, "data"),
    logs: path.join(tmp, "logs"),
    mail: path.join(tmp, "mail"),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const sub of ["media/avatars", "private"])
    mkdirSync(path.join(dirs.data, sub), { recursive: true, mode: 0o755 });
  // Nginx's workers drop to www-data when the master is root, as in production.
  const asRoot = process.getuid?.() === 0;
  const workerUser = asRoot && run("id", ["-u", "www-data"]).code === 0 ? "www-data" : null;
  if (workerUser) {
    const uid = Number(run("id", ["-u", workerUser]).stdout.trim());
    const gid = Number(run("id", ["-g", workerUser]).stdout.trim());
    chownSync(dirs.nginxTemp, uid, gid);
    // As docs/deployment.md sets up production: data directories setgid to Nginx's group, so what Node
    // writes there (mode 0640/0750) is readable by Nginx and by nobody else.
    for (const dir of ["", "media", "media/avatars", "private"]) {
      chownSync(path.join(dirs.data, dir), 0, gid);
      chmodSync(path.join(dirs.data, dir), 0o2750);
    }
  }

  const [nginxPort, port1, port2] = [await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${nginxPort}`;

  // --- Nginx: the shipped templates with loopback ports and temporary paths -----------------------
  const vars = {
    ...parseVars(readFileSync(path.join(NGINX_TEMPLATES, "cairn.vars"), "utf8")),
    SERVER_NAME: "cairn.test localhost 127.0.0.1",
    HTTP_LISTEN: `127.0.0.1:${nginxPort}`,
    HTTPS_LISTEN: `127.0.0.1:${await freePort()}`,
    UPSTREAMS: `127.0.0.1:${port1} 127.0.0.1:${port2}`,
    WEB_ROOT: WEB_DIST,
    MEDIA_ROOT: path.join(dirs.data, "media"),
    PRIVATE_ROOT: path.join(dirs.data, "private"),
    NGINX_DIR: dirs.conf,
    NGINX_LOG_DIR: dirs.nginxLogs,
    ACME_ROOT: dirs.acme,
    TLS_CERTIFICATE: path.join(tmp, "tls/fullchain.pem"),
    TLS_CERTIFICATE_KEY: path.join(tmp, "tls/privkey.pem"),
  };
  const mimeTypes = path.join(tmp, "nginx/mime.types");
  if (existsSync("/etc/nginx/mime.types")) copyFileSync("/etc/nginx/mime.types", mimeTypes);
  else
    writeFileSync(
      mimeTypes,
      "types { text/html html; text/css css; application/javascript js mjs; image/png png; image/svg+xml svg; }\n",
    );
  /** Debian's nginx.conf, reduced to what the site relies on, with every path in the temporary directory. */
  const mainConfig = (siteFile) => `${workerUser ? `user ${workerUser};\n` : ""}worker_processes 2;
events { worker_connections 512; }
http {
    include ${mimeTypes};
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    access_log ${dirs.nginxLogs}/access.log;
    client_body_temp_path ${dirs.nginxTemp}/body;
    proxy_temp_path ${dirs.nginxTemp}/proxy;
    fastcgi_temp_path ${dirs.nginxTemp}/fastcgi;
    uwsgi_temp_path ${dirs.nginxTemp}/uwsgi;
    scgi_temp_path ${dirs.nginxTemp}/scgi;
    include ${siteFile};
}
`;
  const nginxArgs = (configFile) => [
    "-e",
    "stderr",
    "-p",
    path.join(tmp, "nginx"),
    "-c",
    configFile,
    "-g",
    `daemon off; pid ${path.join(tmp, "nginx/nginx.pid")}; error_log stderr;`,
  ];
  const nginxConf = path.join(tmp, "nginx/nginx.conf");

  let nginxReady = false;
  await check("nginx config renders and passes nginx -t", () => {
    renderNginxConfig({ vars, outDir: dirs.conf, templateDir: NGINX_TEMPLATES });
    writeFileSync(nginxConf, mainConfig(path.join(dirs.conf, "cairn.conf")));
    const test = run(nginx, [...nginxArgs(nginxConf), "-t"]);
    expect(test.code === 0, tail(test.stderr));
    nginxReady = true;
    return `${readdirSync(dirs.conf).join(", ")}`;
  });

  await check("TLS=on: the commented TLS servers are valid (self-signed certificate, nginx -t)", () => {
    if (!which("openssl")) return { skip: "openssl is not installed" };
    mkdirSync(path.join(tmp, "tls"), { recursive: true });
    const cert = run("openssl", [
      ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=cairn.test"],
      ...["-keyout", vars.TLS_CERTIFICATE_KEY, "-out", vars.TLS_CERTIFICATE],
    ]);
    expect(cert.code === 0, tail(cert.stderr));
    const tlsConf = path.join(tmp, "nginx/tls");
    renderNginxConfig({
      vars: { ...vars, TLS: "on", NGINX_DIR: tlsConf },
      outDir: tlsConf,
      templateDir: NGINX_TEMPLATES,
    });
    const site = readFileSync(path.join(tlsConf, "cairn.conf"), "utf8");
    expect(!/BEGIN plain HTTP server/.test(site), "the plain HTTP server is still there");
    expect(/^\s*ssl_certificate /m.test(site), "no ssl_certificate");
    expect(/^\s*return 301 https:\/\/\$host\$request_uri;/m.test(site), "no HTTP → HTTPS redirect");
    expect(/^\s*set \$cairn_hsts "max-age=\d+/m.test(site), "no HSTS policy in the TLS server");
    writeFileSync(path.join(tmp, "nginx/nginx-tls.conf"), mainConfig(path.join(tlsConf, "cairn.conf")));
    const test = run(nginx, [...nginxArgs(path.join(tmp, "nginx/nginx-tls.conf")), "-t"]);
    expect(test.code === 0, tail(test.stderr));
  });

  await check("systemd units parse (systemd-analyze verify)", () => {
    const analyze = which("systemd-analyze");
    if (!analyze) return { skip: "systemd-analyze is not installed" };
    const unitDir = path.join(tmp, "systemd");
    mkdirSync(unitDir, { recursive: true });
    const source = path.join(ROOT, "deploy/systemd");
    copyFileSync(path.join(source, "cairn-web@.service"), path.join(unitDir, `cairn-web@${port1}.service`));
    for (const unit of ["cairn-worker.service", "cairn-migrate.service", "cairn.target"])
      copyFileSync(path.join(source, unit), path.join(unitDir, unit));
    const units = readdirSync(unitDir).map((unit) => path.join(unitDir, unit));
    const verify = run(analyze, ["verify", "--man=no", ...units], {
      env: { ...process.env, SYSTEMD_LOG_LEVEL: "warning" },
    });
    // Units refer to the user `cairn` and /srv/cairn, which this machine need not have: only syntax counts.
    const problems = (verify.stdout + verify.stderr)
      .split("\n")
      .filter(
        (line) =>
          line.trim() &&
          !/cairn\b.*(user|group)|User=|Group=|\/srv\/cairn|Failed to resolve|not found|No such file|Unit .* not found|is not executable|Command .* is not/.test(
            line,
          ),
      );
    expect(problems.length === 0, problems.join("\n"));
    return units.map((unit) => path.basename(unit)).join(", ");
  });

  if (!nginxReady) return summary();
  const nginxProcess = startProcess("nginx", nginx, nginxArgs(nginxConf), {
    env: process.env,
    logFile: path.join(dirs.nginxLogs, "nginx.stderr.log"),
  });
  await check("nginx starts as an ordinary process on a loopback port", async () => {
    await waitFor("nginx answers", async () => {
      if (nginxProcess.exited)
        throw new CheckFailed(
          `nginx exited: ${tail(readFileSync(path.join(dirs.nginxLogs, "nginx.stderr.log"), "utf8"))}`,
        );
      return (await request("GET", "/index.html", { port: nginxPort })).status > 0;
    });
    return `${base} → 127.0.0.1:${port1}, 127.0.0.1:${port2}`;
  });

  if (!serverBuilt) {
    fail("server", `${path.relative(ROOT, SERVER_ENTRY)} is missing: nothing to deploy`);
    return summary();
  }

  // --- PostgreSQL and Redis ---------------------------------------------------------------------
  const { default: pg } = await import("pg");
  const adminUrl =
    process.env.DEPLOY_TEST_DATABASE_URL ??
    process.env.DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/postgres";
  const databaseName = `cairn_deploy_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${databaseName}`);
  } catch (error) {
    fail(
      "fresh PostgreSQL database",
      `${adminUrl.replace(/:[^:@/]*@/, ":***@")}: ${error instanceof Error ? error.message : String(error)}`,
    );
    await admin.end().catch(() => {});
    return summary();
  }
  cleanups.push(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  });
  const databaseUrl = (() => {
    const url = new URL(adminUrl);
    url.pathname = `/${databaseName}`;
    return url.toString();
  })();
  pass("fresh PostgreSQL database", databaseName);

  const redisUrl = process.env.DEPLOY_TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0";
  const redisPrefix = `cairn-deploy-${randomBytes(6).toString("hex")}:`;
  cleanups.push(async () => {
    const { Redis } = await import("ioredis");
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    await redis.quit();
  });

  // --- the production environment ----------------------------------------------------------------
  const secretKey = randomBytes(48).toString("base64url");
  const metricsToken = randomBytes(24).toString("hex");
  const appEnv = {
    PATH: `${path.join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
    HOME: process.env.HOME ?? tmp,
    LANG: process.env.LANG ?? "C.UTF-8",
    NODE_ENV: "production",
    SECRET_KEY: secretKey,
    PUBLIC_URL: "https://cairn.test",
    ALLOWED_HOSTS: "cairn.test,127.0.0.1,localhost",
    TRUST_PROXY: "127.0.0.1",
    SERVE_STATIC: "false",
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    DATA_DIR: dirs.data,
    WEB_DIST,
    MAIL_URL: `file://${dirs.mail}`,
    MAIL_FROM: "Cairn <no-reply@cairn.test>",
    LOG_LEVEL: "info",
    METRICS_TOKEN: metricsToken,
  };
  const command = (args) =>
    RUNTIME === "tsx"
      ? [path.join(ROOT, "node_modules/.bin/tsx"), [SERVER_ENTRY, ...args]]
      : [NODE, [SERVER_ENTRY, ...args]];
  const cli = (args, extraEnv = {}) => {
    const [bin, argv] = command(args);
    return run(bin, argv, { cwd: ROOT, env: { ...appEnv, ...extraEnv }, timeout: 120_000 });
  };

  const migrated = cli(["migrate"]);
  if (migrated.code !== 0) {
    fail("migrate", tail(migrated.stdout + migrated.stderr));
    return summary();
  }
  pass(
    "migrate",
    `${RUNTIME === "tsx" ? "tsx apps/server/src/main.ts" : "node apps/server/dist/main.js"} migrate`,
  );

  await check("check --deploy passes the production environment", () => {
    const result = cli(["check", "--deploy"], {
      MAIL_URL: "smtp://mail.cairn.test:587",
      LOG_FILE: path.join(dirs.logs, "check.log"),
    });
    const output = result.stdout + result.stderr;
    if (!/System check identified/.test(output))
      return { skip: `not wired in the CLI yet: ${tail(output, 2)}` };
    expect(result.code === 0, tail(output));
    return tail(output, 1);
  });

  const webLog = (port) => path.join(dirs.logs, `web-${port}.log`);
  const instances = new Map();
  const startWeb = (port) => {
    const [bin, argv] = command(["serve"]);
    const entry = startProcess(`web-${port}`, bin, argv, {
      env: { ...appEnv, PORT: String(port), LOG_FILE: webLog(port) },
      logFile: path.join(dirs.logs, `web-${port}.out`),
    });
    instances.set(port, entry);
    return entry;
  };
  const waitReady = (port, timeoutMs = 60_000) =>
    waitFor(
      `instance ${port} ready`,
      async () => {
        const entry = instances.get(port);
        if (entry?.exited)
          throw new CheckFailed(
            `instance ${port} exited (${JSON.stringify(entry.exited)}): ${tail(readFileSync(path.join(dirs.logs, `web-${port}.out`), "utf8"), 8)}`,
          );
        return (await request("GET", "/api/ready", { port, localAddress: "127.0.0.1" })).status === 200;
      },
      timeoutMs,
      250,
    );

  startWeb(port1);
  startWeb(port2);
  const [bin, argv] = command(["worker"]);
  const worker = startProcess("worker", bin, argv, {
    env: { ...appEnv, LOG_FILE: path.join(dirs.logs, "worker.log") },
    logFile: path.join(dirs.logs, "worker.out"),
  });
  let webUp = false;
  await check("two web instances start and report ready", async () => {
    await Promise.all([waitReady(port1), waitReady(port2)]);
    webUp = true;
    return `ports ${port1} and ${port2}`;
  });
  await check("the worker starts and stays up", async () => {
    await sleep(1500);
    expect(
      !worker.exited,
      `worker exited: ${tail(readFileSync(path.join(dirs.logs, "worker.out"), "utf8"), 10)}`,
    );
  });
  if (!webUp) return summary();

  /** Why a process did not stop cleanly, from the last error it logged. */
  const lastError = (name) => {
    const errors = readLog(path.join(dirs.logs, `${name}.out`)).filter((entry) => entry.level >= 50);
    const last = errors.at(-1);
    return last ? ` (${last.msg}${last.err?.message ? `: ${last.err.message}` : ""})` : "";
  };
  const nodeLogs = () => [...readLog(webLog(port1)), ...readLog(webLog(port2))];
  const nodeSaw = (needle) => nodeLogs().some((entry) => JSON.stringify(entry).includes(needle));

  // --- static files straight from disk -------------------------------------------------------------
  await check(
    "a built asset is served by Nginx with a one-year immutable cache, without reaching Node",
    async () => {
      if (!webBuilt) throw new CheckFailed("apps/web/dist is not built");
      const assetsDir = path.join(WEB_DIST, "assets");
      const assets = existsSync(assetsDir)
        ? readdirSync(assetsDir).filter((file) => statSync(path.join(assetsDir, file)).isFile())
        : [];
      expect(assets.length > 0, "apps/web/dist/assets is empty");
      const asset = assets.find((file) => file.endsWith(".js")) ?? assets[0];
      const response = await request("GET", `/assets/${asset}`, { port: nginxPort });
      expect(response.status === 200, `GET /assets/${asset} → ${response.status}`);
      expect(
        response.buffer.equals(readFileSync(path.join(assetsDir, asset))),
        "the body differs from the file on disk",
      );
      expect(
        /max-age=31536000/.test(response.headers["cache-control"] ?? "") &&
          /immutable/.test(response.headers["cache-control"] ?? ""),
        `Cache-Control: ${response.headers["cache-control"]}`,
      );
      expect(response.headers["x-content-type-options"] === "nosniff", "no X-Content-Type-Options: nosniff");
      const gzipped = await request("GET", `/assets/${asset}`, {
        port: nginxPort,
        headers: { "accept-encoding": "gzip" },
      });
      const compressible = /\.(js|css|svg|json)$/.test(asset) && response.buffer.length > 1024;
      if (compressible) expect(gzipped.headers["content-encoding"] === "gzip", "not gzip-compressed");
      const missing = await request("GET", "/assets/does-not-exist-0000.js", { port: nginxPort });
      expect(missing.status === 404, `a missing asset → ${missing.status} (must be 404, never index.html)`);
      await sleep(300);
      expect(!nodeSaw(`/assets/${asset}`), "Node's log shows the asset request: it reached Node");
      return `/assets/${asset}${compressible ? ", gzip" : ""}`;
    },
  );

  await check(
    "the SPA: index.html revalidated, client-side routes fall back to it, /api/ never does",
    async () => {
      if (!webBuilt) throw new CheckFailed("apps/web/dist is not built");
      const index = readFileSync(path.join(WEB_DIST, "index.html"));
      for (const url of ["/", "/projects/123/tasks?view=board"]) {
        const response = await request("GET", url, { port: nginxPort });
        expect(
          response.status === 200 && response.buffer.equals(index),
          `GET ${url} → ${response.status}, not index.html`,
        );
        expect(
          response.headers["cache-control"] === "no-cache",
          `GET ${url}: Cache-Control ${response.headers["cache-control"]}`,
        );
        expect(
          response.headers["x-frame-options"] === "DENY" &&
            response.headers["referrer-policy"] === "same-origin" &&
            response.headers["cross-origin-opener-policy"] === "same-origin",
          `GET ${url}: security headers missing`,
        );
      }
      const api = await request("GET", "/api/no-such-endpoint", { port: nginxPort });
      expect(
        api.status === 404 && !api.buffer.equals(index) && /json/.test(api.headers["content-type"] ?? ""),
        `GET /api/no-such-endpoint → ${api.status} ${api.headers["content-type"]}`,
      );
      await sleep(300);
      expect(!nodeSaw("/projects/123/tasks"), "a client-side route reached Node");
    },
  );

  await check(
    "an avatar in DATA_DIR/media is served by Nginx with nosniff, without reaching Node",
    async () => {
      // The smallest valid PNG (1×1, transparent).
      const png = Buffer.from(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
          "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
        "hex",
      );
      const name = `deploy-test-${randomBytes(4).toString("hex")}.png`;
      writeFileSync(path.join(dirs.data, "media/avatars", name), png);
      const response = await request("GET", `/media/avatars/${name}`, { port: nginxPort });
      expect(
        response.status === 200 && response.buffer.equals(png),
        `GET /media/avatars/${name} → ${response.status}`,
      );
      expect(
        response.headers["content-type"] === "image/png",
        `Content-Type ${response.headers["content-type"]}`,
      );
      expect(response.headers["x-content-type-options"] === "nosniff", "no X-Content-Type-Options: nosniff");
      writeFileSync(path.join(dirs.data, "media/avatars", "not-an-image.html"), "<script>alert(1)</script>");
      const html = await request("GET", "/media/avatars/not-an-image.html", { port: nginxPort });
      expect(
        !/text\/html/.test(html.headers["content-type"] ?? ""),
        "an HTML file in media is served as text/html",
      );
      await sleep(300);
      expect(!nodeSaw(name), "Node's log shows the avatar request: it reached Node");
    },
  );

  // --- the API through the proxy -------------------------------------------------------------------
  let health;
  await check("GET /api/health through Nginx → 200, with Nginx's request id", async () => {
    health = await request("GET", "/api/health", { port: nginxPort });
    expect(health.status === 200, `→ ${health.status} ${health.text.slice(0, 200)}`);
    expect(health.json().status === "ok", health.text);
    const requestId = health.headers["x-request-id"] ?? "";
    expect(
      /^[0-9a-f]{32}$/.test(requestId),
      `X-Request-Id ${requestId || "missing"}: not Nginx's $request_id`,
    );
    await waitFor(
      "Node logs the request under Nginx's id",
      () => nodeLogs().some((entry) => entry.reqId === requestId),
      5000,
    );
    // Nginx writes its access log line after the response: wait for it rather than read at once.
    await waitFor(
      "Nginx's access log has the request id",
      () => readFileSync(path.join(dirs.nginxLogs, "cairn.access.log"), "utf8").includes(`request_id=${requestId}`),
      5000,
    );
    return `X-Request-Id ${requestId}`;
  });

  await check("GET /api/metrics: each instance answers Prometheus with METRICS_TOKEN; Nginx does not serve it", async () => {
    const outside = await request("GET", "/api/metrics", { port: nginxPort, headers: { authorization: `Bearer ${metricsToken}` } });
    expect(outside.status === 404, `through Nginx → ${outside.status}`);
    for (const port of [port1, port2]) {
      const scraped = await request("GET", "/api/metrics", { port, localAddress: "127.0.0.1", headers: { authorization: `Bearer ${metricsToken}` } });
      expect(scraped.status === 200, `127.0.0.1:${port} → ${scraped.status} ${scraped.text.slice(0, 200)}`);
      expect(/^http_requests_total\{/m.test(scraped.text) && /^cairn_realtime_open_sockets /m.test(scraped.text), "no request or socket metrics");
      const anonymous = await request("GET", "/api/metrics", { port, localAddress: "127.0.0.1" });
      expect(anonymous.status === 401, `without the token → ${anonymous.status}`);
    }
    return "404 outside, 200 on both instances";
  });

  const suffix = randomBytes(4).toString("hex");
  const password = `Deploy-${randomBytes(12).toString("base64url")}!9`;
  const user = {
    email: `deploy-${suffix}@cairn.test`,
    username: `deploy_${suffix}`,
    password,
    accountType: "developer",
  };
  let access = null;
  await check("register and log in through Nginx", async () => {
    const registered = await request("POST", "/api/auth/register", { port: nginxPort, body: user });
    expect(registered.status === 201, `register → ${registered.status} ${registered.text.slice(0, 300)}`);
    const login = await request("POST", "/api/auth/login", {
      port: nginxPort,
      body: { login: user.username, password },
    });
    expect(login.status === 200, `login → ${login.status} ${login.text.slice(0, 300)}`);
    access = login.json().access;
    expect(typeof access === "string" && access.length > 20, "no access token in the login response");
    const me = await request("GET", "/api/me", {
      port: nginxPort,
      headers: { authorization: `Bearer ${access}` },
    });
    expect(me.status === 200, `GET /api/me → ${me.status}`);
  });

  await check(
    "Node sees the client's address (from Nginx), not Nginx's, and ignores a forged X-Forwarded-For",
    async () => {
      const response = await request("GET", "/api/health", {
        port: nginxPort,
        localAddress: CLIENT,
        headers: { "x-forwarded-for": FORGED_ADDRESS },
      });
      const requestId = response.headers["x-request-id"];
      const entry = await waitFor(
        "Node's log line for the request",
        () => nodeLogs().find((line) => line.reqId === requestId && line.req),
        5000,
      );
      const seen = entry.req.remoteAddress ?? entry.req.ip;
      expect(
        seen === CLIENT,
        `Node logged ${seen} for a client at ${CLIENT} (Nginx connects from 127.0.0.1, forged ${FORGED_ADDRESS})`,
      );
      return `client ${CLIENT} logged as ${seen}`;
    },
  );

  // --- realtime through Nginx --------------------------------------------------------------------
  const { io } = await import("socket.io-client");
  const sockets = [];
  cleanups.push(() => sockets.forEach((socket) => socket.close()));
  const connectSocket = (options) =>
    new Promise((resolve, reject) => {
      const socket = io(base, { path: "/ws", reconnection: false, timeout: 5000, ...options });
      sockets.push(socket);
      socket.once("connect", () => resolve(socket));
      socket.once("connect_error", (error) => {
        socket.close();
        reject(error);
      });
    });
  await check(
    "a WebSocket connects through Nginx with an access token (and is refused without one)",
    async () => {
      expect(access, "no access token (login failed)");
      const socket = await connectSocket({ auth: { token: access }, transports: ["websocket"] });
      expect(socket.io.engine.transport.name === "websocket", `transport ${socket.io.engine.transport.name}`);
      socket.close();
      const refused = await connectSocket({ transports: ["websocket"] }).then(
        () => false,
        () => true,
      );
      expect(refused, "a socket without a token was accepted");
    },
  );
  await check(
    "Socket.IO long-polling upgrades to a WebSocket through Nginx (sticky to one instance)",
    async () => {
      expect(access, "no access token (login failed)");
      const socket = await connectSocket({ auth: { token: access } });
      await waitFor("upgrade to websocket", () => socket.io.engine.transport.name === "websocket", 5000);
      socket.close();
    },
  );

  // --- errors show no internals -------------------------------------------------------------------
  await check("an unknown URL shows no internals", async () => {
    for (const url of [
      "/api/does-not-exist",
      "/api/orgs/not-a-uuid/members",
      "/assets/nope.js",
      "/_protected/anything",
    ]) {
      const response = await request("GET", url, {
        port: nginxPort,
        headers: access ? { authorization: `Bearer ${access}` } : {},
      });
      expect(response.status >= 400 && response.status < 500, `GET ${url} → ${response.status}`);
      const found = leaks(response.text);
      expect(found.length === 0, `GET ${url} shows ${found.join(", ")}: ${response.text.slice(0, 200)}`);
      expect(!/\d/.test(response.headers.server ?? ""), `Server header ${response.headers.server}`);
    }
    const malformed = await request("POST", "/api/auth/login", {
      port: nginxPort,
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(
      malformed.status === 400 && leaks(malformed.text).length === 0,
      `malformed JSON → ${malformed.status}: ${malformed.text.slice(0, 200)}`,
    );
  });

  await check("a server error (database failure) shows no internals", async () => {
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query("ALTER TABLE users RENAME TO users_hidden_by_deploy_test");
    let response;
    try {
      response = await request("POST", "/api/auth/login", {
        port: nginxPort,
        localAddress: OTHER_CLIENT,
        body: { login: user.username, password },
      });
    } finally {
      await db.query("ALTER TABLE users_hidden_by_deploy_test RENAME TO users");
      await db.end();
    }
    expect(response.status === 500, `→ ${response.status} ${response.text.slice(0, 200)}`);
    expect(
      /problem\+json/.test(response.headers["content-type"] ?? ""),
      `Content-Type ${response.headers["content-type"]}`,
    );
    const found = leaks(response.text);
    expect(
      found.length === 0 && !/users/.test(response.text),
      `the body shows ${found.join(", ") || "the table name"}: ${response.text.slice(0, 300)}`,
    );
  });

  // --- private files: X-Accel-Redirect -------------------------------------------------------------
  await check(
    "a project file: refused without permission, served by Nginx through X-Accel-Redirect with it",
    async () => {
      const owner = { email: `owner-${suffix}@cairn.test`, username: `owner_${suffix}`, password };
      const created = cli([
        "createsuperuser",
        "--email",
        owner.email,
        "--username",
        owner.username,
        "--password",
        password,
      ]);
      expect(created.code === 0, `createsuperuser: ${tail(created.stdout + created.stderr, 5)}`);
      const login = await request("POST", "/api/auth/login", {
        port: nginxPort,
        localAddress: OTHER_CLIENT,
        body: { login: owner.username, password },
      });
      expect(login.status === 200, `superuser login → ${login.status}`);
      const auth = { authorization: `Bearer ${login.json().access}` };
      // A project in an organization of its own, where the self-registered user is not a member.
      const org = await request("POST", "/api/orgs", {
        port: nginxPort,
        localAddress: OTHER_CLIENT,
        headers: auth,
        body: { name: `Deploy ${suffix}`, slug: `deploy-${suffix}` },
      });
      if (org.status === 404) return { skip: "POST /api/orgs is not available yet" };
      expect(org.status === 201, `POST /api/orgs → ${org.status} ${org.text.slice(0, 200)}`);
      const orgId = org.json().id;
      const project = await request("POST", "/api/projects", {
        port: nginxPort,
        localAddress: OTHER_CLIENT,
        headers: auth,
        body: { orgId, name: `Deploy test ${suffix}` },
      });
      if (project.status === 404) return { skip: "POST /api/projects is not available yet (projects issue)" };
      expect(project.status === 201, `POST /api/projects → ${project.status} ${project.text.slice(0, 200)}`);
      const projectId = project.json().id;
      const content = Buffer.from(`private deploy-test content ${suffix}\n`);
      const form = multipart({}, { name: "contract.txt", type: "text/plain", content });
      const upload = await request("POST", `/api/projects/${projectId}/files`, {
        port: nginxPort,
        localAddress: OTHER_CLIENT,
        headers: { ...auth, "content-type": form.contentType },
        body: form.body,
      });
      if (upload.status === 404)
        return { skip: `POST /api/projects/{id}/files is not available yet (${upload.text.slice(0, 100)})` };
      expect(
        upload.status === 201 || upload.status === 200,
        `upload → ${upload.status} ${upload.text.slice(0, 200)}`,
      );
      const fileId = upload.json().id;
      const download = `/api/files/${fileId}/download`;

      const anonymous = await request("GET", download, { port: nginxPort });
      expect(
        anonymous.status === 401 && !anonymous.buffer.includes(content),
        `without a token → ${anonymous.status}`,
      );
      const stranger = await request("GET", download, {
        port: nginxPort,
        headers: { authorization: `Bearer ${access}` },
      });
      expect(
        (stranger.status === 404 || stranger.status === 403) && !stranger.buffer.includes(content),
        `a user of another organization → ${stranger.status}`,
      );

      const direct = await request("GET", download, {
        port: port1,
        localAddress: "127.0.0.1",
        headers: auth,
      });
      const redirect = direct.headers["x-accel-redirect"] ?? "";
      expect(
        direct.status === 200 && redirect.startsWith("/_protected/") && direct.buffer.length === 0,
        `Node answered ${direct.status} with X-Accel-Redirect "${redirect}" and ${direct.buffer.length} bytes (it must hand the file to Nginx)`,
      );
      const served = await request("GET", download, {
        port: nginxPort,
        localAddress: OTHER_CLIENT,
        headers: auth,
      });
      expect(
        served.status === 200 && served.buffer.equals(content),
        `through Nginx → ${served.status}, ${served.buffer.length} bytes`,
      );
      expect(!served.headers["x-accel-redirect"], "X-Accel-Redirect leaked to the client");
      expect(
        /attachment/.test(served.headers["content-disposition"] ?? ""),
        `Content-Disposition ${served.headers["content-disposition"]}`,
      );
      const internal = await request("GET", redirect, { port: nginxPort });
      expect(internal.status === 404, `GET ${redirect} directly → ${internal.status}`);
      return `X-Accel-Redirect: ${redirect}`;
    },
  );

  await check("the worker runs jobs (a password-reset email reaches the mail backend)", async () => {
    const reset = await request("POST", "/api/auth/password-reset", {
      port: nginxPort,
      localAddress: OTHER_CLIENT,
      body: { email: user.email },
    });
    if (reset.status === 404) return { skip: "POST /api/auth/password-reset is not available yet" };
    expect(reset.status === 202, `password-reset → ${reset.status}`);
    await waitFor(
      "an email file in MAIL_URL's directory",
      () => existsSync(dirs.mail) && readdirSync(dirs.mail, { recursive: true }).length > 0,
      20_000,
      250,
    );
  });

  // --- a rolling restart under load ---------------------------------------------------------------
  await check("both instances take traffic (Nginx balances between them)", async () => {
    for (let i = 0; i < 20; i += 1)
      await request("GET", "/api/health", { port: nginxPort, localAddress: STREAM_CLIENT });
    const lines = readFileSync(path.join(dirs.nginxLogs, "cairn.access.log"), "utf8")
      .split("\n")
      .filter((line) => line.includes("GET /api/health"));
    const used = new Set(
      lines.map((line) => /upstream=(\S+)/.exec(line)?.[1]).filter((addr) => addr && addr !== "-"),
    );
    expect(
      used.has(`127.0.0.1:${port1}`) && used.has(`127.0.0.1:${port2}`),
      `upstreams used: ${[...used].join(", ")}`,
    );
  });

  await check(
    "a rolling restart (SIGTERM each instance in turn) under a stream of requests loses none",
    async () => {
      expect(access, "no access token (login failed)");
      // Realtime clients spread over both instances by their address; those on a stopped instance must come back.
      const realtime = [];
      for (let i = 0; i < 8; i += 1) {
        const socket = io(base, {
          path: "/ws",
          auth: { token: access },
          transports: ["websocket"],
          localAddress: `127.0.0.${20 + i}`,
          reconnectionDelay: 200,
          reconnectionDelayMax: 1000,
        });
        sockets.push(socket);
        const state = { socket, disconnects: 0, reasons: [] };
        socket.on("disconnect", (reason) => {
          state.disconnects += 1;
          state.reasons.push(reason);
        });
        realtime.push(state);
      }
      await waitFor(
        "all realtime clients connected",
        () => realtime.every((state) => state.socket.connected),
        10_000,
      );

      const outcomes = { ok: 0, failures: [] };
      let streaming = true;
      const note = (label, response) => {
        if (response.status >= 200 && response.status < 300) outcomes.ok += 1;
        else outcomes.failures.push(`${label} → ${response.status}`);
      };
      const getLoop = async (n) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        while (streaming) {
          await request("GET", "/api/health", { port: nginxPort, localAddress: STREAM_CLIENT, agent }).then(
            (response) => note("GET /api/health", response),
            (error) => outcomes.failures.push(`GET /api/health → ${error.code ?? error.message}`),
          );
          if (n === 0) await sleep(1);
        }
        agent.destroy();
      };
      // Authenticated calls that reach the database, a GET and a POST. The API allows 600 requests a minute
      // per client address, so each loop spreads its requests over several loopback addresses.
      const apiLoop = async (method, url, body, addresses) => {
        const agents = addresses.map((localAddress) => ({
          localAddress,
          agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
        }));
        for (let n = 0; streaming; n += 1) {
          const { localAddress, agent } = agents[n % agents.length];
          await request(method, url, {
            port: nginxPort,
            localAddress,
            agent,
            headers: { authorization: `Bearer ${access}` },
            body,
          }).then(
            (response) => note(`${method} ${url}`, response),
            (error) => outcomes.failures.push(`${method} ${url} → ${error.code ?? error.message}`),
          );
          await sleep(40);
        }
        agents.forEach(({ agent }) => agent.destroy());
      };
      const addresses = (first) => Array.from({ length: 6 }, (_, i) => `127.0.${first}.${i + 1}`);
      const loops = [0, 1, 2, 3].map((n) => getLoop(n));
      loops.push(
        apiLoop("GET", "/api/me", undefined, addresses(5)),
        apiLoop("POST", "/api/auth/verify", { token: access }, addresses(6)),
      );

      const stops = [];
      try {
        await sleep(1000);
        for (const port of [port1, port2]) {
          const entry = instances.get(port);
          const started = Date.now();
          const exited = await stopProcess(entry, "SIGTERM", 35_000);
          stops.push({ port, ms: Date.now() - started, ...exited });
          await sleep(500);
          startWeb(port);
          await waitReady(port);
          // As the unit's ExecStartPost does: longer than the upstream's fail_timeout (3 s), so Nginx uses it again.
          await sleep(4000);
        }
        await sleep(1000);
      } finally {
        streaming = false;
        await Promise.all(loops);
      }
      await waitFor(
        "every realtime client connected again",
        () => realtime.every((state) => state.socket.connected),
        15_000,
      ).catch((error) => {
        const lost = realtime
          .filter((state) => !state.socket.connected)
          .map((state) => state.reasons.join("/"));
        throw new CheckFailed(
          `${error.message}; ${lost.length} clients not reconnected (disconnect reasons: ${lost.join(", ")})`,
        );
      });
      const moved = realtime.filter((state) => state.disconnects > 0).length;
      realtime.forEach((state) => state.socket.close());

      const stopReport = stops
        .map(
          (stop) =>
            `${stop.port}: exit ${stop.code ?? stop.signal}${stop.killed ? " (killed after 35 s)" : ""} in ${stop.ms} ms${stop.code === 0 ? "" : lastError(`web-${stop.port}`)}`,
        )
        .join("; ");
      const problems = [];
      if (outcomes.failures.length) {
        const counts = {};
        for (const failure of outcomes.failures) counts[failure] = (counts[failure] ?? 0) + 1;
        problems.push(
          `${outcomes.failures.length} of ${outcomes.ok + outcomes.failures.length} requests failed: ${Object.entries(
            counts,
          )
            .map(([what, n]) => `${n}× ${what}`)
            .join(", ")}`,
        );
      }
      const ungraceful = stops.filter((stop) => stop.code !== 0 || stop.killed);
      if (ungraceful.length) problems.push(`not a graceful exit: ${stopReport}`);
      expect(problems.length === 0, problems.join("; "));
      return `${outcomes.ok} requests, none lost; ${stopReport}; ${moved} of ${realtime.length} realtime clients moved to the other instance`;
    },
  );

  await check("instances and worker stop gracefully on SIGTERM (exit 0)", async () => {
    const entries = [...instances.values(), worker];
    const exits = await Promise.all(entries.map((entry) => stopProcess(entry, "SIGTERM", 35_000)));
    const report = entries
      .map(
        (entry, i) =>
          `${entry.name}: ${exits[i].killed ? "killed after 35 s" : `exit ${exits[i].code ?? exits[i].signal}`}${exits[i].code === 0 ? "" : lastError(entry.name)}`,
      )
      .join(", ");
    expect(
      exits.every((exited) => exited.code === 0 && !exited.killed),
      report,
    );
    return report;
  });

  await stopProcess(nginxProcess, "SIGQUIT", 10_000);
  return summary();
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  fail("deployment test", error instanceof Error ? (error.stack ?? error.message) : String(error));
  exitCode = summary();
} finally {
  await cleanup();
}
process.exit(exitCode);
