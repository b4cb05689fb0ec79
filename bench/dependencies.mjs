#!/usr/bin/env node
// Issue 13's dependency benchmark, on PostgreSQL: loop detection when a task starts waiting for another, on a
// project whose 10,000 tasks form one chain (each waits for the one before it). Run through tsx
// (`npm run bench:dependencies`): it times the server's own `linkBlocker` (the organization's lock, the
// places read, the bounded walks, the moves and the insert), each link in a transaction of its own, and
// the whole POST /api/tasks/{id}/dependencies request beside it. Rows:
//   1. a new task waits for the chain's last task              (the usual link: target < 5 ms per insert)
//   2. the chain's first task waits for a new task            (a blocker placed later: target < 5 ms)
//   3. a shortcut inside the chain (T[i+50] waits for T[i])   (target < 5 ms)
//   4. the loop: the chain's first task waits for its last    (refused with the 10,001-task path, reported)
// Exits non-zero when a target is missed. Usage: npm run bench:dependencies   (BENCH_CHAIN=10000)
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { linkBlocker } from "../apps/server/src/modules/tasks/tasks.dependencies.ts";
import { freshDatabase, median, startCairn } from "./lib.mjs";

const CHAIN = Number(process.env.BENCH_CHAIN ?? 10000);
const LINKS = 100;
const TARGET_MS = 5;
const PASSWORD = "Quiet-Harbor-Lantern-42";

async function api(base, method, path, body, token) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body ? { "content-type": "application/json" } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;

const database = await freshDatabase("deps");
const port = 20000 + Math.floor(Math.random() * 20000);
const cairn = await startCairn({ DATABASE_URL: database.url, PORT: String(port) });
const pool = new pg.Pool({ connectionString: database.url, max: 4 });
let failed = false;
try {
  // The superuser, a project of the open organization, and its chain of tasks (written by SQL, places in chain order).
  const registered = await api(cairn.url, "POST", "/api/auth/register", {
    email: "deps@bench.test",
    username: "deps-super",
    password: PASSWORD,
    accountType: "customer",
  });
  await pool.query("update users set is_superuser = true where id = $1", [registered.body.user.id]);
  const token = (await api(cairn.url, "POST", "/api/auth/login", { login: "deps-super", password: PASSWORD }))
    .body.access;
  const org = (await api(cairn.url, "GET", "/api/orgs?search=", null, token)).body.items[0];
  const project = (
    await api(cairn.url, "POST", "/api/projects", { orgId: org.id, name: "Chain", key: "CHAIN" }, token)
  ).body;
  const started = Date.now();
  await pool.query(
    `insert into tasks (org_id, project_id, number, title, reporter_id, dep_rank)
     select $1, $2, n, 'Step ' || n, $3, nextval('task_dep_rank_seq') from generate_series(1, $4::int) as n order by n`,
    [org.id, project.id, registered.body.user.id, CHAIN],
  );
  await pool.query("insert into task_sequences (org_id, scope_id, last) values ($1, $2, $3)", [
    org.id,
    project.id,
    CHAIN,
  ]);
  await pool.query(
    `insert into task_dependencies (org_id, task_id, depends_on_id)
     select $1, t.id, p.id from tasks t join tasks p on p.project_id = t.project_id and p.number = t.number - 1 where t.project_id = $2`,
    [org.id, project.id],
  );
  await pool.query("analyze tasks; analyze task_dependencies");
  const { rows: chain } = await pool.query("select id from tasks where project_id = $1 order by number", [
    project.id,
  ]);
  const ids = chain.map((row) => row.id);
  // Spare tasks, made through the API (so they come after the chain in the order, as new tasks do).
  const spares = [];
  for (let batch = 0; batch < 3; batch++) {
    const made = await api(
      cairn.url,
      "POST",
      "/api/tasks/bulk",
      {
        projectId: project.id,
        tasks: Array.from({ length: LINKS }, (_, index) => ({ title: `Spare ${batch}-${index}` })),
      },
      token,
    );
    spares.push(...made.body.ids);
  }
  console.log(`chain of ${CHAIN} tasks seeded in ${Date.now() - started} ms`);

  const db = drizzle(pool, { casing: "snake_case" });
  /** Times linkBlocker in a transaction of its own (kept, or rolled back when `keep` is false); returns ms and the error, if any. */
  async function timeLink(taskId, dependsOnId, keep = true) {
    let elapsed = 0;
    let refused = null;
    try {
      await db.transaction(async (tx) => {
        const start = process.hrtime.bigint();
        try {
          await linkBlocker(tx, org.id, taskId, dependsOnId);
        } catch (error) {
          refused = error;
        }
        elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        if (refused || !keep) throw new Error("rollback");
      });
    } catch (error) {
      if (error.message !== "rollback") throw error;
    }
    return { elapsed, refused };
  }

  const rows = [];
  async function row(name, pairs, { target = TARGET_MS, expectRefused = false, keep = true } = {}) {
    const times = [];
    for (const [taskId, dependsOnId] of pairs) {
      const { elapsed, refused } = await timeLink(taskId, dependsOnId, keep);
      if (Boolean(refused) !== expectRefused)
        throw new Error(
          `${name}: ${refused ? `refused: ${refused.message}` : "written, a loop was expected"}`,
        );
      times.push(elapsed);
    }
    const result = {
      name,
      count: times.length,
      median: median(times),
      p95: percentile(times, 0.95),
      max: Math.max(...times),
      target,
    };
    rows.push(result);
    return result;
  }

  // Warm-up: JIT, the pool's connections, the plans.
  for (let index = 0; index < 20; index++) await timeLink(spares[index], ids[CHAIN - 1], false);
  await row(
    "new task waits for the chain's last",
    spares.slice(0, LINKS).map((spare) => [spare, ids[CHAIN - 1]]),
  );
  await row(
    "chain's first waits for a new task",
    spares.slice(LINKS, 2 * LINKS).map((spare) => [ids[0], spare]),
  );
  await row(
    "shortcut inside the chain",
    Array.from({ length: LINKS }, (_, index) => [ids[index * 90 + 50], ids[index * 90]]),
  );
  await row(
    "the loop (first waits for last)",
    Array.from({ length: 10 }, () => [ids[0], ids[CHAIN - 1]]),
    { target: null, expectRefused: true },
  );

  // The whole request, for comparison: a new task waits for the chain's last task.
  const requests = [];
  for (const spare of spares.slice(2 * LINKS + 10, 3 * LINKS)) {
    const start = process.hrtime.bigint();
    const response = await api(
      cairn.url,
      "POST",
      `/api/tasks/${spare}/dependencies`,
      { dependsOnId: ids[CHAIN - 2] },
      token,
    );
    requests.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (response.status !== 201)
      throw new Error(`POST dependencies: ${response.status} ${JSON.stringify(response.body)}`);
  }
  const loop = await api(
    cairn.url,
    "POST",
    `/api/tasks/${ids[0]}/dependencies`,
    { dependsOnId: ids[CHAIN - 1] },
    token,
  );
  console.log(
    `\nPOST /api/tasks/{id}/dependencies (whole request): median ${median(requests).toFixed(2)} ms, p95 ${percentile(requests, 0.95).toFixed(2)} ms`,
  );
  console.log(`the loop through the API: ${loop.status} ${String(loop.body?.detail).slice(0, 120)}…\n`);

  const width = Math.max(...rows.map((each) => each.name.length));
  for (const each of rows) {
    const ok = each.target === null || each.p95 < each.target;
    if (!ok) failed = true;
    console.log(
      `${ok ? (each.target === null ? " " : "✓") : "✗"} ${each.name.padEnd(width)}  ${String(each.count).padStart(4)} links  median ${each.median.toFixed(2).padStart(6)} ms  p95 ${each.p95.toFixed(2).padStart(6)} ms  max ${each.max.toFixed(2).padStart(6)} ms${each.target === null ? "" : `  (target p95 < ${each.target} ms)`}`,
    );
  }
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  await pool.end();
  await cairn.stop();
  await database.drop();
}
process.exit(failed ? 1 : 0);
