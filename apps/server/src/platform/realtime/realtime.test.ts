import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { composition } from "../../modules/index.js";
import { createServices } from "../bootstrap.js";
import { createEphemeral } from "../ephemeral/ephemeral.js";
import { createRelayRealtime } from "./realtime.js";
import { startServer, type RunningServer } from "../../server.js";
import type { Services } from "../services.js";

function open(url: string, token: string | null): Socket {
  return connect(url, { path: "/ws", auth: token ? { token } : {}, transports: ["websocket"], reconnection: false, forceNew: true });
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => reject(error));
  });
}

function next<T = unknown>(socket: Socket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (data: T) => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

let t: TestContext;
let server: RunningServer;
const sockets: Socket[] = [];

beforeAll(async () => {
  t = await createTestContext();
  server = await startServer(t.services, composition, { port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
  await t.close();
});

describe("realtime gateway", () => {
  it("refuses a connection without a valid token", async () => {
    const anonymous = open(server.url, null);
    sockets.push(anonymous);
    await expect(connected(anonymous)).rejects.toThrow("unauthorized");
    const forged = open(server.url, "not-a-token");
    sockets.push(forged);
    await expect(connected(forged)).rejects.toThrow("unauthorized");
  });

  it("pushes me.updated when the user's roles change", async () => {
    const org = await buildOrg(t);
    const admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
    const member = await buildUser(t, { orgId: org.id, roles: ["customer"] });
    const socket = open(server.url, member.token);
    sockets.push(socket);
    await connected(socket);
    const event = next<{ reason: string }>(socket, "me.updated");
    const response = await t.request({ method: "PATCH", url: `/api/orgs/${org.slug}/members/${member.id}`, token: admin.token, payload: { roles: ["support"] } });
    expect(response.statusCode).toBe(200);
    expect(await event).toEqual({ reason: "permissions" });
  });

  it("toUsers sends one event to every socket of the users named, from the gateway and through the relay, and to nobody else", async () => {
    const [first, second, other] = [await buildUser(t), await buildUser(t), await buildUser(t)];
    const opened = [first.token, first.token, second.token, other.token].map((token) => open(server.url, token));
    sockets.push(...opened);
    await Promise.all(opened.map(connected));
    const heard: Array<{ index: number; data: unknown }> = [];
    opened.forEach((socket, index) => socket.on("sample", (data: unknown) => heard.push({ index, data })));
    await t.services.realtime.toUsers([first.id, second.id, first.id], "sample", { n: 1 });
    // A worker has no gateway: its relay goes through pub/sub to the gateway of this instance.
    await createRelayRealtime(t.services.ephemeral).toUsers([second.id], "sample", { n: 2 });
    await t.services.realtime.toUsers([], "sample", { n: 3 });
    const deadline = Date.now() + 5000;
    while (heard.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard.sort((a, b) => a.index - b.index || JSON.stringify(a.data).localeCompare(JSON.stringify(b.data)))).toEqual([
      { index: 0, data: { n: 1 } },
      { index: 1, data: { n: 1 } },
      { index: 2, data: { n: 1 } },
      { index: 2, data: { n: 2 } },
    ]);
  });

  it("disconnects the sockets of a session at logout", async () => {
    const user = await buildUser(t);
    const socket = open(server.url, user.token);
    sockets.push(socket);
    await connected(socket);
    const closed = next<string>(socket, "disconnect");
    await t.request({ method: "POST", url: "/api/auth/logout", token: user.token, payload: { refresh: user.refresh } });
    expect(await closed).toBe("io server disconnect");
    const again = open(server.url, user.token);
    sockets.push(again);
    await expect(connected(again)).rejects.toThrow("unauthorized");
  });
});

// Two instances on one database and one Redis: a push from either reaches a user connected to the other.
describe.runIf(process.env.REDIS_URL)("two instances on Redis", () => {
  let second: Services;
  let secondServer: RunningServer;
  beforeAll(async () => {
    const redis = t.config.redis;
    if (!redis) throw new Error("REDIS_URL is set but the test context has no Redis");
    second = await createServices(t.config, composition, { database: t.services.database, ephemeral: createEphemeral(redis), jobs: false });
    secondServer = await startServer(second, composition, { port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await secondServer.close();
    await second.ephemeral.close();
  });

  it("a role change made through instance A reaches the user's socket on instance B", async () => {
    const org = await buildOrg(t);
    const admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
    const member = await buildUser(t, { orgId: org.id, roles: ["customer"] });
    const socket = open(secondServer.url, member.token);
    sockets.push(socket);
    await connected(socket);
    const event = next(socket, "me.updated");
    // Through instance A's HTTP server, not inject: a real request to the other process-like instance.
    const response = await fetch(`${server.url}/api/orgs/${org.slug}/members/${member.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
      body: JSON.stringify({ roles: ["verifier"] }),
    });
    expect(response.status).toBe(200);
    expect(await event).toEqual({ reason: "permissions" });
    // And the permission cache both instances share was invalidated: B answers with the new roles.
    const me = await fetch(`${secondServer.url}/api/me`, { headers: { authorization: `Bearer ${member.token}` } });
    const body = (await me.json()) as { memberships: Array<{ org: { id: string }; roles: string[] }> };
    expect(body.memberships.find((m) => m.org.id === org.id)?.roles).toEqual(["verifier"]);
  });

  it("a logout on instance A disconnects the session's socket on instance B", async () => {
    const user = await buildUser(t);
    const socket = open(secondServer.url, user.token);
    sockets.push(socket);
    await connected(socket);
    const closed = next<string>(socket, "disconnect");
    await fetch(`${server.url}/api/auth/logout`, {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}`, "content-type": "application/json" },
      body: JSON.stringify({ refresh: user.refresh }),
    });
    expect(await closed).toBe("io server disconnect");
  });
});
