// npm run bench:tickets — the scheduled SLA check over 100,000 open tickets on PostgreSQL.
//
// One organization, 20 projects, TICKETS (default 100,000) tickets open or in progress, of which BREACHED
// (default 2,000) are past a deadline (half the first answer, half the resolution) and AT_RISK (default
// 1,000) have less than a fifth of their target left. Then:
//   1. two worker processes run the check at the same moment (as two job workers would);
//   2. one more run, with nothing left to do (what every minute costs in the steady state).
// Targets: each run finishes in under 2 s; every breached ticket is escalated exactly once across both
// workers (the tickets, their audit entries and their queued `ticket.escalated` events are counted in
// the database), every ticket at risk warned once. Exit code 1 on any miss.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { benchWorker, freshDatabase } from "./lib.mjs";

const TICKETS = Number(process.env.TICKETS ?? 100_000);
const BREACHED = Number(process.env.BREACHED ?? 2_000);
const AT_RISK = Number(process.env.AT_RISK ?? 1_000);
const LIMIT_MS = 2_000;

const worker = (args, env) => benchWorker("tickets-worker.mjs", args, env);

const database = await freshDatabase("tickets");
const env = { DATABASE_URL: database.url, BENCH_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), "cairn-bench-tickets-")) };
const misses = [];
try {
  const setup = worker(["setup", String(TICKETS), String(BREACHED), String(AT_RISK)], env);
  const seeded = await setup.next();
  await setup.exited;
  console.log(`seeded ${seeded.seeded.toLocaleString("en")} open tickets in ${seeded.ms} ms (${BREACHED} breached, ${AT_RISK} at risk)`);

  const runConcurrently = async (count) => {
    const workers = Array.from({ length: count }, () => worker(["check"], env));
    for (const each of workers) await each.next(); // ready
    for (const each of workers) each.send("go");
    const results = await Promise.all(workers.map((each) => each.next()));
    await Promise.all(workers.map((each) => each.exited));
    return results;
  };

  const pair = await runConcurrently(2);
  pair.forEach((result, index) => console.log(`worker ${index + 1}: escalated ${result.escalated}, warned ${result.atRisk}, ${result.ms} ms`));
  const steady = (await runConcurrently(1))[0];
  console.log(`steady state (nothing due): escalated ${steady.escalated}, warned ${steady.atRisk}, ${steady.ms} ms`);

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const count = async (text) => Number((await client.query(text)).rows[0].n);
  const escalatedRows = await count("select count(*) as n from tickets where escalated_at is not null");
  const warnedRows = await count("select count(*) as n from tickets where at_risk_notified_at is not null");
  const audits = await count("select count(*) as n from audit_log where action = 'ticket.escalated'");
  const auditedTickets = await count("select count(distinct entity_id) as n from audit_log where action = 'ticket.escalated'");
  // A job carries one event, or a batch of them (`{events: [...]}`, one job for a check's many escalations).
  const queued = `(select event from pgboss.job, jsonb_array_elements(coalesce(data->'events', jsonb_build_array(data))) as event
                   where name = 'events.dispatch') as queued where event->>'name' = 'ticket.escalated'`;
  const events = await count(`select count(*) as n from ${queued}`);
  const eventTickets = await count(`select count(distinct event->'data'->>'ticketId') as n from ${queued}`);
  await client.end();
  const escalatedByWorkers = pair.reduce((sum, result) => sum + result.escalated, 0);
  const warnedByWorkers = pair.reduce((sum, result) => sum + result.atRisk, 0);
  console.log(
    `escalated: ${escalatedByWorkers} by the workers, ${escalatedRows} tickets marked, ${audits} audit entries for ${auditedTickets} tickets, ${events} events for ${eventTickets} tickets (expected ${BREACHED} each)`,
  );
  console.log(`warned at risk: ${warnedByWorkers} by the workers, ${warnedRows} tickets marked (expected ${AT_RISK})`);

  for (const [label, result] of [...pair.map((result, index) => [`worker ${index + 1}`, result]), ["steady state", steady]]) {
    if (result.ms >= LIMIT_MS) misses.push(`${label} took ${result.ms} ms (limit ${LIMIT_MS} ms)`);
  }
  for (const [label, value] of [
    ["escalated by the workers", escalatedByWorkers],
    ["tickets marked escalated", escalatedRows],
    ["escalation audit entries", audits],
    ["tickets with an escalation audit entry", auditedTickets],
    ["queued ticket.escalated events", events],
    ["tickets with a queued event", eventTickets],
  ]) {
    if (value !== BREACHED) misses.push(`${label}: ${value}, expected ${BREACHED}`);
  }
  if (warnedByWorkers !== AT_RISK || warnedRows !== AT_RISK) misses.push(`warned ${warnedByWorkers} (${warnedRows} marked), expected ${AT_RISK}`);
  if (steady.escalated !== 0 || steady.atRisk !== 0) misses.push(`the steady-state run still found work: ${JSON.stringify(steady)}`);
} finally {
  await database.drop();
}
if (misses.length) {
  console.error(`MISSED:\n- ${misses.join("\n- ")}`);
  process.exit(1);
}
console.log(`OK: every run under ${LIMIT_MS} ms, each breached ticket escalated exactly once across two concurrent workers`);
