import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("configuration", () => {
  it("defaults to the embedded database, memory state and the console mail backend", () => {
    const config = loadConfig({});
    expect(config.database.kind).toBe("pglite");
    expect(config.redis).toBeNull();
    expect(config.mail.url).toBe("console");
    expect(config.port).toBe(3000);
    expect(config.serveStatic).toBe(true);
  });

  it("reads PostgreSQL, Redis, mail and log settings", () => {
    const config = loadConfig({
      DATABASE_URL: "postgres://cairn@db:5432/cairn",
      REDIS_URL: "redis://cache:6379",
      MAIL_URL: "smtp://user:pass@mail:587",
      LOG_FILE: "logs/app.log",
      NODE_ENV: "production",
      PORT: "8080",
    });
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://cairn@db:5432/cairn" });
    expect(config.redis?.url).toBe("redis://cache:6379");
    expect(config.log.file).toMatch(/logs\/app\.log$/);
    expect(config.serveStatic).toBe(false);
    expect(config.port).toBe(8080);
  });

  it("fails fast with one clear line per bad value", () => {
    try {
      loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", MAIL_URL: "carrier-pigeon", NODE_ENV: "staging" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join("\n");
      expect(problems).toContain("PORT");
      expect(problems).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
      expect(problems).toContain("MAIL_URL: must be console, file://DIR or smtp(s)://user:pass@host:port");
      expect(problems).toContain("NODE_ENV");
    }
  });
});
