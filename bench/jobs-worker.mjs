// One process of `npm run bench:jobs`, run with tsx so that it uses Cairn's own job code:
//   work              migrate, start Cairn's job worker (one process, every queue, the production
//                     settings) with a no-op job beside the modules' own; print "ready"; run until stdin closes
//   produce <n> <per> enqueue n no-op jobs, `per` to a transaction (Cairn's enqueueMany, as a bulk change
//                     does), printing when it started and finished
// The database is DATABASE_URL. Everything is printed as one JSON line per message.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { loadConfig } from "../apps/server/src/config.ts";
import { systemActor } from "../apps/server/src/platform/access/actor.ts";
import { closeServices, createServices } from "../apps/server/src/platform/bootstrap.ts";
import { defineJob } from "../apps/server/src/platform/jobs/jobs.ts";
import { runAs } from "../apps/server/src/platform/services.ts";
import { composition } from "../apps/server/src/modules/index.ts";

const [mode, ...args] = process.argv.slice(2);
const config = loadConfig({
  DATABASE_URL: process.env.DATABASE_URL,
  NODE_ENV: "production",
  LOG_LEVEL: "warn",
  LOG_FORMAT: "json",
  SECRET_KEY: randomBytes(48).toString("base64url"),
  DATA_DIR: process.env.BENCH_DATA_DIR,
});
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

/** What the benchmark measures is the queue, not a handler: the job does nothing but parse its payload. */
const noop = defineJob({
  name: "bench.noop",
  payload: z.object({ n: z.number().int() }),
  retryLimit: 0,
  async handler() {},
});
const jobDefinitions = [...composition.jobs, noop];

if (mode === "work") {
  const services = await createServices(config, composition, {
    migrate: true,
    jobs: true,
    supervise: true,
    jobDefinitions,
  });
  // Cairn's defaults unless BENCH_BATCH / BENCH_CONCURRENCY say otherwise (to compare settings).
  const tuning = {
    ...(process.env.BENCH_BATCH ? { batchSize: Number(process.env.BENCH_BATCH) } : {}),
    ...(process.env.BENCH_CONCURRENCY ? { localConcurrency: Number(process.env.BENCH_CONCURRENCY) } : {}),
  };
  await services.jobs.work(services, tuning);
  say({ ready: true, pid: process.pid });
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once("end", resolve));
  await closeServices(services);
  process.exit(0);
} else if (mode === "produce") {
  const [total, perTransaction] = args.map(Number);
  const services = await createServices(config, composition, { jobs: true, jobDefinitions });
  say({ started: Date.now() });
  for (let first = 0; first < total; first += perTransaction) {
    const payloads = Array.from({ length: Math.min(perTransaction, total - first) }, (_, index) => ({
      n: first + index,
    }));
    await runAs(services, systemActor("bench"), (ctx) => services.jobs.enqueueMany(ctx.tx, noop, payloads));
  }
  say({ enqueued: total, finished: Date.now() });
  await closeServices(services);
  process.exit(0);
}
