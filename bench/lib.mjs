// Shared pieces of the benchmarks: a fresh PostgreSQL database, a Cairn server process, autocannon runs.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";

export const root = path.resolve(import.meta.dirname, "..");

export function serverUrl(base, database) {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Creates a database for this run on the server of BENCH_DATABASE_URL (or DATABASE_URL); dropped by the returned function. */
export async function freshDatabase(label) {
  const base =
    process.env.BENCH_DATABASE_URL ??
    process.env.DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `cairn_bench_${label}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl(base, "postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: serverUrl(base, name),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl(base, "postgres") });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Runs a Cairn CLI command to completion. */
export function cairn(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["apps/server/src/main.ts", ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`cairn ${args.join(" ")} exited ${code}`)),
    );
  });
}

/**
 * A command line that runs `command` with the soft limit of open files raised to `files` (at most the
 * hard limit): a process holding thousands of sockets needs more descriptors than the usual 1,024.
 */
export function withFileLimit(files, command, args) {
  if (!files) return [command, args];
  return [
    "/bin/sh",
    [
      "-c",
      `ulimit -n "$(hard=$(ulimit -Hn); [ "$hard" = unlimited ] || [ "$hard" -ge ${files} ] && echo ${files} || echo "$hard")" && exec "$@"`,
      "sh",
      command,
      ...args,
    ],
  ];
}

/** The soft limit of open files of a shell started as withFileLimit would start it. */
export function fileLimitFor(files) {
  const [command, args] = withFileLimit(files, "/bin/sh", ["-c", "ulimit -n"]);
  return Number(execFileSync(command, args, { encoding: "utf8" }).trim());
}

/**
 * Starts `cairn serve` (or `command`: `all` also works the jobs) and waits until it is ready;
 * `files` raises its limit of open files. `pid` is the process's (under a shell when `files` is set).
 */
export async function startCairn(env, { files, command: cairnCommand = "serve" } = {}) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "cairn-bench-"));
  const fullEnv = {
    NODE_ENV: "production",
    SECRET_KEY: randomBytes(48).toString("base64url"),
    PUBLIC_URL: "https://cairn.bench",
    SERVE_STATIC: "false",
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    RATE_LIMIT_PER_MINUTE: "100000000",
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    ...env,
  };
  await cairn(["migrate"], fullEnv);
  const [command, args] = withFileLimit(files, path.join(root, "node_modules/.bin/tsx"), [
    "apps/server/src/main.ts",
    cairnCommand,
  ]);
  // BENCH_LOG_LEVEL=info shows the server's log (its own timings) beside the bench's output.
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...fullEnv },
    stdio: ["ignore", process.env.BENCH_LOG_LEVEL ? "inherit" : "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${fullEnv.PORT}`;
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(`${url}/api/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return {
    url,
    env: fullEnv,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

/** The median of a list of numbers (0 when empty). */
export function median(values) {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * One autocannon run; returns req/s (mean), latency p99 in ms, and the
 * successful responses' latencies (ms, fractional: autocannon's own histogram
 * keeps whole milliseconds, too coarse to compare medians of a few ms).
 */
export async function measure(options) {
  const latencies = [];
  const instance = autocannon({
    connections: 10,
    duration: Number(process.env.BENCH_SECONDS ?? 10),
    ...options,
  });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  const errors = result.errors + result.timeouts + (result.non2xx ?? 0);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p99: result.latency.p99,
    median: median(latencies),
    latencies,
    errors,
  };
}

/**
 * Warms each target up (JIT, pool connections, prepared statements), then
 * measures them in turns, `rounds` times, so that a change in the machine's
 * load hits all of them alike. Returns, per target, the mean req/s, the worst
 * p99, the median latency of all its measured requests and the errors summed.
 */
export async function measureInTurns(targets, { rounds = 2, warmupSeconds = 3 } = {}) {
  for (const target of targets) await measure({ ...target, duration: warmupSeconds });
  const results = targets.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [index, target] of targets.entries()) results[index].push(await measure(target));
  }
  return results.map((runs) => ({
    requestsPerSecond: Math.round(runs.reduce((sum, run) => sum + run.requestsPerSecond, 0) / runs.length),
    p99: Math.max(...runs.map((run) => run.p99)),
    median: median(runs.flatMap((run) => run.latencies)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  }));
}

export function report(rows) {
  const width = Math.max(...rows.map((row) => row.name.length));
  for (const row of rows) {
    console.log(
      `${row.name.padEnd(width)}  ${String(row.requestsPerSecond).padStart(7)} req/s  p99 ${String(row.p99).padStart(5)} ms${row.errors ? `  (${row.errors} errors)` : ""}`,
    );
  }
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * A TCP proxy in front of PostgreSQL that reads the frontend side of the wire
 * protocol and records every statement its clients execute: a simple Query's
 * text, or an extended-protocol Execute with the text of the statement bound
 * (prepared once per connection under a name, or unnamed) and its parameters.
 * Point a server's DATABASE_URL at `url` to count what it sends to the
 * database, without an extension (pg_stat_statements needs a preload) and
 * without touching its code.
 */
export async function statementRecorder(databaseUrl, port) {
  const target = new URL(databaseUrl);
  const executed = [];
  const named = new Map();
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    upstream.pipe(client);
    let buffer = Buffer.alloc(0);
    let started = false;
    let unnamed = "";
    let bound = null;
    client.on("data", (chunk) => {
      upstream.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) break;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) break;
          const code = buffer.readInt32BE(4);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) started = true;
          buffer = buffer.subarray(length);
          continue;
        }
        if (buffer.length < 5) break;
        const total = 1 + buffer.readInt32BE(1);
        if (buffer.length < total) break;
        const type = String.fromCharCode(buffer[0]);
        const body = buffer.subarray(5, total);
        buffer = buffer.subarray(total);
        const cstring = (offset) => {
          const end = body.indexOf(0, offset);
          return { text: body.toString("utf8", offset, end), next: end + 1 };
        };
        if (type === "Q") executed.push({ text: cstring(0).text, params: [], name: "" });
        else if (type === "P") {
          const name = cstring(0);
          const text = cstring(name.next).text;
          if (name.text) named.set(name.text, text);
          else unnamed = text;
        } else if (type === "B") {
          const portal = cstring(0);
          const statement = cstring(portal.next);
          let offset = statement.next;
          const formats = body.readInt16BE(offset);
          offset += 2 + 2 * formats;
          const count = body.readInt16BE(offset);
          offset += 2;
          const params = [];
          for (let index = 0; index < count; index++) {
            const length = body.readInt32BE(offset);
            offset += 4;
            if (length < 0) params.push(null);
            else {
              params.push(body.toString("utf8", offset, offset + length));
              offset += length;
            }
          }
          bound = {
            name: statement.text,
            text: statement.text ? (named.get(statement.text) ?? "?") : unnamed,
            params,
          };
        } else if (type === "E" && bound) executed.push(bound);
      }
    });
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    /** Statements executed since the last call, transaction control (begin, commit, rollback) left out. */
    take() {
      const statements = executed
        .splice(0)
        .filter((each) => !/^\s*(begin|commit|rollback)\b/i.test(each.text));
      return statements;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  };
}

/**
 * Starts a bench's worker script (`bench/<script>`) under tsx, so it can import the server's
 * TypeScript. The worker speaks JSON lines on stdout (other lines, and pino log lines, are skipped);
 * `next` resolves with its next message, `send` writes a line to its stdin, `close` ends that.
 */
export function benchWorker(script, args, env) {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), [`bench/${script}`, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const queue = [];
  const waiting = [];
  let buffer = "";
  child.stdout.on("data", (chunk) => {
    buffer += chunk;
    for (let index = buffer.indexOf("\n"); index >= 0; index = buffer.indexOf("\n")) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 1);
      if (!line.startsWith("{")) continue;
      const message = JSON.parse(line);
      if (message.level !== undefined && message.msg !== undefined) continue; // a log line
      const next = waiting.shift();
      if (next) next(message);
      else queue.push(message);
    }
  });
  return {
    next: () =>
      queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve)),
    send: (line) => child.stdin.write(`${line}\n`),
    close: () => child.stdin.end(),
    exited: new Promise((resolve) => child.once("exit", resolve)),
  };
}
