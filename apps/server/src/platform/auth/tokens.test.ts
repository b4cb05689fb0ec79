import { createHmac } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { createTokenSigner } from "./tokens.js";

describe("access tokens", () => {
  const signer = createTokenSigner("a-long-enough-secret-for-tests-only-0123456789");

  it("round-trips the user, the session and a unique id", async () => {
    const { token, claims } = await signer.issueAccess("user-1", "session-1");
    expect(await signer.verifyAccess(token)).toEqual(claims);
    const other = await signer.issueAccess("user-1", "session-1");
    expect(other.claims.jti).not.toBe(claims.jti);
  });

  it("refuses a tampered payload, another key, another algorithm and garbage", async () => {
    const { token } = await signer.issueAccess("user-1", "session-1");
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "admin" })).toString("base64url");
    expect(await signer.verifyAccess(`${header}.${forged}.${signature}`)).toBeNull();
    expect(await createTokenSigner("another-secret-entirely-0123456789").verifyAccess(token)).toBeNull();
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    expect(await signer.verifyAccess(`${none}.${payload}.`)).toBeNull();
    const hs512 = Buffer.from(JSON.stringify({ alg: "HS512", typ: "JWT" })).toString("base64url");
    const resigned = createHmac("sha512", "x").update(`${hs512}.${payload}`).digest("base64url");
    expect(await signer.verifyAccess(`${hs512}.${payload}.${resigned}`)).toBeNull();
    expect(await signer.verifyAccess("not-a-token")).toBeNull();
  });

  it("refuses an expired token", async () => {
    const { token } = await signer.issueAccess("user-1", "session-1");
    vi.useFakeTimers({ now: Date.now() + 16 * 60 * 1000 });
    try {
      expect(await signer.verifyAccess(token)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
