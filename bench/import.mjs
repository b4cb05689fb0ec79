#!/usr/bin/env node
// Issue 13's import benchmark, in one run on PostgreSQL (and Redis when REDIS_URL is set), against
// `cairn all` (web and job worker in one process, as the embedded default runs):
//   1. the ceiling: raw COPY of the same 100,000 rows into a scratch table shaped like `tasks` (its
//      columns, defaults and every index; no foreign keys, triggers or checks of the import's rules),
//      through pg-copy-streams in one transaction, the best of three: the machine's limit for
//      writing these rows;
//   2. a 100,000-row CSV from upload to `completed`: POST /api/tasks/import (multipart), then
//      GET /api/imports/{id} until it says completed. Targets: ≥ 50,000 rows/s end to end, and
//      ≥ 50% of the ceiling's rows/s;
//   3. a 1,000,000-row CSV (under the 20 MB limit) imported the same way while the server's resident
//      memory (its process tree, sampled every 50 ms) is watched: the peak stays within 200 MB of the
//      idle size measured just before.
// Exit code 1 when a target is missed. Usage: npm run bench:import   (IMPORT_ROWS=100000, MEMORY_ROWS=1000000)
import { readFileSync, readdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { freshDatabase, startCairn } from "./lib.mjs";

const ROWS = Number(process.env.IMPORT_ROWS ?? 100_000);
const MEMORY_ROWS = Number(process.env.MEMORY_ROWS ?? 1_000_000);
const PASSWORD = "Quiet-Harbor-Lantern-42";
const STATUSES = ["todo", "in_progress", "done"];
const PRIORITIES = ["low", "medium", "high", "urgent"];
const LABELS = ["backend", "frontend", "bug", "infra", "docs", "q1"];

async function api(base, method, path, body, token) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A backlog as teams export it: a title, a status, a priority, labels and the tracker's id. */
function backlog(rows) {
  const lines = ["title,status,priority,labels,externalId"];
  for (let index = 0; index < rows; index++) {
    const labels = `${LABELS[index % LABELS.length]};${LABELS[(index * 7 + 3) % LABELS.length]}`;
    lines.push(`Imported task ${index} from the old tracker,${STATUSES[index % 3]},${PRIORITIES[index % 4]},${labels},OLD-${index}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The shortest file a million tasks fit in under 20 MB: titles alone. */
function titlesOnly(rows) {
  const lines = ["title"];
  for (let index = 0; index < rows; index++) lines.push(`T${index}`);
  return `${lines.join("\n")}\n`;
}

/** Resident memory of a process and its descendants, in bytes (Linux /proc). */
function treeRss(rootPid) {
  const parents = new Map();
  const rss = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
      rss.set(Number(entry), Number(fields[21]) * 4096);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.pop();
    total += rss.get(pid) ?? 0;
    for (const [child, parent] of parents) if (parent === pid) queue.push(child);
  }
  return total;
}

async function importFile(cairn, token, projectId, csv, name) {
  const form = new FormData();
  form.set("projectId", projectId);
  form.set("dryRun", "false");
  form.set("file", new Blob([csv], { type: "text/csv" }), name);
  const started = performance.now();
  const response = await fetch(`${cairn.url}/api/tasks/import`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  if (response.status !== 202) throw new Error(`import: ${response.status} ${await response.text()}`);
  const { importId } = await response.json();
  const accepted = performance.now();
  for (;;) {
    const view = await api(cairn.url, "GET", `/api/imports/${importId}`, null, token);
    if (view.status === "completed" || view.status === "failed") {
      return { view, ms: performance.now() - started, uploadMs: accepted - started };
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** COPY of the rows a file holds into a table shaped like tasks, in one transaction; its time in ms. */
async function rawCopy(databaseUrl, projectId, orgId, reporterId, rows, shape = "including defaults including generated including indexes") {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("drop table if exists import_scratch");
    await client.query(`create table import_scratch (like tasks ${shape})`);
    const started = performance.now();
    await client.query("begin");
    const copy = client.query(
      copyFrom("copy import_scratch (org_id, project_id, number, title, status, priority, reporter_id, labels, external_id) from stdin with (format csv)"),
    );
    async function* lines() {
      for (let index = 0; index < rows; index++) {
        const labels = `"{${LABELS[index % LABELS.length]},${LABELS[(index * 7 + 3) % LABELS.length]}}"`;
        yield `${orgId},${projectId},${index + 1},Imported task ${index} from the old tracker,${STATUSES[index % 3]},${PRIORITIES[index % 4]},${reporterId},${labels},OLD-${index}\n`;
      }
    }
    await pipeline(Readable.from(lines()), copy);
    await client.query("commit");
    return performance.now() - started;
  } finally {
    await client.query("drop table if exists import_scratch").catch(() => {});
    await client.end();
  }
}

const database = await freshDatabase("import");
const cairn = await startCairn(
  { PORT: String(41_000 + Math.floor(Math.random() * 2000)), DATABASE_URL: database.url, ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `cairn:bench:import:${randomBytes(4).toString("hex")}:` } : {}) },
  { command: "all" },
);
const misses = [];
try {
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const superuser = await api(cairn.url, "POST", "/api/auth/register", { email: "bench-super@bench.test", username: "bench-super", password: PASSWORD, accountType: "customer" });
  await pool.query("update users set is_superuser = true where id = $1", [superuser.user.id]);
  const { access: token } = await api(cairn.url, "POST", "/api/auth/login", { login: "bench-super", password: PASSWORD });
  const org = (await api(cairn.url, "GET", "/api/orgs?search=", null, token)).items[0];
  const newProject = async (key) => (await api(cairn.url, "POST", "/api/projects", { orgId: org.id, name: `Imports ${key}`, key }, token)).id;
  const projectId = await newProject("IMP");

  // 1. The ceiling, best of three.
  const copies = [];
  for (let round = 0; round < 3; round++) copies.push(await rawCopy(database.url, projectId, org.id, superuser.user.id, ROWS));
  const copyMs = Math.min(...copies);
  const copyRate = ROWS / (copyMs / 1000);
  console.log(`raw COPY of ${ROWS.toLocaleString("en")} rows into a table shaped like tasks: ${Math.round(copyMs)} ms, ${Math.round(copyRate).toLocaleString("en")} rows/s (best of ${copies.map(Math.round).join(", ")} ms)`);
  // For reference, not a target: the same COPY into a bare table (no index at all), what the disk
  // and the parser alone allow; the tasks table's 16 indexes (a trigram one among them) cost the rest.
  const bareMs = await rawCopy(database.url, projectId, org.id, superuser.user.id, ROWS, "including defaults including generated");
  console.log(`  for reference, the same COPY into a table without indexes: ${Math.round(bareMs)} ms, ${Math.round(ROWS / (bareMs / 1000)).toLocaleString("en")} rows/s`);

  // 2. The import, end to end (a warm-up import of 1,000 rows first: JIT and pools, as a running server has them).
  await importFile(cairn, token, await newProject("WARM"), backlog(1000), "warm-up.csv");
  const csv = backlog(ROWS);
  const run = await importFile(cairn, token, projectId, csv, "backlog.csv");
  if (run.view.status !== "completed" || run.view.created !== ROWS) throw new Error(`the import ended ${run.view.status} with ${run.view.created} created: ${JSON.stringify(run.view).slice(0, 500)}`);
  const rate = ROWS / (run.ms / 1000);
  const share = rate / copyRate;
  console.log(
    `import of ${ROWS.toLocaleString("en")} rows (${(csv.length / 1024 / 1024).toFixed(1)} MB) from upload to completed: ${Math.round(run.ms)} ms ` +
      `(upload and check ${Math.round(run.uploadMs)} ms), ${Math.round(rate).toLocaleString("en")} rows/s (target ≥ 50,000), ${(share * 100).toFixed(0)}% of raw COPY (target ≥ 50%)`,
  );
  if (rate < 50_000) misses.push(`import ${Math.round(rate)} rows/s < 50,000`);
  if (share < 0.5) misses.push(`import at ${(share * 100).toFixed(0)}% of raw COPY < 50%`);

  // 3. Memory during a 1,000,000-row import.
  const big = titlesOnly(MEMORY_ROWS);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idle = treeRss(cairn.pid);
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeRss(cairn.pid));
  }, 50);
  const large = await importFile(cairn, token, await newProject("BIG"), big, "million.csv");
  clearInterval(sampler);
  peak = Math.max(peak, treeRss(cairn.pid));
  if (large.view.status !== "completed" || large.view.created !== MEMORY_ROWS) throw new Error(`the large import ended ${large.view.status}: ${JSON.stringify(large.view).slice(0, 500)}`);
  const grew = (peak - idle) / 1024 / 1024;
  console.log(
    `import of ${MEMORY_ROWS.toLocaleString("en")} rows (${(big.length / 1024 / 1024).toFixed(1)} MB) in ${Math.round(large.ms)} ms: server memory idle ${Math.round(idle / 1024 / 1024)} MB, ` +
      `peak ${Math.round(peak / 1024 / 1024)} MB, +${Math.round(grew)} MB (target ≤ +200 MB)`,
  );
  if (grew > 200) misses.push(`memory grew ${Math.round(grew)} MB > 200 MB`);
  await pool.end();
} finally {
  await cairn.stop();
  await database.drop();
}
if (misses.length) {
  console.error(`MISSED: ${misses.join("; ")}`);
  process.exit(1);
}
console.log("all import targets met");
