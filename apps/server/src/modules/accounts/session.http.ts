import type { FastifyReply } from "fastify";
import { REFRESH_TOKEN_TTL_SECONDS } from "../../platform/auth/tokens.js";
import { presentUser } from "./accounts.schemas.js";
import type { Session } from "./accounts.service.js";

/** The web UI keeps its refresh token in this cookie instead of the body. */
export const REFRESH_COOKIE = "cairn_refresh";

/**
 * A hint the page can read (the refresh cookie is httpOnly): "this browser holds a sign-in".
 * It carries nothing secret; without it a page load skips the refresh call that would only
 * answer 401 to a signed-out visitor.
 */
export const SIGNED_IN_COOKIE = "cairn_signed_in";

export function clearSessionCookies(reply: FastifyReply) {
  void reply.clearCookie(REFRESH_COOKIE, { path: "/api/auth" }).clearCookie(SIGNED_IN_COOKIE, { path: "/" });
}

/**
 * Answers with a new session: the tokens in the body (API clients) and the refresh token
 * in an httpOnly, SameSite=Strict cookie scoped to /api/auth (the web UI). The route must
 * have @fastify/cookie registered.
 */
export function sendSession(reply: FastifyReply, session: Session, options: { secure: boolean; status?: number }) {
  void reply.setCookie(REFRESH_COOKIE, session.refresh, {
    httpOnly: true,
    sameSite: "strict",
    secure: options.secure,
    path: "/api/auth",
    maxAge: REFRESH_TOKEN_TTL_SECONDS,
  });
  void reply.setCookie(SIGNED_IN_COOKIE, "1", { httpOnly: false, sameSite: "strict", secure: options.secure, path: "/", maxAge: REFRESH_TOKEN_TTL_SECONDS });
  return reply.code(options.status ?? 200).send({ ...session, user: presentUser(session.user, { withEmail: true }) });
}
