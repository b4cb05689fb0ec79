import { describe, expect, it } from "vitest";
import {
  bossSchedule,
  cronProblem,
  nextRunAt,
  normalizeCron,
  previewRuns,
  runNowPayload,
  scheduleProblems,
  timezoneProblem,
} from "./schedules.js";
import { redactSecrets } from "./monitor.js";

describe("cron and time-zone validation", () => {
  it("accepts five-field expressions and says why others are refused", () => {
    for (const cron of ["0 8 * * *", "0 9 * * 1", "*/5 * * * *", "0 10 1,15 * MON-FRI", "30 2 L * *"])
      expect(cronProblem(cron)).toBeNull();
    expect(cronProblem("")).toMatch(/empty.*five fields/);
    expect(cronProblem("0 8 * *")).toMatch(/has 4 fields; it needs five fields/);
    expect(cronProblem("0 0 8 * * *")).toMatch(/has 6 fields/);
    expect(cronProblem("61 8 * * *")).toMatch(/got value 61 expected range 0-59/);
    expect(cronProblem("0 24 * * *")).toMatch(/expected range 0-23/);
    expect(cronProblem("0 8 31 2 *")).toMatch(/day of month/i);
    expect(cronProblem("0 8 * * funday")).toMatch(/Not a valid cron expression/);
  });

  it("accepts UTC, IANA names and user; refuses the rest by name", () => {
    for (const zone of ["UTC", "user", "Asia/Karachi", "America/Los_Angeles", "Pacific/Chatham"])
      expect(timezoneProblem(zone)).toBeNull();
    expect(timezoneProblem("America/New_Yrok")).toMatch(/Unknown time zone "America\/New_Yrok"/);
    expect(timezoneProblem("")).toMatch(/Unknown time zone ""/);
    expect(timezoneProblem("users")).toMatch(/"user" for each user's own/);
    expect(scheduleProblems({ cron: "x", timezone: "y" }).map((problem) => problem.path)).toEqual([
      "cron",
      "timezone",
    ]);
    expect(scheduleProblems({})).toEqual([]);
  });

  it("normalizes spacing", () => {
    expect(normalizeCron("  0   8 * *  * ")).toBe("0 8 * * *");
  });
});

describe("what pg-boss is told", () => {
  it("ticks a schedule in users' own zones every minute in UTC with its cron; others run on their cron in their zone with {}", () => {
    expect(bossSchedule({ cron: "0 8 * * *", timezone: "user" })).toEqual({
      cron: "* * * * *",
      tz: "UTC",
      data: { cron: "0 8 * * *" },
    });
    expect(bossSchedule({ cron: "0 3 * * *", timezone: "Europe/Paris" })).toEqual({
      cron: "0 3 * * *",
      tz: "Europe/Paris",
      data: {},
    });
    expect(runNowPayload({ cron: "0 8 * * *", timezone: "user" })).toEqual({
      cron: "0 8 * * *",
      force: true,
    });
    expect(runNowPayload({ cron: "0 3 * * *", timezone: "UTC" })).toEqual({});
  });
});

describe("next runs", () => {
  const from = new Date("2026-03-07T12:00:00Z");

  it("follows a zone across its daylight-saving change", () => {
    // Los Angeles moves to UTC-7 on 8 March 2026: 08:00 local is 16:00 UTC, then 15:00 UTC.
    const runs = previewRuns("0 8 * * *", "America/Los_Angeles", 3, { from });
    expect(runs.map((run) => run.toISOString())).toEqual([
      "2026-03-07T16:00:00.000Z",
      "2026-03-08T15:00:00.000Z",
      "2026-03-09T15:00:00.000Z",
    ]);
  });

  it("for users' own zones, is the first zone to reach the hour; UTC when nobody has one", () => {
    const zones = ["America/Los_Angeles", "Asia/Karachi", "Pacific/Chatham"];
    // 7 March 12:00 UTC: Los Angeles reaches 08:00 at 16:00 UTC, Karachi (UTC+5) on the 8th at 03:00 UTC,
    // Chatham (UTC+13:45) on the 8th at 18:15 UTC of the 7th.
    expect(
      nextRunAt({ cron: "0 8 * * *", timezone: "user", enabled: true }, zones, { from })?.toISOString(),
    ).toBe("2026-03-07T16:00:00.000Z");
    const late = new Date("2026-03-07T17:00:00Z");
    expect(
      nextRunAt({ cron: "0 8 * * *", timezone: "user", enabled: true }, zones, { from: late })?.toISOString(),
    ).toBe("2026-03-07T18:15:00.000Z");
    expect(
      nextRunAt({ cron: "0 8 * * *", timezone: "user", enabled: true }, ["Asia/Karachi"], {
        from: late,
      })?.toISOString(),
    ).toBe("2026-03-08T03:00:00.000Z");
    expect(nextRunAt({ cron: "0 8 * * *", timezone: "user", enabled: false }, zones)).toBeNull();
    const utc = nextRunAt({ cron: "0 8 * * *", timezone: "user", enabled: true }, []);
    expect(utc?.getUTCHours()).toBe(8);
  });
});

describe("redacting job payloads", () => {
  it("hides the values of secret-looking keys at any depth, and keeps the rest", () => {
    const payload = {
      to: "ann@example.test",
      password: "p",
      newPassword: "p",
      headers: { Authorization: "Bearer x", "x-api-key": "k" },
      list: [{ resetToken: "t", code: "123456", phoneCode: "1" }, "plain"],
      nested: { deeper: { clientSecret: "s", sessionId: "sid", refresh_token: "r" } },
      subject: "Your code",
      count: 3,
    };
    expect(redactSecrets(payload)).toEqual({
      to: "ann@example.test",
      password: "[redacted]",
      newPassword: "[redacted]",
      headers: { Authorization: "[redacted]", "x-api-key": "[redacted]" },
      list: [{ resetToken: "[redacted]", code: "[redacted]", phoneCode: "[redacted]" }, "plain"],
      nested: {
        deeper: { clientSecret: "[redacted]", sessionId: "[redacted]", refresh_token: "[redacted]" },
      },
      subject: "Your code",
      count: 3,
    });
  });
});
