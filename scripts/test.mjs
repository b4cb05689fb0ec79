#!/usr/bin/env node
// `npm test`: every test. Unit and integration suites (Vitest) on the embedded database and
// in-memory state by default, or on PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set
// (each run in its own databases and key prefix); then the browser tests in Chromium.
// Prints a closing line "N passed, N failed" and, with TEST_SUMMARY_FILE, writes the counts there.
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules/.bin", name);
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/** Runs a command, echoing its output, and returns the exit code and what it printed. */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    for (const stream of [child.stdout, child.stderr]) {
      stream.on("data", (chunk) => {
        output += chunk;
        (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
      });
    }
    child.on("close", (code) => resolve({ code: code ?? 1, output: output.replace(ANSI, "") }));
  });
}

/** Vitest's summary: "Tests  3 failed | 170 passed | 1 skipped (174)". */
function counts(output) {
  const line = output.split("\n").reverse().find((text) => /^\s*Tests\s+/.test(text));
  if (!line) return null;
  const number = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
  return { passed: number("passed"), failed: number("failed"), skipped: number("skipped") };
}

// The shared package runs from its compiled dist/: rebuild it so tests see the current source.
const shared = await run("npm", ["run", "--silent", "build", "-w", "@cairn/shared"]);
if (shared.code !== 0) process.exit(shared.code);

const target = process.env.DATABASE_URL ? "PostgreSQL and Redis" : "the embedded database and in-memory state";
console.log(`\n▶ Unit and integration tests on ${target}\n`);
const suites = [];
const unit = await run(bin("vitest"), ["run"]);
suites.push({ name: "unit and integration", code: unit.code, counts: counts(unit.output) });

if (process.env.SKIP_E2E !== "1" && existsSync(path.join(root, "scripts/e2e.mjs"))) {
  console.log("\n▶ Browser tests (Chromium)\n");
  const e2e = await run(process.execPath, [path.join(root, "scripts/e2e.mjs")]);
  suites.push({ name: "browser", code: e2e.code, counts: counts(e2e.output) });
}

let passed = 0;
let failed = 0;
for (const suite of suites) {
  passed += suite.counts?.passed ?? 0;
  // A suite that failed without reporting counts (it crashed) counts as one failure.
  failed += suite.counts ? suite.counts.failed : suite.code === 0 ? 0 : 1;
  if (suite.code !== 0 && suite.counts && suite.counts.failed === 0) failed += 1;
  console.log(`${suite.name}: ${suite.code === 0 ? "ok" : `FAILED (exit ${suite.code})`}`);
}
if (process.env.TEST_SUMMARY_FILE) writeFileSync(process.env.TEST_SUMMARY_FILE, JSON.stringify({ passed, failed }));
console.log(`${passed} passed, ${failed} failed`);
process.exit(suites.every((suite) => suite.code === 0) ? 0 : 1);
