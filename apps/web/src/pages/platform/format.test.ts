import { describe, expect, it } from "vitest";
import { totalBuckets } from "./ThroughputChart";
import { inZone, moment, zoneLabel } from "./format";

describe("the platform pages' formatting", () => {
  it("shows an instant on the wall clock of a zone", () => {
    expect(inZone("2026-03-08T15:00:00Z", "America/Los_Angeles")).toMatch(/Sun.*08:00/);
    expect(inZone("2026-03-07T18:15:00Z", "Pacific/Chatham")).toMatch(/Sun.*08:00/);
  });

  it("says how far a time is, both ways", () => {
    const now = Date.parse("2026-01-01T12:00:00Z");
    expect(moment("2026-01-01T12:00:30Z", now).relative).toBe("in 30 seconds");
    expect(moment("2026-01-01T09:00:00Z", now).relative).toBe("3 hours ago");
    expect(moment(null, now).relative).toBe("—");
  });

  it("names the users' own zone", () => {
    expect(zoneLabel("user")).toBe("each user's time zone");
    expect(zoneLabel("America/Los_Angeles")).toBe("America/Los Angeles");
  });

  it("adds up the queues' buckets", () => {
    const a = [
      { at: "t1", completed: 1, failed: 0 },
      { at: "t2", completed: 2, failed: 1 },
    ];
    const b = [
      { at: "t1", completed: 3, failed: 2 },
      { at: "t2", completed: 0, failed: 0 },
    ];
    expect(totalBuckets([a, b])).toEqual([
      { at: "t1", completed: 4, failed: 2 },
      { at: "t2", completed: 2, failed: 1 },
    ]);
    expect(totalBuckets([])).toEqual([]);
  });
});
