import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createEphemeral, type Ephemeral } from "./ephemeral.js";

// Runs on memory, and on Redis as well when REDIS_URL is set (each run on its own key prefix).
const kinds: Array<[string, () => Ephemeral]> = [["memory", () => createEphemeral(null)]];
if (process.env.REDIS_URL) {
  const url = process.env.REDIS_URL;
  kinds.push(["redis", () => createEphemeral({ url, prefix: `cairn:test:eph:${randomBytes(4).toString("hex")}:` })]);
}

describe.each(kinds)("ephemeral state on %s", (_kind, make) => {
  const ephemeral = make();
  afterAll(() => ephemeral.close());

  it("keeps values until they expire", async () => {
    await ephemeral.kv.set("a", "1", 60);
    await ephemeral.kv.set("short", "x", 1);
    expect(await ephemeral.kv.getMany(["a", "missing"])).toEqual(["1", null]);
    expect(await ephemeral.kv.ttl("a")).toBeGreaterThan(50);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await ephemeral.kv.get("short")).toBeNull();
    await ephemeral.kv.del("a");
    expect(await ephemeral.kv.get("a")).toBeNull();
  });

  it("counts with an expiry set once", async () => {
    expect(await ephemeral.kv.incr("n", 60)).toBe(1);
    expect(await ephemeral.kv.incr("n", 60)).toBe(2);
    expect(await ephemeral.kv.ttl("n")).toBeGreaterThan(50);
  });

  it("limits: spends points, refuses when spent, tells when to come back, resets", async () => {
    const limiter = ephemeral.limiter({ name: "test", points: 3, durationSeconds: 60 });
    for (let i = 0; i < 3; i++) expect((await limiter.consume("k")).allowed).toBe(true);
    const refused = await limiter.consume("k");
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect((await limiter.peek("k")).allowed).toBe(false);
    // The same limiter by name shares its counts.
    expect((await ephemeral.limiter({ name: "test", points: 3, durationSeconds: 60 }).peek("k")).allowed).toBe(false);
    await limiter.reset("k");
    expect((await limiter.peek("k")).allowed).toBe(true);
  });

  it("publishes to subscribers, and stops after unsubscribe", async () => {
    const received: unknown[] = [];
    const stop = await ephemeral.pubsub.subscribe("chan", (message) => received.push(message));
    await ephemeral.pubsub.publish("chan", { hello: "world" });
    await expect.poll(() => received).toEqual([{ hello: "world" }]);
    await stop();
    await ephemeral.pubsub.publish("chan", { late: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toHaveLength(1);
  });
});
