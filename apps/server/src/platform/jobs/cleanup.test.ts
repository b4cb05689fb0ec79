import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { passwordTokens, refreshTokens } from "../../modules/accounts/accounts.table.js";
import { composition } from "../../modules/index.js";
import { notifications } from "../../modules/notifications/notifications.table.js";
import { jobWorkers } from "./jobs.table.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t?.close());

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe("the cleanup schedule", () => {
  it("is declared by the platform, daily, with the tasks of every module", () => {
    const cleanup = composition.schedules.find((schedule) => schedule.name === "cleanup");
    expect(cleanup).toMatchObject({ cron: "30 3 * * *", timezone: "UTC" });
    expect(cleanup?.description).toMatch(
      /refresh tokens.*password-reset.*read notifications older than 90 days.*workers not seen/i,
    );
  });

  it("removes what has expired and nothing else", async () => {
    const db = t.services.database.db;
    const user = await buildUser(t);
    const now = Date.now();
    const at = (offset: number) => new Date(now + offset);
    const ids = {
      refresh: { expired: randomUUID(), usedButValid: randomUUID(), valid: randomUUID() },
      password: { expired: randomUUID(), used: randomUUID(), valid: randomUUID() },
    };
    const family = randomUUID();
    await db.insert(refreshTokens).values([
      {
        id: ids.refresh.expired,
        userId: user.id,
        familyId: family,
        tokenHash: randomUUID(),
        expiresAt: at(-HOUR),
      },
      {
        id: ids.refresh.usedButValid,
        userId: user.id,
        familyId: family,
        tokenHash: randomUUID(),
        expiresAt: at(DAY),
        usedAt: at(-HOUR),
      },
      {
        id: ids.refresh.valid,
        userId: user.id,
        familyId: family,
        tokenHash: randomUUID(),
        expiresAt: at(DAY),
      },
    ]);
    await db.insert(passwordTokens).values([
      {
        id: ids.password.expired,
        userId: user.id,
        tokenHash: randomUUID(),
        purpose: "reset",
        expiresAt: at(-HOUR),
      },
      {
        id: ids.password.used,
        userId: user.id,
        tokenHash: randomUUID(),
        purpose: "reset",
        expiresAt: at(HOUR),
        usedAt: at(-HOUR),
      },
      {
        id: ids.password.valid,
        userId: user.id,
        tokenHash: randomUUID(),
        purpose: "welcome",
        expiresAt: at(HOUR),
      },
    ]);
    const note = (createdAt: Date, readAt: Date | null) => ({
      id: randomUUID(),
      userId: user.id,
      kind: "test",
      title: "Test",
      createdAt,
      readAt,
    });
    const notes = {
      oldRead: note(at(-91 * DAY), at(-90 * DAY)),
      oldUnread: note(at(-200 * DAY), null),
      recentRead: note(at(-10 * DAY), at(-9 * DAY)),
    };
    await db.insert(notifications).values(Object.values(notes));
    const workers = { stale: randomUUID(), fresh: randomUUID() };
    await db.insert(jobWorkers).values([
      { id: workers.stale, host: "gone", pid: 1, startedAt: at(-3 * DAY), lastSeenAt: at(-2 * DAY) },
      { id: workers.fresh, host: "here", pid: 2, lastSeenAt: at(-HOUR) },
    ]);

    const cleanup = t.services.schedules.find((schedule) => schedule.name === "cleanup");
    if (!cleanup) throw new Error("no cleanup schedule");
    await cleanup.job.handler(
      {},
      { jobId: randomUUID(), attempt: 0, log: t.services.log, services: t.services },
    );

    const left = async <T extends { id: string }>(rows: Promise<T[]>) =>
      (await rows).map((row) => row.id).sort();
    expect(
      await left(
        db
          .select({ id: refreshTokens.id })
          .from(refreshTokens)
          .where(inArray(refreshTokens.id, Object.values(ids.refresh))),
      ),
    ).toEqual([ids.refresh.usedButValid, ids.refresh.valid].sort());
    expect(
      await left(
        db
          .select({ id: passwordTokens.id })
          .from(passwordTokens)
          .where(inArray(passwordTokens.id, Object.values(ids.password))),
      ),
    ).toEqual([ids.password.valid]);
    expect(
      await left(
        db
          .select({ id: notifications.id })
          .from(notifications)
          .where(
            inArray(
              notifications.id,
              Object.values(notes).map((row) => row.id),
            ),
          ),
      ),
    ).toEqual([notes.oldUnread.id, notes.recentRead.id].sort());
    expect(
      await left(
        db
          .select({ id: jobWorkers.id })
          .from(jobWorkers)
          .where(inArray(jobWorkers.id, Object.values(workers))),
      ),
    ).toEqual([workers.fresh]);
  });
});
