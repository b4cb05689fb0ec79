#!/usr/bin/env node
// Issue 12's realtime benchmark, on PostgreSQL and Redis (REDIS_URL, default redis://127.0.0.1:6379):
//   1. one Cairn server process holding 5,000 authenticated sockets (Socket.IO under /ws, each with
//      the access token of a session of its own in the handshake); a task's title is changed through
//      PATCH /api/tasks/{id}, and its task.updated reaches the 1,000 sockets of the people who may see
//      it (and none of the 4,000 others): delivery p99 < 50 ms;
//   2. the same on two instances sharing Redis (the @socket.io/redis-adapter), the sockets split
//      between them and the change made through the first: delivery p99 < 20 ms;
//   and, for reference, the floor: a bare Socket.IO server sending the same task to the same sockets.
// Delivery is measured from the moment the PATCH is sent to each socket's receipt, on one clock
// (CLOCK_MONOTONIC, process.hrtime.bigint(), in every process); the clients run in their own processes.
// Exits 1 when a target is missed, a socket hears a change it may not see, or one of the audience
// misses one.
// Usage: npm run bench:realtime   (BENCH_ROUNDS=40 changes measured after 5 of warm-up; BENCH_CLIENTS=4
// client processes; BENCH_SOCKETS=5000 and BENCH_AUDIENCE=1000)
import { fork, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { fileLimitFor, freshDatabase, root, startCairn, withFileLimit } from "./lib.mjs";

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 5000);
const AUDIENCE = Number(process.env.BENCH_AUDIENCE ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const WARMUP = 5;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** Descriptors a process needs besides its sockets (database pools, Redis, files, the event loop). */
const SPARE_FILES = 512;
const TARGETS = { single: 50, redis: 20 };

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited ${code}`)),
    );
  });
}

async function api(base, method, url, body, token) {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A client process; `ask` sends a message and resolves with the first answer that has `key`. */
function startClients(files) {
  const [command, args] = withFileLimit(files, process.execPath, [
    path.join(import.meta.dirname, "realtime-clients.mjs"),
  ]);
  // fork() wants a module: the shell that raises the limit execs node, which keeps the IPC channel (fd 3).
  const child = fork(args.at(-1), [], {
    execPath: command,
    execArgv: args.slice(0, -1),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = [];
  child.on("message", (message) => {
    const index = waiting.findIndex(({ key }) => key in message);
    if (index >= 0) waiting.splice(index, 1)[0].resolve(message);
  });
  const ask = (message, key) =>
    new Promise((resolve) => {
      waiting.push({ key, resolve });
      if (message) child.send(message);
    });
  return { child, ask, ready: ask(null, "ready") };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Opens the sockets (token i on urls[i % urls.length]) from CLIENTS processes, then makes WARMUP + ROUNDS
 * changes, one at a time, each once the audience heard the previous one (`change(round)` makes one and
 * returns the moment it counts from); returns the delivery latencies (ms) of the measured rounds and the misses.
 */
/** A PATCH of the task's title through Cairn's API, counted from the moment the request is sent. */
const patchTitle = (url, seeded, taskId) => async (round) => {
  const sentAt = process.hrtime.bigint();
  await api(
    url,
    "PATCH",
    `/api/tasks/${taskId}`,
    { title: `Bench realtime round ${round}` },
    seeded.adminToken,
  );
  return sentAt;
};

async function scenario({ urls, seeded, change }) {
  const perProcess = Math.ceil(SOCKETS / CLIENTS);
  const clients = [];
  for (let index = 0; index < CLIENTS; index++) clients.push(startClients(perProcess + SPARE_FILES));
  await Promise.all(clients.map((client) => client.ready));
  const connectStarted = performance.now();
  const answers = await Promise.all(
    clients.map((client, index) =>
      client.ask(
        {
          connect: {
            sockets: seeded.tokens
              .slice(index * perProcess, (index + 1) * perProcess)
              .map((each, offset) => ({
                url: urls[(index * perProcess + offset) % urls.length],
                token: each.token,
                audience: each.audience,
              })),
          },
        },
        "connected",
      ),
    ),
  );
  const connected = answers.reduce((sum, answer) => sum + answer.connected, 0);
  console.log(
    `  ${connected.toLocaleString("en")} sockets connected in ${Math.round(performance.now() - connectStarted)} ms` +
      ` from ${CLIENTS} client processes${answers.some((answer) => answer.failed) ? ` (${answers.reduce((sum, answer) => sum + answer.failed, 0)} refused)` : ""}`,
  );
  const sentAt = [];
  const answered = [];
  let late = 0;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const heard = Promise.race([
      Promise.all(clients.map((client) => client.ask({ expect: round }, "heard"))),
      new Promise((resolve) => setTimeout(() => resolve(null), 5000)),
    ]);
    const started = process.hrtime.bigint();
    sentAt[round] = await change(round);
    if (round >= WARMUP) answered.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (!(await heard)) late += 1;
    // A breath between changes, as changes come one by one; strays of this round arrive meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const latencies = [];
  let strays = 0;
  const perRound = new Map();
  for (const client of clients) {
    const answer = await client.ask({ collect: true }, "receipts");
    strays += answer.strays;
    for (const [, round, at] of answer.receipts) {
      perRound.set(round, (perRound.get(round) ?? 0) + 1);
      if (round >= WARMUP) latencies.push(Number(BigInt(at) - sentAt[round]) / 1e6);
    }
  }
  for (const client of clients) client.child.send({ close: true });
  await Promise.all(clients.map((client) => new Promise((resolve) => client.child.once("exit", resolve))));
  const expected = seeded.tokens.filter((each) => each.audience).length;
  const missing = [...Array(WARMUP + ROUNDS).keys()].reduce(
    (sum, round) => sum + Math.max(0, expected - (perRound.get(round) ?? 0)),
    0,
  );
  latencies.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  return { connected, latencies, answered, strays, missing, late };
}

function summary(name, result, target) {
  const { latencies } = result;
  const p = (value) => `${percentile(latencies, value).toFixed(1)} ms`;
  const p99 = percentile(latencies, 99);
  const ok =
    (target === null || p99 < target) && !result.strays && !result.missing && result.connected === SOCKETS;
  console.log(
    `${name}: ${latencies.length.toLocaleString("en")} deliveries, median ${p(50)}, p90 ${p(90)}, p99 ${p(99)}, max ${latencies.at(-1).toFixed(1)} ms` +
      `${target === null ? "" : ` — target p99 < ${target} ms ${p99 < target ? "✓" : "✗"}`}` +
      `${result.floor ? "" : ` (the PATCH's response: median ${percentile(result.answered, 50).toFixed(1)} ms)`}` +
      `${result.strays ? `; ${result.strays} deliveries to sockets that may not see the task ✗` : ""}` +
      `${result.missing ? `; ${result.missing} deliveries missing ✗` : ""}` +
      `${result.connected !== SOCKETS ? `; ${result.connected} of ${SOCKETS} sockets connected ✗` : ""}`,
  );
  return ok;
}

const database = await freshDatabase("realtime");
const dataDir = await mkdtemp(path.join(os.tmpdir(), "cairn-bench-realtime-"));
const env = {
  DATABASE_URL: database.url,
  REDIS_URL,
  SECRET_KEY: randomBytes(48).toString("base64url"),
  DATA_DIR: dataDir,
};
// Each run keeps its Redis keys apart (the principal cache, the denylist, the adapter's channels).
env.REDIS_PREFIX = `cairn-bench-${randomBytes(4).toString("hex")}:`;
const servers = [];
let failed = false;
try {
  const serverFiles = SOCKETS + SPARE_FILES;
  console.log(
    `Realtime: ${SOCKETS.toLocaleString("en")} sockets, a change seen by ${AUDIENCE.toLocaleString("en")} of them;` +
      ` open files: ${fileLimitFor(serverFiles)} per server, ${fileLimitFor(Math.ceil(SOCKETS / CLIENTS) + SPARE_FILES)} per client process`,
  );
  // BENCH_SERVER_NODE_OPTIONS (e.g. --cpu-prof) is given to the servers only.
  const serverEnv = process.env.BENCH_SERVER_NODE_OPTIONS
    ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS }
    : {};
  if (process.env.BENCH_LOG_FILE) serverEnv.LOG_FILE = process.env.BENCH_LOG_FILE;
  const first = await startCairn({ ...env, ...serverEnv, PORT: "4610" }, { files: serverFiles });
  servers.push(first);
  const file = path.join(dataDir, "seeded.json");
  await run(
    path.join(root, "node_modules/.bin/tsx"),
    ["bench/realtime-worker.mjs", "setup", String(AUDIENCE), String(SOCKETS - AUDIENCE), file],
    env,
  );
  const seeded = JSON.parse(await readFile(file, "utf8"));
  // Spread the audience over the client processes and the servers.
  seeded.tokens.sort((a, b) => (a.userId < b.userId ? -1 : 1));
  const task = await api(
    first.url,
    "POST",
    "/api/tasks",
    { projectId: seeded.projectId, title: "Bench realtime" },
    seeded.adminToken,
  );

  // The floor: bare Socket.IO on this machine, now, sending a task as Cairn presents it to the same
  // 1,000 of the same 5,000 sockets (no request, no database, no audience to judge, no Redis).
  console.log("\nFloor: a bare Socket.IO server");
  const shown = await (
    await fetch(`${first.url}/api/tasks/${task.id}`, {
      headers: { authorization: `Bearer ${seeded.adminToken}` },
    })
  ).json();
  const [floorCommand, floorArgs] = withFileLimit(serverFiles, process.execPath, [
    path.join(import.meta.dirname, "realtime-floor.mjs"),
  ]);
  const floorServer = fork(floorArgs.at(-1), [], {
    execPath: floorCommand,
    execArgv: floorArgs.slice(0, -1),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const floorAsk = (message, key) =>
    new Promise((resolve) => {
      const listener = (answer) => {
        if (!(key in answer)) return;
        floorServer.off("message", listener);
        resolve(answer);
      };
      floorServer.on("message", listener);
      floorServer.send(message);
    });
  await floorAsk({ listen: 4612 }, "listening");
  const rooms = seeded.tokens.filter((each) => each.audience).map((each) => each.token);
  const floor = await scenario({
    urls: ["http://127.0.0.1:4612"],
    seeded,
    change: async (round) => {
      const data = {
        id: task.id,
        projectId: seeded.projectId,
        task: { ...shown, title: `Bench realtime round ${round}` },
      };
      return BigInt((await floorAsk({ emit: { rooms, data } }, "sentAt")).sentAt);
    },
  });
  floor.floor = true;
  floorServer.send({ close: true });
  summary("  bare Socket.IO", floor, null);

  console.log("\nOne server process");
  const single = await scenario({
    urls: [first.url],
    seeded,
    change: patchTitle(first.url, seeded, task.id),
  });
  failed = !summary("  one process", single, TARGETS.single) || failed;

  console.log("\nTwo instances through Redis");
  const second = await startCairn({ ...env, ...serverEnv, PORT: "4611" }, { files: serverFiles });
  servers.push(second);
  const pair = await scenario({
    urls: [first.url, second.url],
    seeded,
    change: patchTitle(first.url, seeded, task.id),
  });
  failed = !summary("  two instances", pair, TARGETS.redis) || failed;
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  if (!process.env.BENCH_KEEP) await database.drop();
  // The run's Redis keys (principals, the denylist, rate limits) go with its database.
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  for (let cursor = "0"; ;) {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${env.REDIS_PREFIX}*`, "COUNT", 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
    if (cursor === "0") break;
  }
  redis.disconnect();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
