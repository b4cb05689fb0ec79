// One process of `npm run bench:tickets`, run with tsx so that it uses Cairn's own code:
//   setup <tickets> <breached> <atRisk>   migrate, make an organization with its people, seed the tickets
//   check                                 print "ready", wait for "go" on stdin, run one SLA check, print its result
// The database is DATABASE_URL. Everything is printed as one JSON line per message.
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { loadConfig } from "../apps/server/src/config.ts";
import { systemActor } from "../apps/server/src/platform/access/actor.ts";
import { closeServices, createServices } from "../apps/server/src/platform/bootstrap.ts";
import { runAs } from "../apps/server/src/platform/services.ts";
import { composition } from "../apps/server/src/modules/index.ts";
import { createUser } from "../apps/server/src/modules/accounts/accounts.service.ts";
import { addMembership } from "../apps/server/src/modules/orgs/members.service.ts";
import { insertOrganization } from "../apps/server/src/modules/orgs/orgs.service.ts";
import { runSlaCheck } from "../apps/server/src/modules/tickets/index.ts";

const [mode, ...args] = process.argv.slice(2);
const config = loadConfig({
  DATABASE_URL: process.env.DATABASE_URL,
  NODE_ENV: "development",
  LOG_LEVEL: "warn",
  SECRET_KEY: randomBytes(32).toString("hex"),
  DATA_DIR: process.env.BENCH_DATA_DIR,
});
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

if (mode === "setup") {
  const [total, breached, atRisk] = args.map(Number);
  const services = await createServices(config, composition, { migrate: true, jobs: true });
  const people = await runAs(services, systemActor("bench"), async (ctx) => {
    const org = await insertOrganization(ctx, { slug: "bench-support", name: "Bench support" });
    const member = async (username, roles) => {
      const user = await createUser(ctx, { email: `${username}@bench.test`, username, password: null });
      await addMembership(ctx, org.id, user.id, roles);
      return user.id;
    };
    return { orgId: org.id, admin: await member("bench_admin", ["admin"]), manager: await member("bench_manager", ["project_manager"]), support: await member("bench_support", ["support"]), customer: await member("bench_customer", ["customer"]) };
  });
  const { db } = services.database;
  const started = performance.now();
  await db.execute(sql`insert into projects (org_id, key, name, owner_id, manager_id)
    select ${people.orgId}, 'P' || g, 'Project ' || g, ${people.admin}, ${people.manager} from generate_series(1, 20) g`);
  // Tickets 1..breached are past a deadline (half their first answer, half their resolution); the next
  // `atRisk` have less than a fifth of their resolution left and an assignee; the rest are on track.
  await db.execute(sql`
    with p as (select array_agg(id order by key) as ids from projects where org_id = ${people.orgId})
    insert into tickets (org_id, project_id, number, title, severity, status, reporter_id, assignee_id,
      first_response_due_at, first_response_risk_at, resolution_due_at, resolution_risk_at, first_responded_at, created_at, updated_at)
    select ${people.orgId}, p.ids[1 + g % 20], g, 'Ticket ' || g, (array['low', 'medium', 'high', 'critical'])[1 + g % 4],
      case when g % 3 = 0 then 'in_progress' else 'open' end, ${people.customer},
      case when g <= ${breached + atRisk} or g % 5 = 0 then ${people.support}::uuid end,
      case when g <= ${breached} / 2 then now() - interval '1 minute' else now() - interval '2 hours' end,
      now() - interval '3 hours',
      case when g <= ${breached} / 2 then now() + interval '6 hours'
           when g <= ${breached} then now() - interval '1 minute'
           when g <= ${breached + atRisk} then now() + interval '30 minutes'
           else now() + interval '3 days' + (g % 1000) * interval '1 minute' end,
      case when g <= ${breached} / 2 then now() + interval '4 hours'
           when g <= ${breached + atRisk} then now() - interval '1 minute'
           else now() + interval '2 days' end,
      case when g <= ${breached} / 2 then null else now() - interval '150 minutes' end,
      now() - interval '3 hours', now() - interval '3 hours'
    from p, generate_series(1, ${total}) g`);
  await db.execute(sql`analyze tickets`);
  say({ seeded: total, ms: Math.round(performance.now() - started), ...people });
  await closeServices(services);
} else if (mode === "check") {
  const services = await createServices(config, composition, { jobs: true });
  // Warm the connection pool and the principal cache's code paths before the clock starts.
  await services.database.db.execute(sql`select 1`);
  say({ ready: true });
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === "go") break;
  lines.close();
  const started = performance.now();
  const result = await runSlaCheck(services);
  say({ escalated: result.escalated, atRisk: result.atRisk, ms: Math.round(performance.now() - started) });
  await closeServices(services);
  process.exit(0);
} else {
  console.error("usage: tickets-worker.mjs setup <tickets> <breached> <atRisk> | check");
  process.exit(2);
}
