import type { FastifyInstance, FastifyRequest } from "fastify";
import { anonymous } from "../access/actor.js";
import { NotAuthenticatedError } from "../errors.js";
import { isAccessTokenRevoked } from "./denylist.js";
import type { Principal } from "./principal.js";
import type { AccessClaims } from "./tokens.js";

declare module "fastify" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- declaration merging needs an interface
  interface FastifyRequest {
    accessClaims: AccessClaims | null;
    /** The caller's cached identity and grants, when a token was presented. */
    principal: Principal | null;
  }
}

const BEARER = /^Bearer\s+(\S+)$/i;

const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Turns `Authorization: Bearer` into `request.actor`. No header: anonymous,
 * and routes that need a user refuse with 401. A header that does not verify
 * (bad, expired, revoked, inactive user) is a 401 at once.
 */
export function registerAuthentication(
  app: FastifyInstance,
  options: {
    /** A bearer that is not an access token but is accepted for this request (GET /api/metrics with METRICS_TOKEN): the caller stays anonymous. */
    acceptOtherBearer?: (request: FastifyRequest, token: string) => boolean;
    /**
     * A check run beside authentication, whose refusal wins over any 401 (the per-IP request budget): it
     * starts in the same tick as the token's cache reads, so that the cache client sends all of them in
     * one write and they share one round trip.
     */
    admit?: (request: FastifyRequest) => Promise<void>;
  } = {},
) {
  // Set on every request by the hook below, before any handler runs.
  app.decorateRequest("actor", null as unknown as typeof anonymous);
  app.decorateRequest("accessClaims", null);
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request) => {
    request.actor = anonymous;
    // Its refusal is kept, not thrown, until authentication is done: nothing may reject unobserved meanwhile.
    const admitted = options.admit?.(request).then(
      () => null,
      (error: unknown) => toError(error),
    );
    let failure: Error | null = null;
    try {
      await authenticate(request);
    } catch (error) {
      failure = toError(error);
    }
    const refusal = await admitted;
    if (refusal) throw refusal;
    if (failure) throw failure;
  });

  async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (!header) return;
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new NotAuthenticatedError("Use the header Authorization: Bearer <access token>.");
    if (options.acceptOtherBearer?.(request, token)) return;
    const { tokens, ephemeral, principals } = app.services;
    const claims = await tokens.verifyAccess(token);
    if (!claims) throw new NotAuthenticatedError("The access token is invalid, expired or revoked.");
    // Both reads go to the cache together, with the request budget's count (`admit`): the client
    // pipelines commands issued in one tick, so the three share one write and one round trip.
    const [revoked, principal] = await Promise.all([
      isAccessTokenRevoked(ephemeral.kv, claims),
      principals.get(claims.sub),
    ]);
    if (revoked) throw new NotAuthenticatedError("The access token is invalid, expired or revoked.");
    if (!principal?.isActive) throw new NotAuthenticatedError("This account is not active.");
    request.accessClaims = claims;
    request.principal = principal;
    request.actor = {
      kind: "user",
      userId: principal.userId,
      username: principal.username,
      isSuperuser: principal.isSuperuser,
      sessionId: claims.sid,
      orgs: principal.orgs,
    };
  }
}
