import { createHash, randomBytes, randomUUID } from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 7 * 24 * 60 * 60;

export type AccessClaims = {
  /** The user id. */
  sub: string;
  /** This token's id, for the denylist. */
  jti: string;
  /** The session (refresh family) it belongs to. */
  sid: string;
  exp: number;
  iat: number;
};

export type TokenSigner = {
  issueAccess(userId: string, sessionId: string): Promise<{ token: string; claims: AccessClaims }>;
  verifyAccess(token: string): Promise<AccessClaims | null>;
};

const ISSUER = "cairn";
const AUDIENCE = "cairn-api";

/** HS256 access tokens signed with a key derived from SECRET_KEY. */
export function createTokenSigner(secretKey: string): TokenSigner {
  const key = createHash("sha256").update(`cairn-access-token:${secretKey}`).digest();
  return {
    async issueAccess(userId, sessionId) {
      const now = Math.floor(Date.now() / 1000);
      const claims: AccessClaims = {
        sub: userId,
        jti: randomUUID(),
        sid: sessionId,
        iat: now,
        exp: now + ACCESS_TOKEN_TTL_SECONDS,
      };
      const token = await new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setSubject(userId)
        .setJti(claims.jti)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(claims.exp)
        .sign(key);
      return { token, claims };
    },
    async verifyAccess(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
        if (!payload.sub || !payload.jti || typeof payload.sid !== "string" || !payload.exp || !payload.iat) {
          return null;
        }
        return { sub: payload.sub, jti: payload.jti, sid: payload.sid, exp: payload.exp, iat: payload.iat };
      } catch (error) {
        if (error instanceof joseErrors.JOSEError) return null;
        throw error;
      }
    },
  };
}

/** An opaque random token (refresh, reset) and the digest that is stored instead of it. */
export function newOpaqueToken(): { token: string; digest: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, digest: digestToken(token) };
}

export function digestToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Denylist keys: a single access token, or every access token of a session. */
export const denyKeys = {
  token: (jti: string) => `deny:jti:${jti}`,
  session: (sid: string) => `deny:sid:${sid}`,
};
