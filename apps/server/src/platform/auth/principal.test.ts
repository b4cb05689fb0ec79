import { describe, expect, it } from "vitest";
import { createMemoryEphemeral } from "../ephemeral/ephemeral.js";
import { createPrincipalStore, type Principal } from "./principal.js";

const principal = (userId: string): Principal => ({
  userId,
  username: `user-${userId}`,
  email: `${userId}@example.test`,
  createdAt: "2026-01-01T00:00:00.000Z",
  isActive: true,
  isSuperuser: false,
  orgs: [],
  profile: { userId, displayName: userId, bio: "", nationalId: null, phone: null, phoneVerifiedAt: null, dateOfBirth: null, timezone: "UTC", avatarKey: null, completedAt: null },
});

describe("principal store", () => {
  it("getMany answers in the order asked, loads only what the cache lacks, and keeps what it loaded", async () => {
    const loads: string[] = [];
    const store = createPrincipalStore((userId) => {
      loads.push(userId);
      return Promise.resolve(userId === "ghost" ? null : principal(userId));
    }, createMemoryEphemeral("test:").kv);
    await store.get("a");
    expect(loads).toEqual(["a"]);
    const many = await store.getMany(["b", "a", "ghost", "c"]);
    expect(many.map((each) => each?.username ?? null)).toEqual(["user-b", "user-a", null, "user-c"]);
    expect(loads.sort()).toEqual(["a", "b", "c", "ghost"]);
    // Cached now (and the same parsed object as get answers): nothing loads again.
    const again = await store.getMany(["c", "b"]);
    expect(again[0]).toBe(await store.get("c"));
    expect(loads).toHaveLength(4);
    expect(await store.getMany([])).toEqual([]);
    // An invalidation is seen by getMany too.
    await store.invalidate(["b"]);
    await store.getMany(["b"]);
    expect(loads.filter((each) => each === "b")).toHaveLength(2);
  });
});
