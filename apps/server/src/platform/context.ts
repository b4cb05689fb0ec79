import type { Logger } from "pino";
import type { Db, Tx } from "../db/client.js";
import type { Actor } from "./access/actor.js";
import type { Services } from "./services.js";

/** Where a change came from, for the audit log. */
export type RequestMeta = { ip: string | null; userAgent: string | null; requestId: string | null };

/**
 * What every service function receives: who acts, the transaction to work in,
 * where the request came from, and a place to queue work for after commit.
 */
export type Ctx = {
  actor: Actor;
  /** The transaction of a change, or the database itself for a read (safe methods run in autocommit). */
  tx: Tx;
  log: Logger;
  meta: RequestMeta;
  services: Services;
  /** Runs after the transaction commits (cache invalidation, realtime pushes); dropped on rollback. */
  afterCommit(fn: () => Promise<void> | void): void;
};

export type CtxSeed = Omit<Ctx, "tx" | "afterCommit">;

/**
 * Runs `work` in one transaction and then the after-commit callbacks. A throw
 * anywhere rolls everything back: no half-written change survives.
 */
export async function inTransaction<T>(db: Db, seed: CtxSeed, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  const pending: Array<() => Promise<void> | void> = [];
  const result = await db.transaction(async (tx) =>
    work({ ...seed, tx, afterCommit: (fn) => void pending.push(fn) }),
  );
  for (const fn of pending) {
    try {
      await fn();
    } catch (error) {
      seed.log.error({ err: error }, "after-commit callback failed");
    }
  }
  return result;
}

/**
 * Runs a read without an explicit transaction: one round trip per query
 * instead of three (BEGIN, query, COMMIT), as Django's autocommit does.
 */
export async function withoutTransaction<T>(db: Db, seed: CtxSeed, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  const pending: Array<() => Promise<void> | void> = [];
  const result = await work({ ...seed, tx: db, afterCommit: (fn) => void pending.push(fn) });
  for (const fn of pending) await fn();
  return result;
}
