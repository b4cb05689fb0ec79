#!/usr/bin/env node
// Issue 2's benchmark, in one run on PostgreSQL (and Redis when REDIS_URL is set):
//   1. the ceiling: a bare Fastify route doing one indexed query on the same database;
//   2. GET /api/me with a valid token (target: 60% of the ceiling or better);
//   3. POST /api/auth/login (argon2id), and /api/health's p99 while logins are hammered
//      (target: under 20 ms — hashing runs on the thread pool, not the event loop).
// Usage: npm run bench:identity   (BENCH_SECONDS=10 by default)
import Fastify from "fastify";
import pg from "pg";
import { freshDatabase, measure, measureInTurns, report, startCairn } from "./lib.mjs";

const database = await freshDatabase("identity");
const cairn = await startCairn({
  DATABASE_URL: database.url,
  PORT: "3990",
  ...(process.env.REDIS_URL
    ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `cairn:bench:${Date.now()}:` }
    : {}),
});
const ceilingPool = new pg.Pool({ connectionString: database.url, max: 10 });
const ceiling = Fastify({ logger: false });
try {
  const password = "Quiet-Harbor-Lantern-42";
  const registered = await fetch(`${cairn.url}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: "speedy@example.test",
      username: "speedy",
      password,
      accountType: "developer",
    }),
  });
  if (registered.status !== 201)
    throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  const { access, user } = await registered.json();

  ceiling.get("/ceiling", async () => {
    const { rows } = await ceilingPool.query("select id, username, email from users where id = $1", [
      user.id,
    ]);
    return rows[0];
  });
  await ceiling.listen({ port: 3991, host: "127.0.0.1" });

  console.log(
    `Cairn bench on PostgreSQL${process.env.REDIS_URL ? " and Redis" : " (memory state)"}, 10 connections, ${process.env.BENCH_SECONDS ?? 10} s per measurement` +
      " (ceiling and /api/me: warmed up, then measured in turns twice: mean req/s, worst p99)\n",
  );
  const [ceilingResult, me] = await measureInTurns([
    { url: "http://127.0.0.1:3991/ceiling" },
    { url: `${cairn.url}/api/me`, headers: { authorization: `Bearer ${access}` } },
  ]);
  // Logins (argon2id on the thread pool) and a cheap route side by side: the cheap route's p99
  // shows whether hashing holds up the event loop. Warmed up first, as the others.
  const loginTarget = {
    url: `${cairn.url}/api/auth/login`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login: "speedy", password }),
  };
  const healthTarget = { url: `${cairn.url}/api/health`, connections: 2, overallRate: 200 };
  await Promise.all([measure({ ...loginTarget, duration: 3 }), measure({ ...healthTarget, duration: 3 })]);
  const [login, healthUnderLogin] = await Promise.all([measure(loginTarget), measure(healthTarget)]);
  const rows = [
    { name: "ceiling (bare Fastify, 1 indexed query)", ...ceilingResult },
    { name: "GET /api/me", ...me },
    { name: "POST /api/auth/login", ...login },
    { name: "GET /api/health while logins run", ...healthUnderLogin },
  ];
  report(rows);
  const ratio = me.requestsPerSecond / ceilingResult.requestsPerSecond;
  const checks = [
    { name: `/api/me at ${(ratio * 100).toFixed(0)}% of the ceiling (target ≥ 60%)`, ok: ratio >= 0.6 },
    {
      name: `/api/health p99 ${healthUnderLogin.p99} ms under login load (target < 20 ms)`,
      ok: healthUnderLogin.p99 < 20,
    },
    { name: "no errors in /api/me and the ceiling", ok: me.errors === 0 && ceilingResult.errors === 0 },
  ];
  console.log("");
  for (const check of checks) console.log(`${check.ok ? "✓" : "✗"} ${check.name}`);
  process.exitCode = checks.every((check) => check.ok) ? 0 : 1;
} finally {
  await ceiling.close();
  await ceilingPool.end();
  await cairn.stop();
  await database.drop();
}
