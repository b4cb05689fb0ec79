import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Logger } from "pino";
import { Server, type Socket } from "socket.io";
import type { TokenSigner } from "../auth/tokens.js";
import type { Ephemeral } from "../ephemeral/ephemeral.js";
import { isAccessTokenRevoked } from "../auth/denylist.js";

/** Pushes to users' open sessions, from a web instance or a worker alike. */
export type Realtime = {
  toUser(userId: string, event: string, data: unknown): Promise<void>;
  /**
   * One event, the same for every user named: encoded once and sent to each of their sockets (one
   * message through Redis to the other instances, not one per user). Pushes of a large audience go
   * through here, grouped by what each receiver may see.
   */
  toUsers(userIds: readonly string[], event: string, data: unknown): Promise<void>;
  /** Closes the sockets of a session (sign-out, revocation). */
  disconnectSession(sessionId: string): Promise<void>;
  disconnectUser(userId: string): Promise<void>;
};

const RELAY_CHANNEL = "realtime";

type Relay =
  | { kind: "emit"; room: string | string[]; event: string; data: unknown }
  | { kind: "disconnect"; room: string };

const userRoom = (userId: string) => `user:${userId}`;
const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/** For processes without a gateway (workers): messages go through pub/sub to the web instances. */
export function createRelayRealtime(ephemeral: Ephemeral): Realtime {
  const publish = (message: Relay) => ephemeral.pubsub.publish(RELAY_CHANNEL, message);
  return {
    toUser: (userId, event, data) => publish({ kind: "emit", room: userRoom(userId), event, data }),
    toUsers: (userIds, event, data) =>
      userIds.length ? publish({ kind: "emit", room: userIds.map(userRoom), event, data }) : Promise.resolve(),
    disconnectSession: (sessionId) => publish({ kind: "disconnect", room: sessionRoom(sessionId) }),
    disconnectUser: (userId) => publish({ kind: "disconnect", room: userRoom(userId) }),
  };
}

export type Gateway = Realtime & { io: Server; close(): Promise<void> };

/**
 * Socket.IO under /ws. The handshake must carry a valid access token; each
 * socket joins its user's and its session's rooms and is disconnected when
 * the token expires or its session is revoked. With Redis, the adapter
 * carries emits and disconnects to every instance.
 */
export async function createGateway(
  server: HttpServer,
  deps: { tokens: TokenSigner; ephemeral: Ephemeral; log: Logger; corsOrigins: string[] },
): Promise<Gateway> {
  const io = new Server(server, {
    path: "/ws",
    serveClient: false,
    cors: deps.corsOrigins.length ? { origin: deps.corsOrigins, credentials: true } : undefined,
  });
  const redis = deps.ephemeral.redis;
  if (redis) {
    const pub = redis.duplicate();
    const sub = redis.duplicate();
    io.adapter(createAdapter(pub, sub, { key: `${deps.ephemeral.prefix}socket.io` }));
  }
  io.use((socket: Socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const token = typeof auth?.token === "string" ? auth.token : null;
    if (!token) return next(new Error("unauthorized"));
    deps.tokens
      .verifyAccess(token)
      .then(async (claims) => {
        if (!claims || (await isAccessTokenRevoked(deps.ephemeral.kv, claims))) return next(new Error("unauthorized"));
        socket.data = { userId: claims.sub, sessionId: claims.sid, exp: claims.exp };
        next();
      })
      .catch((error: unknown) => next(error instanceof Error ? error : new Error("unauthorized")));
  });
  io.on("connection", (socket) => {
    const { userId, sessionId, exp } = socket.data as { userId: string; sessionId: string; exp: number };
    void socket.join([userRoom(userId), sessionRoom(sessionId)]);
    // The token's lifetime is the socket's: the client reconnects with a fresh token.
    const timer = setTimeout(() => socket.disconnect(true), Math.max(0, exp * 1000 - Date.now()));
    timer.unref();
    socket.on("disconnect", () => clearTimeout(timer));
  });
  const unsubscribe = await deps.ephemeral.pubsub.subscribe(RELAY_CHANNEL, (message) => {
    const relay = message as Relay;
    if (relay.kind === "emit") io.local.to(relay.room).emit(relay.event, relay.data);
    else io.local.in(relay.room).disconnectSockets(true);
  });
  return {
    io,
    toUser(userId, event, data) {
      io.to(userRoom(userId)).emit(event, data);
      return Promise.resolve();
    },
    toUsers(userIds, event, data) {
      if (userIds.length) io.to(userIds.map(userRoom)).emit(event, data);
      return Promise.resolve();
    },
    disconnectSession(sessionId) {
      io.in(sessionRoom(sessionId)).disconnectSockets(true);
      return Promise.resolve();
    },
    disconnectUser(userId) {
      io.in(userRoom(userId)).disconnectSockets(true);
      return Promise.resolve();
    },
    async close() {
      await unsubscribe();
      await io.close();
    },
  };
}
