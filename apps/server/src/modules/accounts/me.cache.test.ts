import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTokenSigner } from "../../platform/auth/tokens.js";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import {
  buildDeveloper,
  captureSms,
  GOOD_BIO,
  image,
  upload,
  verifyPhone,
} from "../onboarding/onboarding.test-util.js";

/**
 * GET /api/me answers from the cached principal (identity, grants and the
 * user's own profile). Every way of changing what it shows must show at once,
 * on the next request, with nothing stale left in the cache.
 */

let t: TestContext;
let org: { id: string; slug: string };
beforeAll(async () => {
  t = await createTestContext();
  org = await buildOrg(t);
});
afterAll(() => t.close());

type Me = {
  user: { username: string; email: string; createdAt: string };
  profile: {
    displayName: string;
    bio: string;
    phone: string | null;
    phoneVerified: boolean;
    avatarUrl: string | null;
    completedAt: string | null;
  };
  memberships: Array<{ roles: string[]; permissions: string[] }>;
  onboarding: { missing: string[]; phoneVerified: boolean; verified: boolean };
};
const me = async (token: string) => {
  const response = await t.request({ method: "GET", url: "/api/me", token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Me>();
};

describe("GET /api/me from the cache", () => {
  it("shows the caller's own profile edits at once", async () => {
    const dev = await buildDeveloper(t, org.id);
    expect((await me(dev.token)).profile.bio).toBe("");
    const patched = await t.request({
      method: "PATCH",
      url: "/api/me/profile",
      token: dev.token,
      payload: { displayName: "Ada L.", bio: GOOD_BIO },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const after = await me(dev.token);
    expect(after.profile).toMatchObject({ displayName: "Ada L.", bio: GOOD_BIO });
    expect(after.onboarding.missing).not.toContain("bio");
  });

  it("shows a new avatar, a verified phone, the completed profile and the promotion that follows", async () => {
    const sent = captureSms(t);
    const dev = await buildDeveloper(t, org.id);
    await t.request({
      method: "PATCH",
      url: "/api/me/profile",
      token: dev.token,
      payload: { bio: GOOD_BIO, nationalId: "ZX-998877" },
    });
    expect((await me(dev.token)).profile.avatarUrl).toBeNull();

    const avatar = await t.request({
      method: "PUT",
      url: "/api/me/avatar",
      token: dev.token,
      payload: upload(await image("png")),
    });
    expect(avatar.statusCode, avatar.body).toBe(200);
    const withAvatar = await me(dev.token);
    expect(withAvatar.profile.avatarUrl).toBe(avatar.json<{ avatarUrl: string }>().avatarUrl);
    expect(withAvatar.profile.completedAt).not.toBeNull();

    const verified = await verifyPhone(t, sent, dev.token, dev.phone);
    expect(verified.statusCode, verified.body).toBe(200);
    const done = await me(dev.token);
    expect(done.profile.phoneVerified).toBe(true);
    expect(done.onboarding).toMatchObject({ phoneVerified: true, verified: true, missing: [] });
    expect(done.memberships[0]?.roles).toContain("verified_developer");
  });

  it("shows an admin's edit of the profile and of the roles", async () => {
    const admin = await buildUser(t, { orgId: org.id, roles: ["admin"] });
    const dev = await buildDeveloper(t, org.id);
    expect((await me(dev.token)).memberships[0]?.roles).toEqual(["developer"]);

    const edited = await t.request({
      method: "PATCH",
      url: `/api/users/${dev.id}/profile`,
      token: admin.token,
      payload: { displayName: "Set by admin" },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await me(dev.token)).profile.displayName).toBe("Set by admin");

    const roles = await t.request({
      method: "PATCH",
      url: `/api/orgs/${org.slug}/members/${dev.id}`,
      token: admin.token,
      payload: { roles: ["project_manager"] },
    });
    expect(roles.statusCode, roles.body).toBe(200);
    const after = await me(dev.token);
    expect(after.memberships[0]?.roles).toEqual(["project_manager"]);
    expect(after.memberships[0]?.permissions).toContain("clients.view");
  });

  it("changing the phone number clears its verification in the answer too", async () => {
    const sent = captureSms(t);
    const dev = await buildDeveloper(t, org.id);
    await verifyPhone(t, sent, dev.token, dev.phone);
    expect((await me(dev.token)).profile.phoneVerified).toBe(true);
    await t.request({
      method: "PATCH",
      url: "/api/me/profile",
      token: dev.token,
      payload: { phone: "+15550001111" },
    });
    expect((await me(dev.token)).profile).toMatchObject({ phone: "+15550001111", phoneVerified: false });
  });
});

describe("verified access tokens are remembered", () => {
  const signer = createTokenSigner("a-test-secret-key-long-enough-for-hs256-signing");

  it("still refuses a remembered token once it expires", async () => {
    const { token } = await signer.issueAccess("user-1", "session-1");
    expect(await signer.verifyAccess(token)).toMatchObject({ sub: "user-1", sid: "session-1" });
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 16 * 60 * 1000);
      expect(await signer.verifyAccess(token)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses a token that differs in one character from a remembered one", async () => {
    const { token } = await signer.issueAccess("user-2", "session-2");
    expect(await signer.verifyAccess(token)).not.toBeNull();
    // A character inside the signature (the last one also carries padding bits).
    const at = token.length - 10;
    const swapped = token[at] === "A" ? "B" : "A";
    expect(await signer.verifyAccess(`${token.slice(0, at)}${swapped}${token.slice(at + 1)}`)).toBeNull();
    expect(
      await createTokenSigner("another-secret-key-long-enough-for-hs256-signing").verifyAccess(token),
    ).toBeNull();
  });

  it("hands out claims nobody can change", async () => {
    const { token } = await signer.issueAccess("user-3", "session-3");
    const claims = await signer.verifyAccess(token);
    expect(Object.isFrozen(claims)).toBe(true);
  });
});
