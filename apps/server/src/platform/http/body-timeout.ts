import type { FastifyInstance, FastifyRequest } from "fastify";
import { sendProblem } from "./problem.js";

function expectsBody(request: FastifyRequest): boolean {
  const { headers } = request.raw;
  const length = headers["content-length"];
  return headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * Ends a request whose body stops arriving. A client that opens an upload and never
 * finishes it would otherwise hold its request (and a half-written file) until Node's
 * 300 s cut-off, which answers with a bare 408. Here a body that makes no progress for
 * `idleMs` is answered with a 408 problem+json and the connection closed; the upload
 * code sees its stream fail and removes what it had written.
 *
 * Progress is read from the socket's byte count rather than by listening to the body,
 * which would start the stream flowing before its parser is attached.
 */
export function registerBodyTimeout(app: FastifyInstance, idleMs: number) {
  app.addHook("onRequest", (request, reply, done) => {
    const { raw } = request;
    const socket = raw.socket as (typeof raw.socket & { bytesRead?: number }) | null;
    if (!expectsBody(request) || raw.complete || !socket || typeof socket.bytesRead !== "number") return done();
    let seen = socket.bytesRead;
    const check = () => {
      if (raw.complete || reply.sent || socket.destroyed) return;
      const now = socket.bytesRead ?? seen;
      if (now !== seen) {
        seen = now;
        timer = setTimeout(check, idleMs);
        return;
      }
      request.log.warn({ idleMs }, "request body stalled: ending the request");
      void sendProblem(
        reply.header("Connection", "close"),
        {
          title: "Request timeout",
          status: 408,
          code: "request_timeout",
          detail: `The request body stopped arriving for ${Math.round(idleMs / 1000)} seconds.`,
        },
      );
      // Once the answer is out, the stalled body is dropped: its readers fail and clean up.
      reply.raw.once("finish", () => raw.destroy());
    };
    let timer = setTimeout(check, idleMs);
    const stop = () => clearTimeout(timer);
    raw.once("end", stop);
    raw.once("close", stop);
    reply.raw.once("finish", stop);
    done();
  });
}
