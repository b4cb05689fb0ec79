import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.js";
import { EXAMPLE_SECRET_KEY, checkDeploy, checkExitCode, formatCheckReport } from "./check.js";

const ENV_EXAMPLE = path.resolve(import.meta.dirname, "../../../../../deploy/cairn.env.example");
/** What `openssl rand -base64 48` prints: the docs tell the operator to put such a value in place of the placeholder. */
const GENERATED_KEY = "q3N8vT0fJr9kLx2mZp7WcYbE4uHs6aGd1oQiVnRtK5yB+e/FjXhUwMlSgCzPDA0I8r2mZ";

/** The KEY=value lines of an env file, as systemd's EnvironmentFile reads them. */
function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match?.[1]) continue;
    values[match[1]] = (match[2] ?? "").trim().replace(/^"(.*)"$/, "$1");
  }
  return values;
}

const ids = (env: Record<string, string | undefined>) =>
  checkDeploy(loadConfig(env), { environment: {} }).map((result) => result.id);

describe("checkDeploy", () => {
  it("fails a development configuration with the documented errors", () => {
    const results = checkDeploy(loadConfig({}), { environment: {} });
    const errors = results.filter((result) => result.level === "error").map((result) => result.id);
    expect(errors).toEqual(
      expect.arrayContaining([
        "deploy.E001", // NODE_ENV
        "deploy.E002", // SECRET_KEY
        "deploy.E006", // PUBLIC_URL
        "deploy.E008", // ALLOWED_HOSTS
        "deploy.E011", // DATABASE_URL
        "deploy.E012", // REDIS_URL
        "deploy.E013", // MAIL_URL
        "deploy.E015", // TRUST_PROXY
      ]),
    );
    expect(results.map((result) => result.id)).toEqual(
      expect.arrayContaining(["deploy.W001", "deploy.W002", "deploy.W005"]),
    );
    expect(checkExitCode(results)).toBe(1);
    for (const result of results) {
      expect(result.message.length).toBeGreaterThan(10);
      expect(result.hint.length).toBeGreaterThan(10);
    }
  });

  it("passes the documented production environment once its secret key is replaced", () => {
    const env = { ...readEnvFile(ENV_EXAMPLE), SECRET_KEY: GENERATED_KEY };
    const results = checkDeploy(loadConfig(env), { environment: {} });
    expect(results.filter((result) => result.level === "error")).toEqual([]);
    expect(checkExitCode(results)).toBe(0);
  });

  it("refuses the example's placeholder secret key as it is shipped", () => {
    const env = readEnvFile(ENV_EXAMPLE);
    expect(env.SECRET_KEY).toBe(EXAMPLE_SECRET_KEY);
    expect(ids(env)).toContain("deploy.E004");
  });

  it("notices journald, so a log file is not asked for under systemd", () => {
    const env = { ...readEnvFile(ENV_EXAMPLE), SECRET_KEY: GENERATED_KEY, LOG_FILE: "" };
    expect(checkDeploy(loadConfig(env), { environment: {} }).map((result) => result.id)).toContain(
      "deploy.W002",
    );
    expect(
      checkDeploy(loadConfig(env), { environment: { JOURNAL_STREAM: "8:12345" } }).map((result) => result.id),
    ).not.toContain("deploy.W002");
  });

  describe("each production setting", () => {
    const good = () => ({ ...readEnvFile(ENV_EXAMPLE), SECRET_KEY: GENERATED_KEY });

    it.each([
      ["short secret key", { SECRET_KEY: "aB3$dE6&gH9*jK2" }, "deploy.E003"],
      ["placeholder secret key", { SECRET_KEY: "change-me" }, "deploy.E004"],
      ["repetitive secret key", { SECRET_KEY: "ab".repeat(40) }, "deploy.E005"],
      ["plain http public address", { PUBLIC_URL: "http://cairn.example.com" }, "deploy.E007"],
      ["wildcard hosts", { ALLOWED_HOSTS: "*" }, "deploy.E009"],
      ["public host not allowed", { ALLOWED_HOSTS: "other.example.com" }, "deploy.E010"],
      ["console mail", { MAIL_URL: "console" }, "deploy.E013"],
      ["file mail", { MAIL_URL: "file:///tmp/mail" }, "deploy.E013"],
      ["proxy trusted blindly", { TRUST_PROXY: "true" }, "deploy.E014"],
      ["wildcard CORS", { CORS_ORIGINS: "*" }, "deploy.E016"],
      ["demo data", { SEED_DEMO: "true" }, "deploy.E017"],
      ["Node serving static files", { SERVE_STATIC: "true" }, "deploy.W001"],
      ["jobs disabled", { PGBOSS_ENABLED: "false" }, "deploy.W003"],
      ["debug logging", { LOG_LEVEL: "debug" }, "deploy.W004"],
      ["default sender", { MAIL_FROM: "Cairn <no-reply@cairn.local>" }, "deploy.W006"],
      ["private files streamed by Node", { ACCEL_REDIRECT: "false" }, "deploy.W007"],
    ])("reports %s", (_name, override, id) => {
      expect(ids(good())).not.toContain(id);
      expect(ids({ ...good(), ...override })).toContain(id);
    });

    it("reports a missing database, Redis and proxy setting", () => {
      const env: Record<string, string | undefined> = {
        ...good(),
        DATABASE_URL: undefined,
        REDIS_URL: undefined,
        TRUST_PROXY: undefined,
      };
      expect(ids(env)).toEqual(expect.arrayContaining(["deploy.E011", "deploy.E012", "deploy.E015"]));
    });
  });
});

describe("formatCheckReport", () => {
  it("says so when there is nothing to report", () => {
    expect(formatCheckReport([])).toBe("System check identified no issues.");
  });

  it("lists errors before warnings with their hints and counts them", () => {
    const report = formatCheckReport([
      { id: "deploy.W001", level: "warning", message: "Static files.", hint: "Use Nginx." },
      { id: "deploy.E001", level: "error", message: "Not production.", hint: "Set NODE_ENV." },
    ]);
    expect(report).toContain("ERRORS:\n(deploy.E001) Not production.\n\tHINT: Set NODE_ENV.");
    expect(report.indexOf("ERRORS:")).toBeLessThan(report.indexOf("WARNINGS:"));
    expect(report.trim().split("\n").at(-1)).toBe("System check identified 2 issues (1 error, 1 warning).");
  });
});
