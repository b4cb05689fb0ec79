import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import { createGateway, type Gateway } from "./platform/realtime/realtime.js";
import type { Services } from "./platform/services.js";

export type RunningServer = { app: FastifyInstance; gateway: Gateway; url: string; close(): Promise<void> };

/**
 * Builds the app, attaches the realtime gateway and listens. Services get the
 * gateway as their realtime channel so pushes from this process go straight out.
 */
export async function startServer(services: Services, options: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const app = await buildApp(services);
  await app.ready();
  const gateway = await createGateway(app.server, {
    tokens: services.tokens,
    ephemeral: services.ephemeral,
    log: services.log.child({ component: "realtime" }),
    corsOrigins: services.config.corsOrigins,
  });
  services.realtime = gateway;
  const address = await app.listen({ port: options.port ?? services.config.port, host: options.host ?? services.config.host });
  return {
    app,
    gateway,
    url: address.replace("[::1]", "127.0.0.1").replace("0.0.0.0", "127.0.0.1"),
    /**
     * Graceful stop: readiness fails at once, open sockets are told to reconnect
     * (to another instance), the listener closes, and requests in flight finish.
     */
    async close() {
      app.lifecycle.draining = true;
      // Keep-alive connections (Nginx reuses them) would hold the server open: from now on every
      // response asks the client to close its connection, so the listener can finish.
      app.server.on("request", (_request, response) => response.setHeader("Connection", "close"));
      // Meanwhile the proxy's idle connections expire on its side; closing them here could race a request.
      const drain = services.config.shutdownDrainSeconds;
      if (drain > 0) await new Promise((resolve) => setTimeout(resolve, drain * 1000));
      gateway.io.emit("server.restarting", { reconnect: true });
      await gateway.close();
      await app.close();
    },
  };
}
