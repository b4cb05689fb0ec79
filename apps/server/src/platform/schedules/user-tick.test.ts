import { describe, expect, it } from "vitest";
import { dueKey, latestOccurrence, localDate } from "./user-tick.js";

/**
 * The tick's time-zone arithmetic, minute by minute across daylight-saving changes: a user
 * gets exactly one message per local day, at their 08:00, however the clocks move.
 */
const MINUTE = 60_000;

/** Runs a tick every `step` minutes (5: the zones here are whole quarters of an hour from UTC) from `from` to `to`; returns when each key was first due (the claim). */
function simulate(
  cron: string,
  zone: string,
  from: string,
  to: string,
  options: { step?: number; skip?: (now: Date) => boolean; force?: (now: Date) => boolean } = {},
) {
  const sent = new Map<string, Date>();
  const step = (options.step ?? 5) * MINUTE;
  // What the first tick finds due was sent before the run began (it would be caught up): claimed, not counted.
  const before = dueKey(cron, zone, new Date(Date.parse(from)));
  for (let time = Date.parse(from); time <= Date.parse(to); time += step) {
    const now = new Date(time);
    if (options.skip?.(now)) continue;
    const key = dueKey(cron, zone, now, options.force?.(now) ?? false);
    if (key && key !== before && !sent.has(key)) sent.set(key, now);
  }
  return sent;
}

const wallClock = (instant: Date, zone: string) =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(instant);

describe("per-user ticks across daylight saving", () => {
  const cases = [
    // No daylight saving (UTC+5): the control.
    { zone: "Asia/Karachi", from: "2026-03-05T00:00:00Z", to: "2026-03-11T00:00:00Z" },
    // Spring forward on Sunday 8 March 2026 (PST → PDT) and fall back on 1 November 2026.
    { zone: "America/Los_Angeles", from: "2026-03-05T00:00:00Z", to: "2026-03-11T00:00:00Z" },
    { zone: "America/Los_Angeles", from: "2026-10-29T00:00:00Z", to: "2026-11-04T00:00:00Z" },
    // UTC+12:45/+13:45: back on Sunday 5 April 2026, forward on Sunday 27 September 2026, at 02:45/03:45.
    { zone: "Pacific/Chatham", from: "2026-04-01T00:00:00Z", to: "2026-04-08T00:00:00Z" },
    { zone: "Pacific/Chatham", from: "2026-09-23T00:00:00Z", to: "2026-09-30T00:00:00Z" },
  ];

  it.each(cases)("$zone from $from: one digest per local date, each at 08:00 local", ({ zone, from, to }) => {
    const sent = simulate("0 8 * * *", zone, from, to);
    const days = new Set<string>();
    for (let time = Date.parse(from); time <= Date.parse(to); time += 30 * MINUTE)
      days.add(localDate(new Date(time), zone));
    // Every local date whose 08:00 falls inside the run, once; none twice (a Map keeps one per key).
    const expected = [...days].filter((day) => [...sent.keys()].includes(day));
    expect(sent.size).toBeGreaterThanOrEqual(5);
    expect([...sent.keys()]).toEqual(expected);
    for (const [key, when] of sent) {
      expect(localDate(when, zone)).toBe(key);
      expect(wallClock(when, zone)).toBe("08:00");
    }
    // Consecutive digests are a calendar day apart: 23, 24 or 25 hours as the clocks move (Chatham's step is an hour too).
    const times = [...sent.values()].map((date) => date.getTime());
    for (let index = 1; index < times.length; index++) {
      expect([23, 24, 25]).toContain(((times[index] ?? 0) - (times[index - 1] ?? 0)) / (60 * MINUTE));
    }
  });

  it("the weekly summary is due on Monday 09:00 local, once a week", () => {
    const sent = simulate("0 9 * * 1", "Pacific/Chatham", "2026-09-13T00:00:00Z", "2026-10-06T00:00:00Z", {
      step: 15,
    });
    expect([...sent.keys()]).toEqual(["2026-09-14", "2026-09-21", "2026-09-28", "2026-10-05"]);
    for (const when of sent.values()) expect(wallClock(when, "Pacific/Chatham")).toBe("09:00");
  });

  it("a run missed while the workers were down is caught up once, later the same day", () => {
    const zone = "America/Los_Angeles";
    // No tick ran from 07:00 to 11:59 local on 9 March (PDT, UTC−7): 14:00–18:59 UTC.
    const down = (now: Date) =>
      now >= new Date("2026-03-09T14:00:00Z") && now < new Date("2026-03-09T19:00:00Z");
    const sent = simulate("0 8 * * *", zone, "2026-03-09T12:00:00Z", "2026-03-10T20:00:00Z", {
      skip: down,
      step: 1,
    });
    expect([...sent.keys()]).toEqual(["2026-03-09", "2026-03-10"]);
    expect(sent.get("2026-03-09")?.toISOString()).toBe("2026-03-09T19:00:00.000Z");
    expect(wallClock(sent.get("2026-03-10") ?? new Date(0), zone)).toBe("08:00");
  });

  it("a run-now sends today's message as if its hour had come, and the regular one does not repeat it", () => {
    const zone = "Asia/Karachi";
    const forcedAt = new Date("2026-06-01T00:30:00Z"); // 05:30 in Karachi
    const sent = simulate("0 8 * * *", zone, "2026-06-01T00:00:00Z", "2026-06-02T04:00:00Z", {
      force: (now) => now.getTime() === forcedAt.getTime(),
    });
    expect([...sent.keys()]).toEqual(["2026-06-01", "2026-06-02"]);
    expect(sent.get("2026-06-01")).toEqual(forcedAt);
  });

  it("the latest occurrence is at or before now, in the zone's wall time", () => {
    expect(
      latestOccurrence("0 8 * * *", "Pacific/Chatham", new Date("2026-09-27T20:00:00Z")).toISOString(),
    ).toBe("2026-09-27T18:15:00.000Z");
    expect(
      latestOccurrence("0 8 * * *", "Asia/Karachi", new Date("2026-06-01T03:00:00Z")).toISOString(),
    ).toBe("2026-06-01T03:00:00.000Z");
  });
});
