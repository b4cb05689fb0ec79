// Shared pieces of the benchmarks: a fresh PostgreSQL database, a Cairn server process, autocannon runs.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
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

/** Starts `cairn serve` and waits until it is ready. */
export async function startCairn(env) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "cairn-bench-"));
  const fullEnv = {
    NODE_ENV: "production",
    SECRET_KEY: randomBytes(48).toString("base64url"),
    PUBLIC_URL: "https://cairn.bench",
    SERVE_STATIC: "false",
    LOG_LEVEL: "warn",
    RATE_LIMIT_PER_MINUTE: "100000000",
    DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    ...env,
  };
  await cairn(["migrate"], fullEnv);
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["apps/server/src/main.ts", "serve"], {
    cwd: root,
    env: { ...process.env, ...fullEnv },
    stdio: ["ignore", "ignore", "inherit"],
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
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

/** One autocannon run; returns req/s (mean) and latency p99 in ms. */
export async function measure(options) {
  const result = await autocannon({
    connections: 10,
    duration: Number(process.env.BENCH_SECONDS ?? 10),
    ...options,
  });
  const errors = result.errors + result.timeouts + (result.non2xx ?? 0);
  return { requestsPerSecond: Math.round(result.requests.average), p99: result.latency.p99, errors };
}

/**
 * Warms each target up (JIT, pool connections, prepared statements), then
 * measures them in turns, `rounds` times, so that a change in the machine's
 * load hits all of them alike. Returns, per target, the mean req/s, the worst
 * p99 and the errors summed.
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
