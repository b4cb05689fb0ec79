// npm run bench:jobs — job throughput through one worker process on PostgreSQL.
//
// One `work` process runs Cairn's job worker as `cairn worker` does (every queue, LISTEN/NOTIFY,
// batches settled job by job, schedule-run tracking, the heartbeat), with a no-op job beside the
// modules' own. A `produce` process then enqueues JOBS (default 20,000) no-op jobs, PER_TX (default
// 100) to a transaction, as bulk changes do. The clock runs from the first enqueue to the last job
// completed (counted in pg-boss's table); jobs/s = JOBS / that time. Target: ≥ 1,000 jobs/s.
// Exit code 1 on a miss.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { benchWorker, freshDatabase } from "./lib.mjs";

const JOBS = Number(process.env.JOBS ?? 20_000);
const PER_TX = Number(process.env.PER_TX ?? 100);
const TARGET = 1_000;
const TIMEOUT_MS = 180_000;

const child = (args, env) => benchWorker("jobs-worker.mjs", args, env);

const database = await freshDatabase("jobs");
const env = {
  DATABASE_URL: database.url,
  BENCH_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), "cairn-bench-jobs-")),
};
let worker = null;
let passed = false;
try {
  worker = child(["work"], env);
  const ready = await worker.next();
  console.log(
    `worker ready (pid ${ready.pid}); enqueueing ${JOBS.toLocaleString("en")} jobs, ${PER_TX} per transaction`,
  );

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const completed = async () =>
    Number(
      (
        await client.query(
          "select count(*)::int as n from pgboss.job where name = 'bench.noop' and state = 'completed'",
        )
      ).rows[0].n,
    );

  const producer = child(["produce", String(JOBS), String(PER_TX)], env);
  const { started } = await producer.next();
  let finishedAt = null;
  let done = 0;
  const deadline = started + TIMEOUT_MS;
  const poll = (async () => {
    while (Date.now() < deadline) {
      done = await completed();
      if (done >= JOBS) {
        finishedAt = Date.now();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  const { finished: enqueuedAt } = await producer.next();
  await producer.exited;
  await poll;
  const failed = Number(
    (
      await client.query(
        "select count(*)::int as n from pgboss.job where name = 'bench.noop' and state = 'failed'",
      )
    ).rows[0].n,
  );
  await client.end();

  const enqueueSeconds = (enqueuedAt - started) / 1000;
  console.log(
    `enqueued in ${enqueueSeconds.toFixed(2)} s (${Math.round(JOBS / enqueueSeconds).toLocaleString("en")} jobs/s)`,
  );
  if (finishedAt === null) {
    console.log(
      `✗ only ${done.toLocaleString("en")} of ${JOBS.toLocaleString("en")} jobs completed within ${TIMEOUT_MS / 1000} s`,
    );
  } else {
    const seconds = (finishedAt - started) / 1000;
    const rate = JOBS / seconds;
    console.log(
      `enqueue to completion: ${JOBS.toLocaleString("en")} jobs in ${seconds.toFixed(2)} s, ${failed} failed`,
    );
    passed = rate >= TARGET && failed === 0;
    console.log(
      `${passed ? "✓" : "✗"} ${Math.round(rate).toLocaleString("en")} jobs/s through one worker process (target ≥ ${TARGET.toLocaleString("en")})`,
    );
  }
} finally {
  worker?.close();
  await worker?.exited;
  await database.drop();
}
process.exit(passed ? 0 : 1);
