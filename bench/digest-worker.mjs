// One process of `npm run bench:digest`, run with tsx so that it uses Cairn's own code:
//   setup <users>   migrate; one organization, USERS members in 20 time zones, each with a task overdue
//   tick            print "ready", wait for "go" on stdin, run the daily digest's tick forced (the admin's
//                   run-now: every user whose digest of today is not sent), print what it sent
// The database is DATABASE_URL. Everything is printed as one JSON line per message.
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { sql } from "drizzle-orm";
import { loadConfig } from "../apps/server/src/config.ts";
import { systemActor } from "../apps/server/src/platform/access/actor.ts";
import { closeServices, createServices } from "../apps/server/src/platform/bootstrap.ts";
import { runAs } from "../apps/server/src/platform/services.ts";
import { runUserTick } from "../apps/server/src/platform/schedules/user-tick.ts";
import { composition } from "../apps/server/src/modules/index.ts";
import { insertOrganization } from "../apps/server/src/modules/orgs/orgs.service.ts";
import { dailyDigestTick } from "../apps/server/src/modules/notifications/notifications.digest.ts";

export const ZONES = [
  "Pacific/Honolulu",
  "America/Anchorage",
  "America/Los_Angeles",
  "America/Denver",
  "America/Chicago",
  "America/New_York",
  "America/Sao_Paulo",
  "Atlantic/Azores",
  "Europe/London",
  "Europe/Berlin",
  "Africa/Cairo",
  "Europe/Moscow",
  "Asia/Tehran",
  "Asia/Karachi",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Asia/Shanghai",
  "Australia/Adelaide",
  "Pacific/Auckland",
  "Pacific/Chatham",
];

const [mode, ...args] = process.argv.slice(2);
const config = loadConfig({
  DATABASE_URL: process.env.DATABASE_URL,
  NODE_ENV: "production",
  LOG_LEVEL: "warn",
  LOG_FORMAT: "json",
  SECRET_KEY: randomBytes(32).toString("hex"),
  DATA_DIR: process.env.BENCH_DATA_DIR,
  PUBLIC_URL: "https://cairn.example",
});
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

if (mode === "setup") {
  const users = Number(args[0]);
  const services = await createServices(config, composition, { migrate: true, jobs: true });
  const started = performance.now();
  const orgId = await runAs(
    services,
    systemActor("bench"),
    async (ctx) => (await insertOrganization(ctx, { slug: "bench-digest", name: "Bench digest" })).id,
  );
  const { db } = services.database;
  const zones = sql.raw(`array[${ZONES.map((zone) => `'${zone}'`).join(",")}]`);
  // Members without passwords (no argon2 for ten thousand), each in one of the 20 zones, each with a
  // developer role, one overdue task and one on the way: every digest has something to say.
  await db.execute(
    sql`insert into users (email, username) select 'digest' || g || '@bench.test', 'digest' || g from generate_series(1, ${users}) g`,
  );
  await db.execute(sql`insert into profiles (user_id, timezone)
    select u.id, (${zones})[1 + (substring(u.username from 7)::int % 20)] from users u where u.username like 'digest%'`);
  await db.execute(
    sql`insert into memberships (org_id, user_id) select ${orgId}, id from users where username like 'digest%'`,
  );
  await db.execute(sql`insert into membership_roles (org_id, user_id, role_id)
    select ${orgId}, u.id, r.id from users u, roles r where u.username like 'digest%' and r.org_id = ${orgId} and r.key = 'developer'`);
  const [owner] = (await db.execute(sql`select id from users where username = 'digest1'`)).rows;
  await db.execute(
    sql`insert into projects (org_id, key, name, owner_id) values (${orgId}, 'DIG', 'Digest project', ${owner.id})`,
  );
  await db.execute(sql`insert into tasks (org_id, project_id, number, title, status, assignee_id, reporter_id, due_date)
    select ${orgId}, p.id, row_number() over (order by u.id) * 2 + k, 'Task ' || k || ' of ' || u.username, 'todo', u.id, ${owner.id},
      current_date + (k * 2 - 3)
    from users u cross join projects p cross join generate_series(1, 2) k where u.username like 'digest%' and p.org_id = ${orgId}`);
  say({ seeded: users, ms: Math.round(performance.now() - started) });
  await closeServices(services);
} else if (mode === "tick") {
  const services = await createServices(config, composition, { jobs: true });
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  say({ ready: true });
  await lines.next();
  const started = performance.now();
  const result = await runUserTick(services, dailyDigestTick, { force: true });
  say({ ...result, ms: Math.round(performance.now() - started) });
  await closeServices(services);
  process.exit(0);
}
