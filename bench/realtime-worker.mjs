// The seeding of `npm run bench:realtime`, run with tsx so that it uses Cairn's own code:
//   setup <audience> <others> <file>
// makes an organization (its default roles, an admin) through Cairn's services, `audience` people
// who may see every task of its projects (project managers and support staff: tasks.view_all of
// scope all) and `others` who may not see the bench's task (developers, half of them verified:
// tasks.view_all of scope own, on projects they are not on), in bulk through SQL; then signs each
// of them in (a session of their own, startSession: a refresh family and an access token) and
// writes the access tokens to `file` as JSON. The database is DATABASE_URL, the key SECRET_KEY
// (the same as the measured servers', so that the tokens are theirs).
import { writeFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import { loadConfig } from "../apps/server/src/config.ts";
import { systemActor } from "../apps/server/src/platform/access/actor.ts";
import { closeServices, createServices } from "../apps/server/src/platform/bootstrap.ts";
import { runAs } from "../apps/server/src/platform/services.ts";
import { composition } from "../apps/server/src/modules/index.ts";
import { createUser, startSession } from "../apps/server/src/modules/accounts/accounts.service.ts";
import { addMembership } from "../apps/server/src/modules/orgs/members.service.ts";
import { insertOrganization } from "../apps/server/src/modules/orgs/orgs.service.ts";

const [mode, ...args] = process.argv.slice(2);
if (mode !== "setup" || args.length !== 3) {
  console.error("usage: realtime-worker.mjs setup <audience> <others> <file>");
  process.exit(2);
}
const [audience, others] = args.slice(0, 2).map(Number);
const file = args[2];
const config = loadConfig({
  DATABASE_URL: process.env.DATABASE_URL,
  SECRET_KEY: process.env.SECRET_KEY,
  NODE_ENV: "production",
  PUBLIC_URL: "https://cairn.bench",
  LOG_LEVEL: "warn",
  DATA_DIR: process.env.BENCH_DATA_DIR,
});
const services = await createServices(config, composition, { jobs: true });
const started = performance.now();
const org = await runAs(services, systemActor("bench"), async (ctx) => {
  const created = await insertOrganization(ctx, { slug: "bench-realtime", name: "Bench realtime" });
  const admin = await createUser(ctx, {
    email: "bench_admin@bench.test",
    username: "bench_admin",
    password: null,
  });
  await addMembership(ctx, created.id, admin.id, ["admin"]);
  return { id: created.id, adminId: admin.id };
});
const { db } = services.database;
// People in bulk: users with profiles and memberships, each holding one default role.
await db.execute(sql`
  with created as (
    insert into users (email, username)
    select 'rt' || g || '@bench.test', 'rt' || g from generate_series(1, ${audience + others}) g
    returning id, username
  ), profiled as (
    insert into profiles (user_id, display_name) select id, username from created
  )
  insert into memberships (org_id, user_id) select ${org.id}, id from created`);
await db.execute(sql`
  insert into membership_roles (org_id, user_id, role_id)
  select ${org.id}, u.id, r.id
  from (select id, substr(username, 3)::int as n from users where username like 'rt%') u
  join roles r on r.org_id = ${org.id} and r.key = case
    when u.n <= ${audience} then (case when u.n % 2 = 0 then 'project_manager' else 'support' end)
    when u.n % 2 = 0 then 'developer' else 'verified_developer' end`);
// The project of the bench's task: owned by the admin, managed by the first project manager, with
// a team of 20 of the developers (who are not on it: the task's audience is the view_all holders).
const {
  rows: [project],
} = await db.execute(sql`
  insert into projects (org_id, key, name, status, owner_id, manager_id)
  values (${org.id}, 'RT', 'Realtime', 'active', ${org.adminId}, (select id from users where username = 'rt2'))
  returning id`);
await db.execute(sql`
  insert into project_members (org_id, project_id, user_id, role)
  values (${org.id}, ${project.id}, ${org.adminId}, 'owner'),
         (${org.id}, ${project.id}, (select id from users where username = 'rt2'), 'manager')`);
await db.execute(sql`analyze`);
const seeded = performance.now();
// A session per person, as a sign-in makes it (the password check aside), in transactions of 500.
const people = (
  await db.execute(
    sql`select id, username from users where username like 'rt%' order by substr(username, 3)::int`,
  )
).rows;
const tokens = [];
const admin = await runAs(services, systemActor("bench"), async (ctx) => {
  const [user] = (await ctx.tx.execute(sql`select * from users where id = ${org.adminId}`)).rows;
  return (await startSession(ctx, { ...user, id: user.id })).access;
});
for (let from = 0; from < people.length; from += 500) {
  const batch = people.slice(from, from + 500);
  const sessions = await runAs(services, systemActor("bench"), async (ctx) => {
    const access = [];
    for (const user of batch) access.push((await startSession(ctx, user)).access);
    return access;
  });
  for (const [index, user] of batch.entries()) {
    const n = Number(user.username.slice(2));
    tokens.push({ userId: user.id, token: sessions[index], audience: n <= audience });
  }
}
await writeFile(file, JSON.stringify({ orgId: org.id, projectId: project.id, adminToken: admin, tokens }));
console.log(
  `  ${people.length.toLocaleString("en")} people (${audience} may see the task) seeded in ${Math.round(seeded - started)} ms,` +
    ` signed in in ${Math.round(performance.now() - seeded)} ms`,
);
await closeServices(services);
process.exit(0);
