import type { KeyValue } from "../ephemeral/ephemeral.js";
import { denyKeys, type AccessClaims } from "./tokens.js";

/** True when the token itself or its whole session has been revoked. One round trip. */
export async function isAccessTokenRevoked(kv: KeyValue, claims: AccessClaims): Promise<boolean> {
  const [token, session] = await kv.getMany([denyKeys.token(claims.jti), denyKeys.session(claims.sid)]);
  return token !== null || session !== null;
}

/** Denies an access token until it would have expired anyway. */
export async function denyAccessToken(kv: KeyValue, claims: Pick<AccessClaims, "jti" | "exp">): Promise<void> {
  const ttl = claims.exp - Math.floor(Date.now() / 1000);
  if (ttl > 0) await kv.set(denyKeys.token(claims.jti), "1", ttl);
}

/** Denies every access token of a session for as long as any of them can live. */
export async function denySession(kv: KeyValue, sessionId: string, ttlSeconds: number): Promise<void> {
  await kv.set(denyKeys.session(sessionId), "1", ttlSeconds);
}
