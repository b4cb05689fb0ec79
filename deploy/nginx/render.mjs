#!/usr/bin/env node
// Renders Cairn's Nginx templates (deploy/nginx/*.conf) with a site's variables (cairn.vars format).
//
//   node deploy/nginx/render.mjs --vars /etc/cairn/nginx.vars --out /etc/nginx/cairn [--set NAME=value ...]
//
// {{NAME}} is replaced by the value; a line holding {{@NAME}} is written once per space-separated item
// of the value (upstream servers, listen addresses). A placeholder without a value is an error, so a
// half-rendered file never reaches `nginx -t`. With TLS=on, cairn.conf is written with its plain HTTP
// server removed and its TLS servers uncommented (see withTls). scripts/deploy-test.mjs imports these.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

export const TEMPLATE_DIR = import.meta.dirname;
export const DEFAULT_VARS_FILE = path.join(TEMPLATE_DIR, "cairn.vars");

/** NAME=value lines; # comments and blank lines are skipped; surrounding quotes are removed. */
export function parseVars(text) {
  const vars = {};
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) throw new Error(`line ${index + 1}: expected NAME=value, got ${JSON.stringify(line)}`);
    vars[match[1]] = match[2].trim().replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

/** Replaces the placeholders of one template; throws naming every placeholder that has no value. */
export function renderTemplate(text, vars, name = "template") {
  const missing = new Set();
  const value = (key) => {
    const found = vars[key];
    if (found === undefined || found === "") {
      missing.add(key);
      return "";
    }
    return found;
  };
  const lines = [];
  for (const line of text.split("\n")) {
    const list = /\{\{@([A-Z][A-Z0-9_]*)\}\}/.exec(line);
    const copies = list ? value(list[1]).split(/\s+/).filter(Boolean) : [null];
    for (const item of copies) {
      const expanded = item === null ? line : line.replaceAll(`{{@${list[1]}}}`, item);
      lines.push(expanded.replace(/\{\{([A-Z][A-Z0-9_]*)\}\}/g, (_all, key) => value(key)));
    }
  }
  if (missing.size) throw new Error(`${name}: no value for ${[...missing].join(", ")}`);
  return lines.join("\n");
}

const PLAIN_SERVER = /# BEGIN plain HTTP server\n[\s\S]*?# END plain HTTP server\n/;
const TLS_SERVERS = /# BEGIN TLS servers\n([\s\S]*?)# END TLS servers/;

/**
 * cairn.conf switched to HTTPS: the plain HTTP server (between its BEGIN/END markers) is removed and
 * the commented TLS servers are uncommented, one "# " per line, exactly as a person would do by hand.
 */
export function withTls(template) {
  const tls = TLS_SERVERS.exec(template);
  if (!PLAIN_SERVER.test(template) || !tls)
    throw new Error("cairn.conf lacks the BEGIN/END markers around its server blocks");
  const uncommented = (tls[1] ?? "")
    .split("\n")
    .map((line) => line.replace(/^# ?/, ""))
    .join("\n");
  return template
    .replace(PLAIN_SERVER, "")
    .replace(TLS_SERVERS, () => `# TLS servers (TLS=on)\n${uncommented}`);
}

/** Renders every template of TEMPLATE_DIR into outDir; returns the paths written. */
export function renderNginxConfig({ vars, outDir, templateDir = TEMPLATE_DIR }) {
  mkdirSync(outDir, { recursive: true });
  const written = [];
  for (const file of readdirSync(templateDir)
    .filter((name) => name.endsWith(".conf"))
    .sort()) {
    const template = readFileSync(path.join(templateDir, file), "utf8");
    const tls = file === "cairn.conf" && vars.TLS === "on";
    const rendered = renderTemplate(tls ? withTls(template) : template, vars, file);
    const target = path.join(outDir, file);
    writeFileSync(target, rendered);
    written.push(target);
  }
  return written;
}

function main() {
  const { values } = parseArgs({
    options: {
      vars: { type: "string", default: DEFAULT_VARS_FILE },
      out: { type: "string" },
      set: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.out) {
    console.log("Usage: node deploy/nginx/render.mjs --vars FILE --out DIR [--set NAME=value ...]");
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const vars = parseVars(readFileSync(values.vars, "utf8"));
  for (const pair of values.set) Object.assign(vars, parseVars(pair));
  if (!vars.NGINX_DIR) vars.NGINX_DIR = path.resolve(values.out);
  if (path.resolve(vars.NGINX_DIR) !== path.resolve(values.out)) {
    console.error(
      `note: NGINX_DIR is ${vars.NGINX_DIR} but the files are written to ${values.out}; includes point to NGINX_DIR.`,
    );
  }
  for (const file of renderNginxConfig({ vars, outDir: values.out })) console.log(`wrote ${file}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  try {
    main();
  } catch (error) {
    console.error(`render: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
