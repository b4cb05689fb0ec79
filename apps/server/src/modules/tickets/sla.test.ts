import { describe, expect, it } from "vitest";
import { addBusinessMinutes, businessMinutesBetween, isTimeZone, resumeMoment, slaState, startClock, ticketClocks, type Calendar, type SlaFacts } from "./sla.js";

/**
 * The SLA clock as pure arithmetic (issue 14): business hours across a
 * weekend, across both clock changes of a European year, around the clock,
 * and a clock that stands still while the ticket waits on the customer.
 */

const berlin: Calendar = { timezone: "Europe/Berlin", businessHours: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" } };
const aroundTheClock: Calendar = { timezone: "Europe/Berlin", businessHours: null };
const at = (iso: string) => new Date(iso);

describe("business time", () => {
  it("steps over a weekend: Friday 16:00 + 4 h is Monday 12:00", () => {
    // 2026-11-27 is a Friday; Berlin is UTC+1 in November.
    expect(addBusinessMinutes(at("2026-11-27T15:00:00Z"), 240, berlin)).toEqual(at("2026-11-30T11:00:00Z"));
    expect(businessMinutesBetween(at("2026-11-27T15:00:00Z"), at("2026-11-30T11:00:00Z"), berlin)).toBe(240);
  });

  it("starts counting at the next opening when a ticket arrives at night or on a weekend", () => {
    // Saturday 10:00 + 1 h: Monday 10:00. Tuesday 20:00 + 30 min: Wednesday 09:30.
    expect(addBusinessMinutes(at("2026-11-28T09:00:00Z"), 60, berlin)).toEqual(at("2026-11-30T09:00:00Z"));
    expect(addBusinessMinutes(at("2026-12-01T19:00:00Z"), 30, berlin)).toEqual(at("2026-12-02T08:30:00Z"));
    expect(businessMinutesBetween(at("2026-11-28T09:00:00Z"), at("2026-11-29T20:00:00Z"), berlin)).toBe(0);
  });

  it("keeps 09:00–17:00 on the wall clock across the spring change (the weekend of 29 March 2026)", () => {
    // Friday 16:00 CET (UTC+1) + 4 h: Monday 12:00 CEST (UTC+2), which is 10:00 UTC, not 11:00.
    expect(addBusinessMinutes(at("2026-03-27T15:00:00Z"), 240, berlin)).toEqual(at("2026-03-30T10:00:00Z"));
    expect(businessMinutesBetween(at("2026-03-27T15:00:00Z"), at("2026-03-30T10:00:00Z"), berlin)).toBe(240);
  });

  it("and across the autumn change (25 October 2026)", () => {
    // Friday 16:00 CEST + 4 h: Monday 12:00 CET, 11:00 UTC.
    expect(addBusinessMinutes(at("2026-10-23T14:00:00Z"), 240, berlin)).toEqual(at("2026-10-26T11:00:00Z"));
    // A working week in business minutes is 5 × 8 h whatever the clocks did on its weekend.
    expect(businessMinutesBetween(at("2026-10-19T07:00:00Z"), at("2026-10-26T08:00:00Z"), berlin)).toBe(5 * 8 * 60);
  });

  it("around the clock counts real elapsed time, 23 hours on the day the clocks go forward", () => {
    expect(addBusinessMinutes(at("2026-03-28T12:00:00Z"), 24 * 60, aroundTheClock)).toEqual(at("2026-03-29T12:00:00Z"));
    expect(businessMinutesBetween(at("2026-03-29T12:00:00Z"), at("2026-03-28T12:00:00Z"), aroundTheClock)).toBe(-24 * 60);
  });

  it("follows another zone's weekend and hours (New York, Monday to Thursday, 08:00–12:00)", () => {
    const newYork: Calendar = { timezone: "America/New_York", businessHours: { days: [1, 2, 3, 4], start: "08:00", end: "12:00" } };
    // Thursday 11:00 EST (16:00 UTC) + 2 h: 1 h on Thursday, then Monday 09:00 EST (14:00 UTC).
    expect(addBusinessMinutes(at("2026-12-03T16:00:00Z"), 120, newYork)).toEqual(at("2026-12-07T14:00:00Z"));
  });

  it("knows IANA zones and refuses anything else", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });
});

describe("deadlines", () => {
  it("are at risk once less than 20% of the target is left", () => {
    const clock = startClock(at("2026-11-27T15:00:00Z"), 240, berlin);
    expect(clock.dueAt).toEqual(at("2026-11-30T11:00:00Z"));
    // 80% of 4 h is 3 h 12 min: 1 h on Friday, 2 h 12 min on Monday.
    expect(clock.riskAt).toEqual(at("2026-11-30T10:12:00Z"));
    const both = ticketClocks(at("2026-11-27T15:00:00Z"), { firstResponseMinutes: 60, resolutionMinutes: 480 }, berlin);
    expect(both.firstResponse.dueAt).toEqual(at("2026-11-27T16:00:00Z"));
    expect(both.resolution.dueAt).toEqual(at("2026-11-30T15:00:00Z"));
  });

  it("move on by the time a paused clock stood still, in business time", () => {
    // Due Monday 12:00; paused Monday 10:00 with 2 h left; resumed Tuesday 16:00: 1 h Tuesday, 1 h Wednesday.
    const due = at("2026-11-30T11:00:00Z");
    expect(resumeMoment(due, at("2026-11-30T09:00:00Z"), at("2026-12-01T15:00:00Z"), berlin)).toEqual(at("2026-12-02T09:00:00Z"));
    // Around the clock, a pause of a day moves the deadline by a day.
    expect(resumeMoment(due, at("2026-11-30T09:00:00Z"), at("2026-12-01T09:00:00Z"), aroundTheClock)).toEqual(at("2026-12-01T11:00:00Z"));
    // A deadline already passed when the clock stopped stays passed.
    expect(resumeMoment(due, at("2026-11-30T12:00:00Z"), at("2026-12-03T09:00:00Z"), berlin)).toEqual(due);
  });
});

describe("SLA state", () => {
  const facts = (overrides: Partial<SlaFacts> = {}): SlaFacts => ({
    status: "open",
    firstRespondedAt: null,
    firstResponseDueAt: at("2026-11-30T10:00:00Z"),
    firstResponseRiskAt: at("2026-11-30T09:48:00Z"),
    resolutionDueAt: at("2026-12-02T10:00:00Z"),
    resolutionRiskAt: at("2026-12-02T06:00:00Z"),
    breachedAt: null,
    ...overrides,
  });

  it("goes on track → at risk → breached as the first response waits", () => {
    expect(slaState(facts(), at("2026-11-30T09:00:00Z"))).toBe("on_track");
    expect(slaState(facts(), at("2026-11-30T09:50:00Z"))).toBe("at_risk");
    expect(slaState(facts(), at("2026-11-30T10:00:00Z"))).toBe("breached");
  });

  it("forgets the first-response clock once answered, and follows the resolution's", () => {
    const answered = facts({ firstRespondedAt: at("2026-11-30T09:30:00Z") });
    expect(slaState(answered, at("2026-11-30T11:00:00Z"))).toBe("on_track");
    expect(slaState(answered, at("2026-12-02T07:00:00Z"))).toBe("at_risk");
  });

  it("is paused while waiting on the customer, met once resolved in time, breached for good once breached", () => {
    expect(slaState(facts({ status: "waiting_on_customer" }), at("2026-12-05T00:00:00Z"))).toBe("paused");
    expect(slaState(facts({ status: "resolved" }), at("2026-12-05T00:00:00Z"))).toBe("met");
    expect(slaState(facts({ status: "closed", breachedAt: at("2026-11-30T10:00:00Z") }), at("2026-12-05T00:00:00Z"))).toBe("breached");
  });
});

describe("a ticket's clock through its life", () => {
  const created = at("2026-11-27T15:00:00Z"); // Friday 16:00 in Berlin
  const targets = {
    low: { firstResponseMinutes: 480, resolutionMinutes: 2400 },
    medium: { firstResponseMinutes: 240, resolutionMinutes: 960 },
    high: { firstResponseMinutes: 120, resolutionMinutes: 480 },
    critical: { firstResponseMinutes: 60, resolutionMinutes: 240 },
  };
  const clocks = ticketClocks(created, targets.medium, berlin);
  const ticket = {
    status: "open" as const,
    firstRespondedAt: null,
    firstResponseDueAt: clocks.firstResponse.dueAt,
    firstResponseRiskAt: clocks.firstResponse.riskAt,
    resolutionDueAt: clocks.resolution.dueAt,
    resolutionRiskAt: clocks.resolution.riskAt,
    breachedAt: null,
    pausedAt: null,
    resolvedAt: null,
  };

  it("a higher severity takes the difference of the targets off the time left (business time)", async () => {
    const { retarget } = await import("./tickets.service.js");
    // At Friday 16:30 (30 min spent), medium → critical: 60 − 30 = 30 min left of the first answer, Friday 17:00.
    const moved = retarget(ticket as never, "medium", "critical", targets, at("2026-11-27T15:30:00Z"), berlin);
    expect(moved.firstResponseDueAt).toEqual(at("2026-11-27T16:00:00Z"));
    // Resolution: 240 − 30 = 210 min left: 30 min on Friday, 3 h on Monday: 12:00 CET.
    expect(moved.resolutionDueAt).toEqual(at("2026-11-30T11:00:00Z"));
  });

  it("waiting on the customer over a weekend stops the clock; the customer's answer on Monday restarts it", async () => {
    const { statusChange } = await import("./tickets.service.js");
    const answered = { ...ticket, firstRespondedAt: at("2026-11-27T15:10:00Z") };
    // Friday 16:30: waiting on the customer, 30 of 960 business minutes spent.
    const paused = statusChange(answered as never, "waiting_on_customer", at("2026-11-27T15:30:00Z"), berlin);
    expect(paused.pausedAt).toEqual(at("2026-11-27T15:30:00Z"));
    // 930 minutes were left at the pause. Monday 10:00 the customer answers: Monday 10–17 is 420,
    // Tuesday 480 (900), so the resolution is due Wednesday 09:30 (08:30 UTC), not Tuesday 16:00.
    const resumed = statusChange({ ...answered, status: "waiting_on_customer", pausedAt: paused.pausedAt } as never, "open", at("2026-11-30T09:00:00Z"), berlin);
    expect(resumed.pausedAt).toBeNull();
    expect(resumed.resolutionDueAt).toEqual(at("2026-12-02T08:30:00Z"));
  });
});
