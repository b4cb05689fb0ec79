#!/usr/bin/env node
// Issue 3's benchmark, in one run on PostgreSQL (and Redis when REDIS_URL is set):
//   10,000 projects in 50 organizations (200 each, with clients and owners), then
//   1. the ceiling: a bare Fastify route doing one indexed query (org, status, name) on the same database;
//   2. GET /api/projects?search=…&status=… as an organization's admin (target: ≥ 40% of the ceiling's req/s);
//   3. GET /api/me, the platform's floor (authentication, answered from the cached principal), for reference;
//   4. the same list as the platform superuser, who sees all 10,000 projects (for information).
// Usage: npm run bench:projects   (BENCH_SECONDS=10 by default)
import { randomBytes } from "node:crypto";
import Fastify from "fastify";
import pg from "pg";
import { freshDatabase, measure, measureInTurns, report, startCairn } from "./lib.mjs";

const ORGS = 50;
const PROJECTS_PER_ORG = 200;
const ADJECTIVES = ["Swift", "Quiet", "Bright", "Silver", "Northern", "Crimson", "Hidden", "Golden"];
const NOUNS = [
  "Portal",
  "Harbor",
  "Engine",
  "Garden",
  "Atlas",
  "Beacon",
  "Ledger",
  "Compass",
  "Orbit",
  "Summit",
];
const PASSWORD = "Quiet-Harbor-Lantern-42";
const SEARCH = "harbor";
const STATUS = "active";

async function api(cairn, method, path, body, token) {
  const response = await fetch(`${cairn.url}${path}`, {
    method,
    headers: {
      ...(body ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/** Organizations and their admins through the API (default roles, audit and all); projects in bulk through SQL. */
async function seed(cairn, pool) {
  const started = Date.now();
  const superuser = await api(cairn, "POST", "/api/auth/register", {
    email: "bench-super@bench.test",
    username: "bench-super",
    password: PASSWORD,
    accountType: "customer",
  });
  await pool.query("update users set is_superuser = true where id = $1", [superuser.user.id]);
  const { access: superToken } = await api(cairn, "POST", "/api/auth/login", {
    login: "bench-super",
    password: PASSWORD,
  });
  const orgs = [];
  const open = (await api(cairn, "GET", "/api/orgs?search=", null, superToken)).items[0];
  const firstAdmin = await api(
    cairn,
    "POST",
    `/api/orgs/${open.slug}/members`,
    { email: "admin0@bench.test", username: "admin0", roles: ["admin"] },
    superToken,
  );
  orgs.push({ id: open.id, adminId: firstAdmin.user.id, admin: "admin0" });
  for (let index = 1; index < ORGS; index++) {
    const org = await api(
      cairn,
      "POST",
      "/api/orgs",
      {
        slug: `bench-${index}`,
        name: `Bench ${index}`,
        admin: { email: `admin${index}@bench.test`, username: `admin${index}` },
      },
      superToken,
    );
    orgs.push({ id: org.id, adminId: org.admin.user.id, admin: `admin${index}` });
  }
  // The admins were invited (no password yet): give them the superuser's, for signing in.
  await pool.query(
    "update users set password_hash = (select password_hash from users where username = 'bench-super') where email like 'admin%@bench.test'",
  );
  for (const org of orgs) {
    await pool.query(
      "insert into clients (org_id, name, company, salesperson_id) select $1, 'Client ' || g, 'Company ' || g, $2 from generate_series(1, 10) g",
      [org.id, org.adminId],
    );
    await pool.query(
      `insert into projects (org_id, key, name, description, status, priority, client_id, owner_id, cost, discount, start_date, due_date, created_at)
       select $1, 'P' || g,
              ($3::text[])[1 + g % 8] || ' ' || ($4::text[])[1 + (g / 8) % 10] || ' ' || g,
              'Seeded for the benchmark',
              (array['planning','active','on_hold','completed','cancelled'])[1 + g % 5],
              (array['low','medium','high','urgent'])[1 + g % 4],
              (select id from clients c where c.org_id = $1 order by c.name offset g % 10 limit 1),
              $2, (g * 100)::numeric, (g * 5)::numeric, date '2026-01-01' + g, date '2026-06-01' + g,
              now() - g * interval '1 hour'
       from generate_series(1, $5::int) g`,
      [org.id, org.adminId, ADJECTIVES, NOUNS, PROJECTS_PER_ORG],
    );
    await pool.query(
      "insert into project_members (org_id, project_id, user_id, role) select org_id, id, owner_id, 'owner' from projects where org_id = $1",
      [org.id],
    );
  }
  await pool.query("analyze");
  const { rows } = await pool.query(
    "select count(*)::int as projects, count(distinct org_id)::int as orgs from projects",
  );
  console.log(
    `Seeded ${rows[0].projects} projects in ${rows[0].orgs} organizations in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { orgs, superToken };
}

const database = await freshDatabase("projects");
const redis = process.env.REDIS_URL
  ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `cairn:bench:${randomBytes(4).toString("hex")}:` }
  : {};
const cairn = await startCairn({
  DATABASE_URL: database.url,
  PORT: "3992",
  PGBOSS_ENABLED: "false",
  ...redis,
});
const pool = new pg.Pool({ connectionString: database.url, max: 10 });
const ceiling = Fastify({ logger: false });
try {
  const { orgs, superToken } = await seed(cairn, pool);
  const org = orgs[0];
  const { access } = await api(cairn, "POST", "/api/auth/login", { login: org.admin, password: PASSWORD });
  const query = `/api/projects?search=${SEARCH}&status=${STATUS}`;
  const sample = await api(cairn, "GET", query, null, access);
  console.log(
    `GET ${query} as ${org.admin}: ${sample.total} of ${PROJECTS_PER_ORG} projects match in the caller's organization`,
  );

  // The same filter as the API's, as one query through a pg pool, without authentication, authorization or a schema.
  ceiling.get("/ceiling", async (request) => {
    const { rows } = await pool.query(
      "select id, key, name, status, created_at from projects where org_id = $1 and status = $2 and name ilike $3 order by created_at desc limit 20",
      [org.id, request.query.status, `%${request.query.search}%`],
    );
    return { items: rows };
  });
  await ceiling.listen({ port: 3993, host: "127.0.0.1" });

  console.log(
    `\nOn PostgreSQL${process.env.REDIS_URL ? " and Redis" : " (memory state)"}, 10 connections, ${process.env.BENCH_SECONDS ?? 10} s per measurement (ceiling and list: mean of two rounds, worst p99)\n`,
  );
  // Each target is warmed up (JIT, pool connections, prepared statements), then the two are
  // measured in turns, twice, so that a change in the machine's load hits both alike.
  const ceilingTarget = { url: `http://127.0.0.1:3993/ceiling?search=${SEARCH}&status=${STATUS}` };
  const listTarget = { url: `${cairn.url}${query}`, headers: { authorization: `Bearer ${access}` } };
  const superTarget = { url: `${cairn.url}${query}`, headers: { authorization: `Bearer ${superToken}` } };
  await measure({ ...superTarget, duration: 2 });
  const [ceilingResult, list] = await measureInTurns([ceilingTarget, listTarget]);
  const me = await measure({ url: `${cairn.url}/api/me`, headers: listTarget.headers });
  const everything = await measure(superTarget);
  report([
    { name: "ceiling (bare Fastify, 1 indexed query)", ...ceilingResult },
    { name: `GET ${query} (org admin)`, ...list },
    { name: "GET /api/me (reference: authentication, from the cache)", ...me },
    { name: `GET ${query} (superuser, all ${ORGS * PROJECTS_PER_ORG})`, ...everything },
  ]);
  const ratio = list.requestsPerSecond / ceilingResult.requestsPerSecond;
  const checks = [
    {
      name: `GET /api/projects at ${(ratio * 100).toFixed(1)}% of the ceiling (target ≥ 40%)`,
      ok: ratio >= 0.4,
    },
    {
      name: "no errors in the list and the ceiling",
      ok: list.errors === 0 && ceilingResult.errors === 0 && everything.errors === 0,
    },
  ];
  console.log("");
  for (const check of checks) console.log(`${check.ok ? "✓" : "✗"} ${check.name}`);
  process.exitCode = checks.every((check) => check.ok) ? 0 : 1;
} finally {
  await ceiling.close();
  await pool.end();
  await cairn.stop();
  // BENCH_KEEP=1 keeps the seeded database for EXPLAIN and profiling.
  if (process.env.BENCH_KEEP) console.log(`kept ${database.url}`);
  else await database.drop();
}
