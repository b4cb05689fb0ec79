#!/usr/bin/env node
// `npm run lint` runs this beside ESLint: the server's modules must form a layered graph.
// A module depends on another when one of its files (tests and table files aside: tables may
// name another module's table for a foreign key) imports from it. A cycle fails the lint with
// the path that closes it; so does a module folder that the composition root does not list.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../apps/server/src/modules");
const modules = readdirSync(root).filter((name) => statSync(path.join(root, name)).isDirectory());
const IMPORT = /from\s+"\.\.\/([a-z-]+)\/[^"]*"/g;

const graph = new Map();
for (const name of modules) {
  const deps = new Set();
  for (const file of readdirSync(path.join(root, name))) {
    if (!file.endsWith(".ts") || /\.(test|test-util|table)\.ts$/.test(file)) continue;
    const text = readFileSync(path.join(root, name, file), "utf8");
    for (const match of text.matchAll(IMPORT)) if (match[1] !== name && modules.includes(match[1])) deps.add(match[1]);
  }
  graph.set(name, deps);
}

const problems = [];
const state = new Map();
const stack = [];
function visit(name) {
  state.set(name, "open");
  stack.push(name);
  for (const dep of graph.get(name)) {
    if (state.get(dep) === "open") problems.push(`import cycle between modules: ${[...stack.slice(stack.indexOf(dep)), dep].join(" → ")}`);
    else if (!state.has(dep)) visit(dep);
  }
  stack.pop();
  state.set(name, "done");
}
for (const name of modules) if (!state.has(name)) visit(name);

const composition = readFileSync(path.join(root, "index.ts"), "utf8");
for (const name of modules) {
  if (!composition.includes(`"./${name}/index.js"`)) problems.push(`module ${name} is not listed in the composition root (src/modules/index.ts)`);
}

if (problems.length) {
  for (const problem of problems) console.error(`✖ ${problem}`);
  process.exit(1);
}
const order = [];
const placed = new Set();
while (order.length < modules.length) {
  for (const name of modules) {
    if (!placed.has(name) && [...graph.get(name)].every((dep) => placed.has(dep))) {
      order.push(name);
      placed.add(name);
    }
  }
}
console.log(`modules: ${modules.length}, layered without cycles (bottom first): ${order.join(", ")}`);
