// npm run bench:digest — the daily digest for 10,000 users in 20 time zones, on PostgreSQL.
//
// USERS (default 10,000) members spread over 20 time zones (Honolulu to Chatham, whole, half and
// three-quarter hours from UTC), each with an overdue task and one due tomorrow. Then two worker
// processes run the digest's tick at the same moment, forced (the superuser's run-now: every user's
// digest of their local today, as if their 08:00 had come), as two job workers would; then one more
// tick, which must find nothing left to send.
// Targets: every user's digest produced (claimed, read, rendered to HTML and text, queued as a
// `mail.send` job) within 60 s; each user exactly once across both workers (claims and queued emails
// counted in the database, one per address); the second run sends nothing. Exit code 1 on any miss.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { benchWorker, freshDatabase } from "./lib.mjs";

const USERS = Number(process.env.USERS ?? 10_000);
const LIMIT_MS = 60_000;

const worker = (args, env) => benchWorker("digest-worker.mjs", args, env);

const database = await freshDatabase("digest");
// NODE_ENV=production as a worker runs in production (React's production build renders the emails).
const env = {
  NODE_ENV: "production",
  DATABASE_URL: database.url,
  BENCH_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), "cairn-bench-digest-")),
};
const misses = [];
try {
  const setup = worker(["setup", String(USERS)], env);
  const seeded = await setup.next();
  await setup.exited;
  console.log(
    `seeded ${seeded.seeded.toLocaleString("en")} users in 20 time zones, two tasks each, in ${seeded.ms} ms`,
  );

  const runConcurrently = async (count) => {
    const workers = Array.from({ length: count }, () => worker(["tick"], env));
    for (const each of workers) await each.next(); // ready
    const started = performance.now();
    for (const each of workers) each.send("go");
    const results = await Promise.all(workers.map((each) => each.next()));
    const ms = Math.round(performance.now() - started);
    await Promise.all(workers.map((each) => each.exited));
    return { results, ms };
  };

  const pair = await runConcurrently(2);
  pair.results.forEach((result, index) =>
    console.log(
      `worker ${index + 1}: sent ${result.sent} digests over ${result.dueZones} zones in ${result.ms} ms`,
    ),
  );
  console.log(`both workers done in ${pair.ms} ms (limit ${LIMIT_MS} ms)`);
  const again = await runConcurrently(1);
  console.log(`a second run: sent ${again.results[0].sent} in ${again.ms} ms`);

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const count = async (text) => Number((await client.query(text)).rows[0].n);
  const claims = await count("select count(*) as n from schedule_user_runs where schedule = 'digest.daily'");
  const claimedUsers = await count(
    "select count(distinct user_id) as n from schedule_user_runs where schedule = 'digest.daily'",
  );
  const mails = await count(
    "select count(*) as n from pgboss.job where name = 'mail.send' and data->>'subject' like 'Your daily digest%'",
  );
  const addresses = await count(
    "select count(distinct data->>'to') as n from pgboss.job where name = 'mail.send' and data->>'subject' like 'Your daily digest%'",
  );
  const withHtml = await count(
    "select count(*) as n from pgboss.job where name = 'mail.send' and data->>'html' like '%Due soon or overdue%'",
  );
  await client.end();
  const sentByWorkers = pair.results.reduce((sum, result) => sum + result.sent, 0);
  console.log(
    `claims: ${claims} for ${claimedUsers} users; queued digests: ${mails} to ${addresses} addresses (${withHtml} with their overdue tasks); claimed by the workers: ${sentByWorkers}`,
  );

  if (pair.ms >= LIMIT_MS) misses.push(`the digest took ${pair.ms} ms (limit ${LIMIT_MS} ms)`);
  for (const [label, value] of [
    ["claimed by the workers", sentByWorkers],
    ["claims", claims],
    ["users claimed", claimedUsers],
    ["queued digests", mails],
    ["addresses with a digest", addresses],
    ["digests listing the overdue task", withHtml],
  ]) {
    if (value !== USERS) misses.push(`${label}: ${value}, expected ${USERS}`);
  }
  if (again.results[0].sent !== 0) misses.push(`the second run sent ${again.results[0].sent} digests again`);
} finally {
  await database.drop();
}
if (misses.length) {
  console.error(`MISSED:\n- ${misses.join("\n- ")}`);
  process.exit(1);
}
console.log(
  `OK: ${USERS.toLocaleString("en")} daily digests in 20 time zones, each user exactly once across two concurrent workers, within ${LIMIT_MS / 1000} s`,
);
