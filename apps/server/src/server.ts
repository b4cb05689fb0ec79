import net from "node:net";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import { createGateway, type Gateway } from "./platform/realtime/realtime.js";
import type { Composition } from "./platform/modules.js";
import type { Services } from "./platform/services.js";

export type RunningServer = { app: FastifyInstance; gateway: Gateway; url: string; close(): Promise<void> };

/**
 * Builds the app, attaches the realtime gateway and listens. Services get the
 * gateway as their realtime channel so pushes from this process go straight out.
 */
export async function startServer(
  services: Services,
  composition: Composition,
  options: { port?: number; host?: string } = {},
): Promise<RunningServer> {
  const app = await buildApp(services, composition);
  await app.ready();
  const gateway = await createGateway(app.server, {
    tokens: services.tokens,
    ephemeral: services.ephemeral,
    log: services.log.child({ component: "realtime" }),
    corsOrigins: services.config.corsOrigins,
  });
  services.realtime = gateway;
  const address = await app.listen({
    port: options.port ?? services.config.port,
    host: options.host ?? services.config.host,
  });
  return {
    app,
    gateway,
    url: address.replace("[::1]", "127.0.0.1").replace("0.0.0.0", "127.0.0.1"),
    /**
     * Graceful stop: readiness fails and the listener stops taking connections
     * at once, requests on open connections are still served, open sockets are
     * told to reconnect (to another instance), and requests in flight finish.
     */
    async close() {
      app.lifecycle.draining = true;
      // No new connections from now on: the proxy's next connect is refused, which it retries on
      // another instance (safe even for a POST, which was never sent) and then skips this one.
      // Closing the listener only at the end instead would reset connections the proxy had just
      // opened and written a request to, and a POST cannot be retried. (net.Server's close, not
      // http.Server's: that one would also drop the idle keep-alive connections the proxy may be
      // about to reuse.) Resolves once every connection has ended.
      const connectionsEnded = new Promise<void>((resolve) => {
        net.Server.prototype.close.call(app.server, () => resolve());
      });
      // Requests still come on the proxy's open keep-alive connections: every response now asks it to
      // close the connection, and idle ones expire on its side (keepalive_timeout 4 s) before the drain ends.
      app.server.on("request", (_request, response) => response.setHeader("Connection", "close"));
      const drain = services.config.shutdownDrainSeconds;
      if (drain > 0) await new Promise((resolve) => setTimeout(resolve, drain * 1000));
      gateway.io.emit("server.restarting", { reconnect: true });
      await gateway.close();
      await app.close();
      await connectionsEnded;
    },
  };
}
