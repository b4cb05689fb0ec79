#!/usr/bin/env node
// `npm start`: builds the web UI when it is missing or older than its sources, then runs
// `cairn all` (API + web UI + job worker) on the embedded database under ./var/.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const webDist = path.join(root, "apps/web/dist/index.html");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

// The shared package runs from its compiled dist/ (types come from src/): rebuild it first, it takes a second.
const shared = spawnSync("npm", ["run", "--silent", "build", "-w", "@cairn/shared"], { cwd: root, stdio: "inherit" });
if (shared.status !== 0) process.exit(shared.status ?? 1);

const webSources = [path.join(root, "apps/web/src"), path.join(root, "packages/shared/src")].filter(existsSync);
const stale = !existsSync(webDist) || webSources.some((dir) => newestMtime(dir) > statSync(webDist).mtimeMs);
if (stale) {
  console.log("Building the web UI…");
  const build = spawnSync("npm", ["run", "build", "-w", "@cairn/web"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const args = process.argv.slice(2);
const server = spawn(path.join(root, "node_modules/.bin/tsx"), ["apps/server/src/main.ts", ...(args.length ? args : ["all"])], {
  cwd: root,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
