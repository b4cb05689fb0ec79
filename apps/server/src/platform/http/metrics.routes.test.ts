import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { composition } from "../../modules/index.js";
import { startServer } from "../../server.js";
import { isMetricsToken } from "./metrics.js";

const METRICS_TOKEN = "scrape-3f9c1e7a5b2d4c6e8f0a1b3c5d7e9f";

let t: TestContext;
let superuser: string;
let admin: string;
beforeAll(async () => {
  t = await createTestContext({ jobs: true, env: { METRICS_TOKEN } });
  superuser = (await buildUser(t, { isSuperuser: true })).token;
  const org = await buildOrg(t);
  admin = (await buildUser(t, { orgId: org.id, roles: ["admin"] })).token;
}, 120_000);
afterAll(() => t?.close());

const scrape = (authorization?: string) =>
  t.request({ method: "GET", url: "/api/metrics", headers: authorization ? { authorization } : {} });

describe("GET /api/metrics", () => {
  it("answers the superuser and a scraper with METRICS_TOKEN; nobody else", async () => {
    expect((await scrape(`Bearer ${superuser}`)).statusCode).toBe(200);
    const scraped = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(scraped.statusCode).toBe(200);
    expect(scraped.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);

    const anonymous = await scrape();
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect((await scrape(`Bearer ${METRICS_TOKEN}x`)).statusCode).toBe(401);
    expect((await scrape(`Bearer ${METRICS_TOKEN.slice(0, -1)}`)).statusCode).toBe(401);
    const denied = await scrape(`Bearer ${admin}`);
    expect(denied.statusCode).toBe(403);
    expect(denied.json<{ detail: string }>().detail).toMatch(/Only the platform superuser/);
  });

  it("the metrics token opens nothing but the metrics", async () => {
    const response = await t.request({
      method: "GET",
      url: "/api/admin/jobs",
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.statusCode).toBe(401);
    expect(
      (
        await t.request({
          method: "GET",
          url: "/api/me",
          headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        })
      ).statusCode,
    ).toBe(401);
  });

  it("counts requests by route pattern and status, with durations, and shows queues and sockets", async () => {
    const org = await buildOrg(t);
    for (const id of [org.id, org.slug])
      await t.request({ method: "GET", url: `/api/orgs/${id}`, token: superuser });
    await t.request({ method: "GET", url: "/api/no/such/path/42" });
    await t.services.jobs?.send(null, "cleanup", {});
    const text = (await scrape(`Bearer ${METRICS_TOKEN}`)).body;
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/api\/orgs\/:org",status="200"\} 2$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} 1$/m);
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="0\.5",method="GET",route="\/api\/orgs\/:org",status="200"\} 2$/m,
    );
    // The raw URLs never become labels.
    expect(text).not.toContain(org.slug);
    expect(text).not.toContain("/no/such/path");
    expect(text).toMatch(/^cairn_job_queue_jobs\{queue="cleanup",state="created"\} 1$/m);
    expect(text).toMatch(/^# TYPE cairn_job_queue_failed_last_hour gauge$/m);
    expect(text).toMatch(/^cairn_realtime_open_sockets 0$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  });

  it("counts the sockets open on the instance", async () => {
    const server = await startServer(t.services, composition, { port: 0, host: "127.0.0.1" });
    const sockets: Socket[] = [];
    try {
      const gauge = async () => {
        const response = await fetch(`${server.url}/api/metrics`, {
          headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        });
        return /^cairn_realtime_open_sockets (\d+)$/m.exec(await response.text())?.[1];
      };
      expect(await gauge()).toBe("0");
      for (let index = 0; index < 2; index++) {
        const socket = connect(server.url, {
          path: "/ws",
          auth: { token: admin },
          transports: ["websocket"],
          reconnection: false,
          forceNew: true,
        });
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once("connect", () => resolve());
          socket.once("connect_error", reject);
        });
      }
      expect(await gauge()).toBe("2");
    } finally {
      for (const socket of sockets) socket.close();
      await server.close();
    }
  });

  it("compares tokens in constant time, and never accepts one when none is configured", () => {
    expect(isMetricsToken(METRICS_TOKEN, METRICS_TOKEN)).toBe(true);
    expect(isMetricsToken(METRICS_TOKEN, "short")).toBe(false);
    expect(isMetricsToken(null, "")).toBe(false);
    expect(isMetricsToken(null, METRICS_TOKEN)).toBe(false);
  });
});
