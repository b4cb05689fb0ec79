import { ALL_ROLES, runMatrix, statuses, type MatrixFixture } from "../../../test/matrix.js";

/** Platform endpoints × roles: the superuser alone, whatever role a caller holds in any organization. */

const superuserOnly = (status: number) => ({
  ...statuses(403, ALL_ROLES),
  outsider: 403,
  anonymous: 401,
  superuser: status,
});

async function setup(fx: MatrixFixture): Promise<Record<string, string>> {
  const boss = fx.t.services.jobs?.boss;
  if (!boss) throw new Error("the matrix runs with jobs");
  // A job of a real queue that failed (nobody works the queue here: it is fetched and failed by hand).
  const failedId = (await boss.send("cleanup", { note: "matrix" }, { retryLimit: 0 })) ?? "";
  const [fetched] = await boss.fetch("cleanup");
  if (fetched?.id !== failedId) throw new Error("the failed job was not fetched");
  await boss.fail("cleanup", failedId, { message: "matrix failure" });
  // One that waits an hour: the one to cancel.
  const waitingId = (await boss.send("cleanup", { note: "waiting" }, { startAfter: 3600 })) ?? "";
  return { failedId, waitingId };
}

runMatrix(
  "platform (schedules, job monitor, metrics) × roles",
  [
    {
      route: "GET /api/admin/schedules",
      request: () => ({ method: "GET", url: "/api/admin/schedules" }),
      expect: superuserOnly(200),
    },
    {
      route: "GET /api/admin/schedules/preview",
      request: () => ({
        method: "GET",
        url: "/api/admin/schedules/preview?cron=0%208%20*%20*%20*&timezone=user",
      }),
      expect: superuserOnly(200),
    },
    {
      route: "PATCH /api/admin/schedules/{name}",
      request: () => ({
        method: "PATCH",
        url: "/api/admin/schedules/cleanup",
        payload: { cron: "45 3 * * *" },
      }),
      expect: superuserOnly(200),
    },
    {
      route: "POST /api/admin/schedules/{name}/run",
      request: () => ({ method: "POST", url: "/api/admin/schedules/cleanup/run" }),
      expect: superuserOnly(202),
    },
    {
      route: "GET /api/admin/jobs",
      request: () => ({ method: "GET", url: "/api/admin/jobs" }),
      expect: superuserOnly(200),
    },
    {
      route: "GET /api/admin/jobs/failed",
      request: () => ({ method: "GET", url: "/api/admin/jobs/failed?queue=cleanup" }),
      expect: superuserOnly(200),
    },
    {
      route: "GET /api/admin/jobs/{id}",
      request: (fx) => ({ method: "GET", url: `/api/admin/jobs/${fx.data.failedId}` }),
      expect: superuserOnly(200),
    },
    {
      route: "POST /api/admin/jobs/{id}/retry",
      request: (fx) => ({ method: "POST", url: `/api/admin/jobs/${fx.data.failedId}/retry` }),
      expect: superuserOnly(200),
    },
    {
      route: "POST /api/admin/jobs/retry",
      request: () => ({ method: "POST", url: "/api/admin/jobs/retry", payload: { queue: "cleanup" } }),
      expect: superuserOnly(200),
    },
    {
      route: "POST /api/admin/jobs/{id}/cancel",
      request: (fx) => ({ method: "POST", url: `/api/admin/jobs/${fx.data.waitingId}/cancel` }),
      expect: superuserOnly(200),
    },
    {
      route: "POST /api/admin/jobs/probe",
      request: () => ({ method: "POST", url: "/api/admin/jobs/probe", payload: { failFirst: true } }),
      expect: superuserOnly(202),
    },
    {
      route: "GET /api/metrics",
      request: () => ({ method: "GET", url: "/api/metrics" }),
      expect: superuserOnly(200),
    },
  ],
  setup,
  { context: { jobs: true } },
);
