import {
  createHash,
  createHmac,
  createSecretKey,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from "node:crypto";

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
const VERIFIED_CACHE_SIZE = 10_000;
const HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

/**
 * HS256 access tokens signed with a key derived from SECRET_KEY. Signing and
 * checking are a synchronous HMAC with the key prepared once, with no promise
 * or thread hop; a token already checked is remembered until it expires.
 */
export function createTokenSigner(secretKey: string): TokenSigner {
  // A KeyObject, not a Buffer: Node prepares a raw key anew on every HMAC (about 7x slower).
  const key = createSecretKey(createHash("sha256").update(`cairn-access-token:${secretKey}`).digest());
  const sign = (input: string) => createHmac("sha256", key).update(input).digest();
  const verified = new Map<string, Readonly<AccessClaims>>();
  return {
    issueAccess(userId, sessionId) {
      const now = Math.floor(Date.now() / 1000);
      const claims: AccessClaims = {
        sub: userId,
        jti: randomUUID(),
        sid: sessionId,
        iat: now,
        exp: now + ACCESS_TOKEN_TTL_SECONDS,
      };
      const payload = Buffer.from(JSON.stringify({ ...claims, iss: ISSUER, aud: AUDIENCE })).toString(
        "base64url",
      );
      const input = `${HEADER}.${payload}`;
      return Promise.resolve({ token: `${input}.${sign(input).toString("base64url")}`, claims });
    },
    verifyAccess(token) {
      return Promise.resolve(verifyCached(token));
    },
  };

  /**
   * Tokens already verified, by their exact text: a client sends the same
   * token for up to 15 minutes, and checking a hit is a map lookup and a clock
   * read instead of an HMAC and a JSON parse. Expiry is checked on every use;
   * revocation is the denylist's job, checked by the caller on every request.
   */
  function verifyCached(token: string): Readonly<AccessClaims> | null {
    const hit = verified.get(token);
    if (hit) {
      if (hit.exp > Math.floor(Date.now() / 1000)) return hit;
      verified.delete(token);
      return null;
    }
    const claims = verify(token);
    if (claims) {
      // Bounded: the oldest entry (Map keeps insertion order) makes room for the newest.
      if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
      verified.set(token, Object.freeze(claims));
    }
    return claims;
  }

  function verify(token: string): AccessClaims | null {
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    const [header, payload, signature] = parts as [string, string, string];
    // Only our own header is accepted: no algorithm is taken from the token.
    if (header !== HEADER) return null;
    const expected = sign(`${header}.${payload}`);
    const given = Buffer.from(signature, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      return null;
    }
    const { sub, jti, sid, exp, iat, iss, aud } = claims;
    if (iss !== ISSUER || aud !== AUDIENCE) return null;
    if (typeof sub !== "string" || typeof jti !== "string" || typeof sid !== "string") return null;
    if (typeof exp !== "number" || typeof iat !== "number" || exp <= Math.floor(Date.now() / 1000))
      return null;
    return { sub, jti, sid, exp, iat };
  }
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
