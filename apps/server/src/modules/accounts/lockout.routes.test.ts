import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser, createTestContext, mailText, readMails, unique, type TestContext } from "../../../test/harness.js";
import { DEVICE_COOKIE } from "./device-trust.js";
import { loginLimits } from "./login-throttle.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof buildUser>>;

let address = 0;
/** A fresh documentation address (RFC 5737) per call, so tests never share a per-address count. */
function freshIp(): string {
  address += 1;
  return `203.0.${Math.floor(address / 250)}.${(address % 250) + 1}`;
}

function signIn(login: string, password: string, ip: string, device?: string): Promise<LightMyRequestResponse> {
  return t.request({
    method: "POST",
    url: "/api/auth/login",
    remoteAddress: ip,
    payload: { login, password },
    cookies: device ? { [DEVICE_COOKIE]: device } : {},
  });
}

function deviceCookieOf(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((candidate) => candidate.name === DEVICE_COOKIE);
  if (!cookie) throw new Error(`no device cookie in ${JSON.stringify(response.headers["set-cookie"])}`);
  return cookie.value;
}

/** The owner's own browser: a device cookie from an earlier successful sign-in. */
async function ownersBrowser(owner: Owner, ip = freshIp()): Promise<string> {
  const response = await signIn(owner.username, owner.password, ip);
  expect(response.statusCode).toBe(200);
  return deviceCookieOf(response);
}

/** `count` wrong passwords, each of which must be answered 401. */
async function fail(login: string, ip: string, count: number, device?: string): Promise<void> {
  for (let attempt = 1; attempt <= count; attempt++) {
    const response = await signIn(login, `Wrong-${attempt}-password`, ip, device);
    expect(response.statusCode, `attempt ${attempt} from ${ip}`).toBe(401);
  }
}

async function warningsTo(email: string): Promise<string[]> {
  return (await readMails(t))
    .map(mailText)
    .filter((text) => text.includes(`To: ${email}`) && text.includes("Sign-in attempts to your Cairn account were blocked"));
}

const PER_SOURCE = loginLimits.source.points;

describe("an attacker cannot lock the owner out", () => {
  it("locks the attacker's address while the owner's browser still signs in", async () => {
    const owner = await buildUser(t);
    const device = await ownersBrowser(owner);
    const attacker = freshIp();
    await fail(owner.username, attacker, PER_SOURCE);

    const locked = await signIn(owner.username, "Wrong-again-password", attacker);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers["content-type"]).toContain("application/problem+json");
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    // Even the right password, by email or username, from the attacker's address without the cookie.
    expect((await signIn(owner.email, owner.password, attacker)).statusCode).toBe(429);

    const home = await signIn(owner.username, owner.password, freshIp(), device);
    expect(home.statusCode).toBe(200);
    expect(home.json<{ access: string; refresh: string; user: { id: string } }>().user.id).toBe(owner.id);
    // Behind the same address as the attacker (one office, one NAT), the owner's browser still gets in.
    expect((await signIn(owner.email, owner.password, attacker, device)).statusCode).toBe(200);
  });

  it("sets the device cookie httpOnly, SameSite=Strict, on /api/auth, for about a year", async () => {
    const owner = await buildUser(t);
    const response = await signIn(owner.username, owner.password, freshIp());
    const cookie = response.cookies.find((candidate) => candidate.name === DEVICE_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/api/auth" });
    expect(cookie?.maxAge).toBeGreaterThanOrEqual(360 * 24 * 60 * 60);
    expect(response.body).not.toContain(cookie?.value);
  });

  it("a fresh address without a device cookie still gets its own ten tries", async () => {
    const owner = await buildUser(t);
    await fail(owner.username, freshIp(), PER_SOURCE);
    const elsewhere = freshIp();
    await fail(owner.username, elsewhere, PER_SOURCE - 1);
    expect((await signIn(owner.username, owner.password, elsewhere)).statusCode).toBe(200);
  });

  it("the untrusted ceiling stops attacks spread over many addresses, but never the owner's browser", async () => {
    const owner = await buildUser(t);
    const device = await ownersBrowser(owner);
    const sources = loginLimits.untrusted.points / PER_SOURCE;
    for (let source = 0; source < sources; source++) await fail(owner.username, freshIp(), PER_SOURCE);

    expect((await signIn(owner.username, owner.password, freshIp())).statusCode).toBe(429);
    expect((await signIn(owner.username, owner.password, freshIp(), device)).statusCode).toBe(200);
    expect(await warningsTo(owner.email)).toHaveLength(1);
  });

  it("a trusted browser has a budget of its own: ten failures lock that browser", async () => {
    const owner = await buildUser(t);
    const device = await ownersBrowser(owner);
    const ip = freshIp();
    await fail(owner.username, ip, PER_SOURCE, device);
    expect((await signIn(owner.username, owner.password, ip, device)).statusCode).toBe(429);
    // Without the cookie the same address is another source, which has failed nothing yet.
    expect((await signIn(owner.username, owner.password, ip)).statusCode).toBe(200);
    // The owner's own fumbling is not an attack.
    expect(await warningsTo(owner.email)).toHaveLength(0);
  });

  it("a success clears only the count of the source it came from", async () => {
    const owner = await buildUser(t);
    const device = await ownersBrowser(owner);
    const attacker = freshIp();
    await fail(owner.username, attacker, PER_SOURCE - 1);
    await fail(owner.username, attacker, PER_SOURCE - 1, device);
    expect((await signIn(owner.username, owner.password, attacker, device)).statusCode).toBe(200);
    await fail(owner.username, attacker, PER_SOURCE - 1, device);
    await fail(owner.username, attacker, 1);
    expect((await signIn(owner.username, owner.password, attacker)).statusCode).toBe(429);
  });
});

describe("device cookies give no trust they were not issued for", () => {
  it("a forged cookie, another account's cookie, or garbage is treated as no cookie", async () => {
    const owner = await buildUser(t);
    const other = await buildUser(t);
    const genuine = await ownersBrowser(owner);
    const othersDevice = await ownersBrowser(other);
    const attacker = freshIp();
    await fail(owner.username, attacker, PER_SOURCE);

    const [ownerId, nonce, signature] = genuine.split(".");
    const forgedSignature = `${ownerId}.${nonce}.${signature?.startsWith("A") ? "B" : "A"}${signature?.slice(1)}`;
    const retargeted = othersDevice.replace(other.id, owner.id);
    const forgeries = [forgedSignature, othersDevice, retargeted, `${owner.id}.${nonce}.`, "x".repeat(5000), "~~~"];
    for (const forged of forgeries) {
      expect((await signIn(owner.username, owner.password, attacker, forged)).statusCode, forged.slice(0, 80)).toBe(429);
    }
    expect((await signIn(owner.username, owner.password, attacker, genuine)).statusCode).toBe(200);
  });

  it("a browser keeps the trust of each account that signed in on it", async () => {
    const first = await buildUser(t);
    const second = await buildUser(t);
    const firstCookie = await ownersBrowser(first);
    const shared = deviceCookieOf(await signIn(second.username, second.password, freshIp(), firstCookie));
    const attacker = freshIp();
    await fail(first.username, attacker, PER_SOURCE);
    await fail(second.username, attacker, PER_SOURCE);
    expect((await signIn(first.username, first.password, attacker, shared)).statusCode).toBe(200);
    expect((await signIn(second.username, second.password, attacker, shared)).statusCode).toBe(200);
  });
});

describe("the owner is warned", () => {
  it("exactly one email per attack, naming the address, saying their devices are not affected", async () => {
    const owner = await buildUser(t);
    const attacker = freshIp();
    await fail(owner.username, attacker, PER_SOURCE - 1);
    expect(await warningsTo(owner.email)).toHaveLength(0);
    await fail(owner.username, attacker, 1);
    await signIn(owner.username, "Wrong-locked-password", attacker);
    await fail(owner.email, freshIp(), PER_SOURCE);

    const warnings = await warningsTo(owner.email);
    expect(warnings).toHaveLength(1);
    const text = warnings[0] ?? "";
    expect(text).toContain(attacker);
    expect(text).toContain("not affected");
    expect(text).toContain("changing your password");
  });

  it("unknown accounts answer as wrong passwords do, are throttled the same, and send nothing", async () => {
    const before = (await readMails(t)).length;
    const owner = await buildUser(t);
    const attacker = freshIp();
    const nobody = `${unique("nobody")}@example.test`;
    const wrong = await signIn(owner.username, "Wrong-first-password", attacker);
    const unknown = await signIn(nobody, "Wrong-first-password", attacker);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json<{ detail: string }>().detail).toBe(wrong.json<{ detail: string }>().detail);
    expect(unknown.cookies.find((cookie) => cookie.name === DEVICE_COOKIE)).toBeUndefined();

    await fail(nobody, attacker, PER_SOURCE - 1);
    expect((await signIn(nobody, "Wrong-last-password", attacker)).statusCode).toBe(429);
    // The only mail since is none: buildUser sends none, the unknown account's lock sends none.
    expect((await readMails(t)).length).toBe(before);
  });
});

describe("the warning through the job queue, as in production", () => {
  it("is enqueued in the refused attempt's transaction, which commits, and delivered by the worker", async () => {
    const queued = await createTestContext({ jobs: true });
    try {
      await queued.services.jobs?.work(queued.services);
      const owner = await buildUser(queued);
      for (let attempt = 1; attempt <= PER_SOURCE; attempt++) {
        const response = await queued.request({
          method: "POST",
          url: "/api/auth/login",
          remoteAddress: "198.51.100.77",
          payload: { login: owner.username, password: `Wrong-${attempt}-password` },
        });
        expect(response.statusCode).toBe(401);
      }
      const delivered = async () => (await readMails(queued)).map(mailText).filter((text) => text.includes(`To: ${owner.email}`));
      await expect.poll(async () => (await delivered()).length, { timeout: 15_000, interval: 200 }).toBe(1);
      expect((await delivered())[0]).toContain("198.51.100.77");
    } finally {
      await queued.close();
    }
  });
});
