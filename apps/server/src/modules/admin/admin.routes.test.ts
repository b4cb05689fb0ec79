import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { defineJob } from "../../platform/jobs/jobs.js";
import { schedules } from "../../platform/jobs/jobs.table.js";
import { ensureSchedules, syncSchedules, type ScheduleDefinition } from "../../platform/jobs/schedules.js";
import { defineModule } from "../../platform/modules.js";

/** What the test jobs saw, and whether they fail now. */
const seen = { ticks: [] as object[], daily: [] as object[], flaky: [] as object[] };
const failing = { tick: false, flaky: true };

const tickJob = defineJob({
  name: "test.user-tick",
  payload: z.looseObject({ cron: z.string().optional(), force: z.boolean().optional() }),
  retryLimit: 0,
  async handler(payload) {
    seen.ticks.push(payload);
    if (failing.tick) throw new Error("the tick broke");
  },
});
const dailyJob = defineJob({
  name: "test.daily",
  payload: z.looseObject({}),
  retryLimit: 0,
  async handler(payload) {
    seen.daily.push(payload);
  },
});
const flakyJob = defineJob({
  name: "test.flaky",
  payload: z.object({
    to: z.string(),
    password: z.string(),
    nested: z.object({ resetToken: z.string(), note: z.string() }),
    items: z.array(z.object({ code: z.string() })),
  }),
  retryLimit: 0,
  async handler(payload) {
    if (failing.flaky) throw new Error("downstream unavailable");
    seen.flaky.push(payload);
  },
});

const userTick: ScheduleDefinition = {
  name: "test.user-tick",
  description: "A per-user tick for tests",
  cron: "0 8 * * *",
  timezone: "user",
  job: tickJob,
};
const daily: ScheduleDefinition = {
  name: "test.daily",
  description: "A daily job for tests",
  cron: "15 6 * * *",
  timezone: "Europe/Paris",
  job: dailyJob,
};
const testModule = defineModule({ name: "test-platform", jobs: [flakyJob], schedules: [userTick, daily] });

type Schedule = {
  name: string;
  cron: string;
  timezone: string;
  enabled: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastError: string | null;
  totalRuns: number;
  declared: { cron: string };
};

let t: TestContext;
let token: string;
const boss = () => {
  const jobs = t.services.jobs;
  if (!jobs) throw new Error("jobs are off");
  return jobs.boss;
};

beforeAll(async () => {
  t = await createTestContext({ jobs: true, modules: [testModule] });
  // What a supervising worker does at start: the stored schedules onto pg-boss.
  await syncSchedules(boss(), t.services.database.db, t.services.schedules);
  await t.services.jobs?.work(t.services);
  token = (await buildUser(t, { isSuperuser: true })).token;
}, 120_000);
afterAll(() => t?.close());

async function list(): Promise<Schedule[]> {
  const response = await t.request({ method: "GET", url: "/api/admin/schedules", token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ items: Schedule[] }>().items;
}
const find = async (name: string) => (await list()).find((item) => item.name === name);

describe("schedules", () => {
  it("lists every declared schedule with its stored state and next run", async () => {
    const items = await list();
    const names = items.map((item) => item.name);
    expect(names).toEqual(expect.arrayContaining(["tickets.sla", "cleanup", "test.user-tick", "test.daily"]));
    const dailyItem = items.find((item) => item.name === "test.daily");
    expect(dailyItem).toMatchObject({
      cron: "15 6 * * *",
      timezone: "Europe/Paris",
      enabled: true,
      totalRuns: 0,
      lastRunAt: null,
      lastStatus: null,
    });
    // 06:15 in Paris is 04:15 or 05:15 UTC.
    expect(new Date(dailyItem?.nextRunAt ?? "").getUTCMinutes()).toBe(15);
    expect([4, 5]).toContain(new Date(dailyItem?.nextRunAt ?? "").getUTCHours());
  });

  it("puts a schedule in users' own zones on pg-boss as a minute tick carrying its cron, and others on their cron", async () => {
    const [tick] = await boss().getSchedules("test.user-tick", "test.user-tick");
    expect(tick).toMatchObject({ cron: "* * * * *", timezone: "UTC", data: { cron: "0 8 * * *" } });
    expect(tick?.options).toMatchObject({ missed: "once" });
    const [dailyStored] = await boss().getSchedules("test.daily", "test.daily");
    expect(dailyStored).toMatchObject({ cron: "15 6 * * *", timezone: "Europe/Paris", data: {} });
  });

  it("refuses an invalid cron or time zone with a 400 that says why", async () => {
    const cases: Array<[object, string, RegExp]> = [
      [{ cron: "61 8 * * *" }, "cron", /61.*0-59/],
      [{ cron: "0 8 * *" }, "cron", /4 fields.*five fields/],
      [{ cron: "0 0 8 * * *" }, "cron", /6 fields/],
      [{ cron: "every day" }, "cron", /field|Invalid/],
      [{ timezone: "Mars/Olympus" }, "timezone", /Unknown time zone "Mars\/Olympus"/],
      [{ cron: "0 25 * * *", timezone: "Nowhere" }, "cron", /25/],
    ];
    for (const [body, path, message] of cases) {
      const response = await t.request({
        method: "PATCH",
        url: "/api/admin/schedules/test.daily",
        token,
        payload: body,
      });
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      const problem = response.json<{ detail: string; errors: Array<{ path: string; message: string }> }>();
      expect(problem.errors.find((error) => error.path === path)?.message).toMatch(message);
      expect(problem.detail).toMatch(message);
    }
    expect((await find("test.daily"))?.cron).toBe("15 6 * * *");
  });

  it("an edit changes pg-boss's stored schedule at once (no restart) and survives the next start", async () => {
    const response = await t.request({
      method: "PATCH",
      url: "/api/admin/schedules/test.daily",
      token,
      payload: { cron: "30  7 * * 1-5", timezone: "Asia/Karachi" },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      cron: "30 7 * * 1-5",
      timezone: "Asia/Karachi",
      declared: { cron: "15 6 * * *" },
    });
    const [stored] = await boss().getSchedules("test.daily", "test.daily");
    expect(stored).toMatchObject({ cron: "30 7 * * 1-5", timezone: "Asia/Karachi" });
    // 07:30 in Karachi (UTC+5, no daylight saving) is 02:30 UTC on a weekday.
    const next = new Date(response.json<Schedule>().nextRunAt ?? "");
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([2, 30]);
    expect([1, 2, 3, 4, 5]).toContain(new Date(next.getTime() + 5 * 3600_000).getUTCDay());

    // A restart: the declaration is seeded and synced again; the superuser's edit is kept.
    await syncSchedules(boss(), t.services.database.db, t.services.schedules);
    expect(await find("test.daily")).toMatchObject({ cron: "30 7 * * 1-5", timezone: "Asia/Karachi" });
    expect((await boss().getSchedules("test.daily", "test.daily"))[0]).toMatchObject({
      cron: "30 7 * * 1-5",
    });
  });

  it("a schedule nobody edited follows a changed declaration; a missing one is added", async () => {
    const db = t.services.database.db;
    await db.delete(schedules).where(eq(schedules.name, "test.user-tick"));
    const [added] = await ensureSchedules(db, [userTick]);
    expect(added).toMatchObject({
      name: "test.user-tick",
      cron: "0 8 * * *",
      timezone: "user",
      editedAt: null,
    });
    const [followed] = await ensureSchedules(db, [{ ...userTick, cron: "0 9 * * *" }]);
    expect(followed?.cron).toBe("0 9 * * *");
    await ensureSchedules(db, [userTick]);
  });

  it("a user-zone schedule's new cron travels in the tick's payload; disabling takes it off pg-boss; enabling puts it back", async () => {
    let response = await t.request({
      method: "PATCH",
      url: "/api/admin/schedules/test.user-tick",
      token,
      payload: { cron: "0 7 * * *" },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((await boss().getSchedules("test.user-tick", "test.user-tick"))[0]).toMatchObject({
      cron: "* * * * *",
      data: { cron: "0 7 * * *" },
    });

    response = await t.request({
      method: "PATCH",
      url: "/api/admin/schedules/test.user-tick",
      token,
      payload: { enabled: false },
    });
    expect(response.json()).toMatchObject({ enabled: false, nextRunAt: null });
    expect(await boss().getSchedules("test.user-tick", "test.user-tick")).toEqual([]);
    // A restart does not bring it back.
    await syncSchedules(boss(), t.services.database.db, t.services.schedules);
    expect(await boss().getSchedules("test.user-tick")).toEqual([]);

    response = await t.request({
      method: "PATCH",
      url: "/api/admin/schedules/test.user-tick",
      token,
      payload: { enabled: true },
    });
    expect(response.json()).toMatchObject({ enabled: true });
    expect((await boss().getSchedules("test.user-tick", "test.user-tick"))[0]).toMatchObject({
      data: { cron: "0 7 * * *" },
    });
  });

  it("an unknown schedule is a 404", async () => {
    const response = await t.request({
      method: "PATCH",
      url: "/api/admin/schedules/no.such",
      token,
      payload: { enabled: false },
    });
    expect(response.statusCode).toBe(404);
  });

  it("previews the next five runs, or says why not", async () => {
    let response = await t.request({
      method: "GET",
      url: `/api/admin/schedules/preview?cron=${encodeURIComponent("0 9 * * 1")}&timezone=America/Los_Angeles`,
      token,
    });
    expect(response.statusCode, response.body).toBe(200);
    const { runs, zone } = response.json<{ runs: string[]; zone: string }>();
    expect(zone).toBe("America/Los_Angeles");
    expect(runs).toHaveLength(5);
    for (const run of runs) {
      const local = new Intl.DateTimeFormat("en-US", {
        timeZone: "America/Los_Angeles",
        weekday: "short",
        hour: "2-digit",
        hourCycle: "h23",
      }).format(new Date(run));
      expect(local).toBe("Mon, 09");
    }
    response = await t.request({
      method: "GET",
      url: `/api/admin/schedules/preview?cron=${encodeURIComponent("0 8 31 2 *")}&timezone=user`,
      token,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ detail: string }>().detail).toMatch(/day of month/i);
  });
});

describe("running schedules", () => {
  it("run-now of a user-zone schedule sends {cron, force: true}, and each run is recorded", async () => {
    seen.ticks.length = 0;
    const before = await find("test.user-tick");
    const response = await t.request({
      method: "POST",
      url: "/api/admin/schedules/test.user-tick/run",
      token,
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ name: "test.user-tick", queue: "test.user-tick" });
    await expect
      .poll(() => seen.ticks, { timeout: 15_000, interval: 100 })
      .toContainEqual({ cron: "0 7 * * *", force: true });
    await expect
      .poll(async () => (await find("test.user-tick"))?.totalRuns, { timeout: 10_000, interval: 100 })
      .toBe((before?.totalRuns ?? 0) + 1);
    expect(await find("test.user-tick")).toMatchObject({ lastStatus: "ok", lastError: null });
    expect((await find("test.user-tick"))?.lastRunAt).not.toBeNull();
  });

  it("run-now of a zoned schedule sends {}, even when it is disabled", async () => {
    await t.request({
      method: "PATCH",
      url: "/api/admin/schedules/test.daily",
      token,
      payload: { enabled: false },
    });
    seen.daily.length = 0;
    const response = await t.request({ method: "POST", url: "/api/admin/schedules/test.daily/run", token });
    expect(response.statusCode).toBe(202);
    await expect.poll(() => seen.daily, { timeout: 15_000, interval: 100 }).toEqual([{}]);
  });

  it("a run that fails is recorded as failed with its error", async () => {
    failing.tick = true;
    try {
      const before = (await find("test.user-tick"))?.totalRuns ?? 0;
      await t.request({ method: "POST", url: "/api/admin/schedules/test.user-tick/run", token });
      await expect
        .poll(async () => (await find("test.user-tick"))?.lastStatus, { timeout: 15_000, interval: 100 })
        .toBe("failed");
      expect(await find("test.user-tick")).toMatchObject({
        lastError: "the tick broke",
        totalRuns: before + 1,
      });
    } finally {
      failing.tick = false;
    }
  });
});

type Job = {
  id: string;
  queue: string;
  state: string;
  attempts: number;
  error: string | null;
  payload: Record<string, unknown>;
  failedAt: string | null;
};

describe("the job monitor", () => {
  let jobId = "";
  const payload = {
    to: "ann@example.test",
    password: "hunter2-secret",
    nested: { resetToken: "abc", note: "kept" },
    items: [{ code: "123456" }],
  };

  it("lists a failed job with its error and its payload's secrets redacted", async () => {
    failing.flaky = true;
    jobId = (await t.services.jobs?.send(null, "test.flaky", payload)) ?? "";
    await expect
      .poll(
        async () =>
          (await t.request({ method: "GET", url: `/api/admin/jobs/${jobId}`, token })).json<Job>().state,
        { timeout: 15_000, interval: 100 },
      )
      .toBe("failed");
    const response = await t.request({
      method: "GET",
      url: "/api/admin/jobs/failed?queue=test.flaky",
      token,
    });
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json<{ items: Job[]; total: number }>();
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({
      id: jobId,
      queue: "test.flaky",
      attempts: 1,
      error: "downstream unavailable",
      payload: {
        to: "ann@example.test",
        password: "[redacted]",
        nested: { resetToken: "[redacted]", note: "kept" },
        items: [{ code: "[redacted]" }],
      },
    });
    expect(page.items[0]?.failedAt).not.toBeNull();
    expect(response.body).not.toContain("hunter2");
  });

  it("counts the queue's jobs by state and its last hour", async () => {
    const response = await t.request({ method: "GET", url: "/api/admin/jobs", token });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{
      queues: Array<{
        name: string;
        counts: Record<string, number>;
        lastHourFailed: number;
        lastHour: Array<{ failed: number }>;
      }>;
      workers: Array<{ alive: boolean; host: string }>;
    }>();
    const flaky = body.queues.find((queue) => queue.name === "test.flaky");
    expect(flaky?.counts).toMatchObject({ failed: 1, queued: 0, active: 0 });
    expect(flaky?.lastHourFailed).toBe(1);
    expect(flaky?.lastHour).toHaveLength(12);
    expect(flaky?.lastHour.reduce((sum, bucket) => sum + bucket.failed, 0)).toBe(1);
    expect(body.queues.some((queue) => queue.name.startsWith("__pgboss"))).toBe(false);
    // This process works jobs: it is listed with a fresh heartbeat.
    expect(body.workers).toContainEqual(expect.objectContaining({ alive: true }));
  });

  it("retries a failed job, which then completes", async () => {
    failing.flaky = false;
    const response = await t.request({ method: "POST", url: `/api/admin/jobs/${jobId}/retry`, token });
    expect(response.statusCode, response.body).toBe(200);
    await expect
      .poll(
        async () =>
          (await t.request({ method: "GET", url: `/api/admin/jobs/${jobId}`, token })).json<Job>().state,
        { timeout: 15_000, interval: 200 },
      )
      .toBe("completed");
    expect(seen.flaky).toEqual([payload]);
    // Not failed any more: a second retry is refused.
    expect(
      (await t.request({ method: "POST", url: `/api/admin/jobs/${jobId}/retry`, token })).statusCode,
    ).toBe(409);
  });

  it("retries every failed job of a queue", async () => {
    failing.flaky = true;
    const ids = [
      await t.services.jobs?.send(null, "test.flaky", payload),
      await t.services.jobs?.send(null, "test.flaky", payload),
    ];
    for (const id of ids) {
      await expect
        .poll(
          async () =>
            (await t.request({ method: "GET", url: `/api/admin/jobs/${id}`, token })).json<Job>().state,
          { timeout: 15_000, interval: 100 },
        )
        .toBe("failed");
    }
    failing.flaky = false;
    const response = await t.request({
      method: "POST",
      url: "/api/admin/jobs/retry",
      token,
      payload: { queue: "test.flaky" },
    });
    expect(response.json()).toEqual({ queue: "test.flaky", retried: 2 });
    for (const id of ids) {
      await expect
        .poll(
          async () =>
            (await t.request({ method: "GET", url: `/api/admin/jobs/${id}`, token })).json<Job>().state,
          { timeout: 15_000, interval: 200 },
        )
        .toBe("completed");
    }
    expect(
      (
        await t.request({
          method: "POST",
          url: "/api/admin/jobs/retry",
          token,
          payload: { queue: "no.such.queue" },
        })
      ).statusCode,
    ).toBe(404);
  });

  it("a test job that fails on its first attempt is listed failed, and completes when retried", async () => {
    const sent = await t.request({
      method: "POST",
      url: "/api/admin/jobs/probe",
      token,
      payload: { failFirst: true },
    });
    expect(sent.statusCode, sent.body).toBe(202);
    const { jobId } = sent.json<{ jobId: string }>();
    const state = async () =>
      (await t.request({ method: "GET", url: `/api/admin/jobs/${jobId}`, token })).json<Job>();
    await expect.poll(async () => (await state()).state, { timeout: 15_000, interval: 100 }).toBe("failed");
    expect((await state()).error).toMatch(/failed on purpose/);
    expect(
      (await t.request({ method: "POST", url: `/api/admin/jobs/${jobId}/retry`, token })).statusCode,
    ).toBe(200);
    await expect
      .poll(async () => (await state()).state, { timeout: 15_000, interval: 200 })
      .toBe("completed");
    expect((await state()).attempts).toBe(2);
  });

  it("cancels a job that has not run, and refuses to cancel a finished one", async () => {
    const id = (await boss().send("test.flaky", payload, { startAfter: 3600 })) ?? "";
    const response = await t.request({ method: "POST", url: `/api/admin/jobs/${id}/cancel`, token });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ state: "cancelled" });
    expect((await t.request({ method: "POST", url: `/api/admin/jobs/${id}/cancel`, token })).statusCode).toBe(
      409,
    );
    expect(
      (await t.request({ method: "GET", url: "/api/admin/jobs/00000000-0000-4000-8000-000000000000", token }))
        .statusCode,
    ).toBe(404);
  });
});
