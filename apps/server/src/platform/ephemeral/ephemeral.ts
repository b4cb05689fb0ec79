import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Ephemeral state: short-lived values (codes, denylists, caches), rate limits
 * and pub/sub. Redis when REDIS_URL is set, so every instance shares it;
 * process memory otherwise. Nothing here may be the only copy of anything
 * durable: Redis may lose everything.
 */

export type KeyValue = {
  get(key: string): Promise<string | null>;
  getMany(keys: string[]): Promise<Array<string | null>>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Adds one and returns the new count; the expiry is set when the key is created. */
  incr(key: string, ttlSeconds: number): Promise<number>;
  /** Seconds until the key expires; 0 when it does not exist. */
  ttl(key: string): Promise<number>;
};

export type LimitResult = { allowed: boolean; remaining: number; retryAfterSeconds: number };

export type Limiter = {
  /** Spends points; `allowed: false` once the budget of the window is gone. */
  consume(key: string, points?: number): Promise<LimitResult>;
  /** What is left, without spending. */
  peek(key: string): Promise<LimitResult>;
  reset(key: string): Promise<void>;
};

export type LimiterOptions = { name: string; points: number; durationSeconds: number };

export type PubSub = {
  publish(channel: string, message: unknown): Promise<void>;
  subscribe(channel: string, handler: (message: unknown) => void): Promise<() => Promise<void>>;
};

export type Ephemeral = {
  kind: "redis" | "memory";
  kv: KeyValue;
  pubsub: PubSub;
  limiter(options: LimiterOptions): Limiter;
  /** The Redis connection, for adapters that need one (Socket.IO); null in memory mode. */
  redis: Redis | null;
  prefix: string;
  ping(): Promise<boolean>;
  close(): Promise<void>;
};

export function createEphemeral(config: { url: string; prefix: string } | null): Ephemeral {
  const ephemeral = config ? createRedisEphemeral(config.url, config.prefix) : createMemoryEphemeral("mem:");
  // One limiter per name: a memory limiter keeps its counts in the instance.
  const limiters = new Map<string, Limiter>();
  const make = ephemeral.limiter.bind(ephemeral);
  ephemeral.limiter = (options) => {
    const key = `${options.name}:${options.points}:${options.durationSeconds}`;
    let limiter = limiters.get(key);
    if (!limiter) {
      limiter = make(options);
      limiters.set(key, limiter);
    }
    return limiter;
  };
  return ephemeral;
}

function limitResult(res: RateLimiterRes, points: number, allowed: boolean): LimitResult {
  return {
    allowed,
    remaining: Math.max(0, res.remainingPoints ?? points),
    retryAfterSeconds: Math.ceil((res.msBeforeNext ?? 0) / 1000),
  };
}

function wrapLimiter(limiter: RateLimiterMemory | RateLimiterRedis, points: number): Limiter {
  return {
    async consume(key, cost = 1) {
      try {
        return limitResult(await limiter.consume(key, cost), points, true);
      } catch (error) {
        if (error instanceof RateLimiterRes) return limitResult(error, points, false);
        throw error;
      }
    },
    async peek(key) {
      const res = await limiter.get(key);
      if (!res) return { allowed: true, remaining: points, retryAfterSeconds: 0 };
      const remaining = Math.max(0, points - res.consumedPoints);
      return { allowed: remaining > 0, remaining, retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) };
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

export function createMemoryEphemeral(prefix: string): Ephemeral {
  const values = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const entry = values.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= Date.now()) {
      values.delete(key);
      return null;
    }
    return entry;
  };
  // Expired entries are dropped on read and swept now and then, so memory stays bounded.
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of values) if (entry.expiresAt <= now) values.delete(key);
  }, 60_000);
  sweeper.unref();
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  const kv: KeyValue = {
    get: (key) => Promise.resolve(live(key)?.value ?? null),
    getMany: (keys) => Promise.resolve(keys.map((key) => live(key)?.value ?? null)),
    set(key, value, ttlSeconds) {
      values.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
      return Promise.resolve();
    },
    del(...keys) {
      for (const key of keys) values.delete(key);
      return Promise.resolve();
    },
    incr(key, ttlSeconds) {
      const entry = live(key);
      const next = (entry ? Number(entry.value) : 0) + 1;
      values.set(key, { value: String(next), expiresAt: entry?.expiresAt ?? Date.now() + ttlSeconds * 1000 });
      return Promise.resolve(next);
    },
    ttl(key) {
      const entry = live(key);
      return Promise.resolve(entry ? Math.ceil((entry.expiresAt - Date.now()) / 1000) : 0);
    },
  };
  return {
    kind: "memory",
    kv,
    prefix,
    redis: null,
    pubsub: {
      publish(channel, message) {
        // Delivered asynchronously, as Redis would, so publishers never run subscribers inline.
        setImmediate(() => bus.emit(channel, message));
        return Promise.resolve();
      },
      subscribe(channel, handler) {
        bus.on(channel, handler);
        return Promise.resolve(() => {
          bus.off(channel, handler);
          return Promise.resolve();
        });
      },
    },
    limiter: ({ name, points, durationSeconds }) =>
      wrapLimiter(new RateLimiterMemory({ keyPrefix: `${prefix}rl:${name}`, points, duration: durationSeconds }), points),
    ping: () => Promise.resolve(true),
    close() {
      clearInterval(sweeper);
      bus.removeAllListeners();
      values.clear();
      return Promise.resolve();
    },
  };
}

export function createRedisEphemeral(url: string, prefix: string): Ephemeral {
  // Commands issued in one tick leave in one write (auto-pipelining): a request's budget count and its
  // token's two reads share a round trip (authenticate.ts).
  const redis = new Redis(url, { keyPrefix: prefix, maxRetriesPerRequest: 3, lazyConnect: false, enableAutoPipelining: true });
  // Subscribers need their own connection; created on first subscription.
  let subscriber: Redis | null = null;
  const handlers = new Map<string, Set<(message: unknown) => void>>();
  const channelName = (channel: string) => `${prefix}${channel}`;
  const kv: KeyValue = {
    get: (key) => redis.get(key),
    getMany: (keys) => (keys.length ? redis.mget(...keys) : Promise.resolve([])),
    async set(key, value, ttlSeconds) {
      await redis.set(key, value, "EX", Math.max(1, Math.ceil(ttlSeconds)));
    },
    async del(...keys) {
      if (keys.length) await redis.del(...keys);
    },
    async incr(key, ttlSeconds) {
      const [[, count]] = (await redis
        .multi()
        .incr(key)
        .expire(key, Math.max(1, Math.ceil(ttlSeconds)), "NX")
        .exec()) as [[Error | null, number], [Error | null, number]];
      return count;
    },
    async ttl(key) {
      return Math.max(0, await redis.ttl(key));
    },
  };
  return {
    kind: "redis",
    kv,
    prefix,
    redis,
    pubsub: {
      async publish(channel, message) {
        await redis.publish(channelName(channel), JSON.stringify(message));
      },
      async subscribe(channel, handler) {
        if (!subscriber) {
          subscriber = redis.duplicate({ keyPrefix: "" });
          subscriber.on("message", (name: string, payload: string) => {
            const set = handlers.get(name);
            if (!set) return;
            const message: unknown = JSON.parse(payload);
            for (const fn of set) fn(message);
          });
        }
        const name = channelName(channel);
        let set = handlers.get(name);
        if (!set) {
          set = new Set();
          handlers.set(name, set);
          await subscriber.subscribe(name);
        }
        set.add(handler);
        return async () => {
          set.delete(handler);
          if (set.size === 0) {
            handlers.delete(name);
            await subscriber?.unsubscribe(name);
          }
        };
      },
    },
    limiter: ({ name, points, durationSeconds }) =>
      wrapLimiter(
        new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `rl:${name}`,
          points,
          duration: durationSeconds,
        }),
        points,
      ),
    async ping() {
      try {
        return (await redis.ping()) === "PONG";
      } catch {
        return false;
      }
    },
    async close() {
      await subscriber?.quit();
      await redis.quit();
    },
  };
}
