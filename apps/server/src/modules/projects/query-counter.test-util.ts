import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";
import type { Database } from "../../db/client.js";

/**
 * Counts the SQL statements the application sends, by wrapping the driver
 * (PGlite's `query`, node-postgres' pooled clients): enough to prove that a
 * page of N rows costs a constant number of queries. No extension
 * (pg_stat_statements) needed, so it works on both backends.
 */
export type QueryCounter = { readonly count: number; reset(): void };

export function countQueries(database: Database): QueryCounter {
  const state = { count: 0 };
  if (database.pglite) wrapPglite(database.pglite, state);
  if (database.pool) wrapPool(database.pool, state);
  if (database.preparedPool) wrapPool(database.preparedPool, state);
  return {
    get count() {
      return state.count;
    },
    reset() {
      state.count = 0;
    },
  };
}

function wrapPglite(pglite: PGlite, state: { count: number }) {
  const query = pglite.query.bind(pglite);
  pglite.query = ((...args: Parameters<PGlite["query"]>) => {
    state.count++;
    return query(...args);
  }) as PGlite["query"];
  const transaction = pglite.transaction.bind(pglite);
  pglite.transaction = <T>(callback: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx);
      tx.query = ((...args: Parameters<Transaction["query"]>) => {
        state.count++;
        return txQuery(...args);
      }) as Transaction["query"];
      return callback(tx);
    });
}

const WRAPPED = Symbol("counted");

function wrapPool(pool: pg.Pool, state: { count: number }) {
  const wrapClient = (client: pg.PoolClient & { [WRAPPED]?: true }) => {
    if (client[WRAPPED]) return client;
    const query = client.query.bind(client);
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const [text] = args;
      // BEGIN and COMMIT are the transaction around every request: constant, not interesting.
      if (typeof text !== "string" || !/^(begin|commit|rollback)\b/i.test(text)) state.count++;
      return (query as (...rest: unknown[]) => unknown)(...args);
    };
    client[WRAPPED] = true;
    return client;
  };
  // pool.query() goes through pool.connect(callback) too, so wrapping connect sees every statement once.
  type Callback = (error: Error | undefined, client: pg.PoolClient | undefined, release: unknown) => void;
  const connect = pool.connect.bind(pool) as (callback?: Callback) => Promise<pg.PoolClient> | undefined;
  (pool as { connect: unknown }).connect = (callback?: Callback) => {
    if (callback)
      return connect((error, client, release) =>
        callback(error, client ? wrapClient(client) : client, release),
      );
    return connect()?.then(wrapClient);
  };
}
