import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createConsoleSms } from "../../platform/sms/sms.js";
import { buildOrg, createTestContext, type TestContext } from "../../../test/harness.js";
import { buildDeveloper, captureSms, lastCode, skipResendWait, uniquePhone, type SentSms } from "./onboarding.test-util.js";
import { pendingCodeKey, type PendingCode } from "./phone.service.js";

let t: TestContext;
let orgId: string;
let sent: SentSms[];
beforeAll(async () => {
  t = await createTestContext();
  orgId = (await buildOrg(t)).id;
});
beforeEach(() => {
  sent = captureSms(t);
});
afterAll(() => t.close());

const requestCode = (token: string, phone: string) => t.request({ method: "POST", url: "/api/me/phone/code", token, payload: { phone } });
const verify = (token: string, code: string) => t.request({ method: "POST", url: "/api/me/phone/verify", token, payload: { code } });
const me = async (token: string) =>
  (await t.request({ method: "GET", url: "/api/me", token })).json<{ profile: { phone: string; phoneVerified: boolean }; onboarding: { phoneVerified: boolean } }>();

describe("phone codes", () => {
  it("sends a 6-digit code to the profile's number and verifies it once", async () => {
    const dev = await buildDeveloper(t, orgId);
    const response = await requestCode(dev.token, dev.phone);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json<{ resendAfterSeconds: number }>().resendAfterSeconds).toBe(30);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe(dev.phone);
    expect(sent[0]?.text).toMatch(/^Your Cairn code is \d{6}$/);
    const code = lastCode(sent, dev.phone);
    // Only a keyed digest is kept, never the code.
    const stored = await t.services.ephemeral.kv.get(pendingCodeKey(dev.id));
    expect(stored).not.toContain(code);

    const ok = await verify(dev.token, code);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ phoneVerified: true, verified: false, roles: ["developer"] });
    expect((await me(dev.token)).onboarding.phoneVerified).toBe(true);

    const again = await verify(dev.token, code);
    expect(again.statusCode).toBe(400);
    expect(again.json<{ detail: string }>().detail).toMatch(/No code is pending/);
  });

  it("takes a number the profile does not have yet, as API.md says: it becomes the unverified profile number", async () => {
    const dev = await buildDeveloper(t, orgId);
    await requestCode(dev.token, dev.phone);
    await verify(dev.token, lastCode(sent, dev.phone));
    expect((await me(dev.token)).profile.phoneVerified).toBe(true);
    const fresh = uniquePhone();
    const response = await requestCode(dev.token, fresh);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json<{ phone: string }>().phone).toBe(fresh);
    const changed = await me(dev.token);
    expect(changed.profile).toMatchObject({ phone: fresh, phoneVerified: false });
    const ok = await verify(dev.token, lastCode(sent, fresh));
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await me(dev.token)).profile).toMatchObject({ phone: fresh, phoneVerified: true });
  });

  it("five wrong codes burn the code: the right one fails with 429, a new code works", async () => {
    const dev = await buildDeveloper(t, orgId);
    await requestCode(dev.token, dev.phone);
    const code = lastCode(sent, dev.phone);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let attempt = 1; attempt <= 4; attempt++) {
      const response = await verify(dev.token, wrong);
      expect(response.statusCode).toBe(400);
      expect(response.json<{ errors: Array<{ path: string; message: string }> }>().errors[0]).toEqual({
        path: "code",
        message: `Wrong code. ${5 - attempt} ${5 - attempt === 1 ? "try" : "tries"} left.`,
      });
    }
    const fifth = await verify(dev.token, wrong);
    expect(fifth.statusCode).toBe(429);
    expect(fifth.headers["retry-after"]).toBeDefined();
    expect(fifth.json<{ detail: string }>().detail).toMatch(/Ask for a new one/);

    const right = await verify(dev.token, code);
    expect(right.statusCode).toBe(429);
    expect((await me(dev.token)).profile.phoneVerified).toBe(false);

    await skipResendWait(t, dev.phone);
    expect((await requestCode(dev.token, dev.phone)).statusCode).toBe(202);
    const fresh = lastCode(sent, dev.phone);
    const ok = await verify(dev.token, fresh);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await me(dev.token)).profile.phoneVerified).toBe(true);
  });

  it("refuses a code sent to another number than the profile's now holds", async () => {
    const dev = await buildDeveloper(t, orgId);
    await requestCode(dev.token, dev.phone);
    const code = lastCode(sent, dev.phone);
    const other = uniquePhone();
    expect((await t.request({ method: "PATCH", url: "/api/me/profile", token: dev.token, payload: { phone: other } })).statusCode).toBe(200);
    const response = await verify(dev.token, code);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ detail: string }>().detail).toBe(
      `This code was sent to another number (…${dev.phone.slice(-4)}): ask for a code for the number in your profile.`,
    );
    expect((await me(dev.token)).profile.phoneVerified).toBe(false);
  });

  it("refuses an expired code with a clear 400", async () => {
    const dev = await buildDeveloper(t, orgId);
    await requestCode(dev.token, dev.phone);
    const code = lastCode(sent, dev.phone);
    // Eleven minutes later, as far as the code knows.
    const key = pendingCodeKey(dev.id);
    const pending = JSON.parse((await t.services.ephemeral.kv.get(key)) ?? "{}") as PendingCode;
    await t.services.ephemeral.kv.set(key, JSON.stringify({ ...pending, expiresAt: Date.now() - 60_000 }), 600);
    const response = await verify(dev.token, code);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ detail: string }>().detail).toBe("This code has expired: ask for a new one.");
  });

  it("refuses a malformed number, and a second code once the number is verified", async () => {
    const dev = await buildDeveloper(t, orgId);
    const malformed = await requestCode(dev.token, "555-1234");
    expect(malformed.statusCode).toBe(400);
    expect(sent).toHaveLength(0);

    await requestCode(dev.token, dev.phone);
    expect((await verify(dev.token, lastCode(sent, dev.phone))).statusCode).toBe(200);
    await skipResendWait(t, dev.phone);
    const again = await requestCode(dev.token, dev.phone);
    expect(again.statusCode).toBe(409);
  });

  it("allows one send per 30 seconds and five per hour for a number (429 with Retry-After)", async () => {
    const dev = await buildDeveloper(t, orgId);
    expect((await requestCode(dev.token, dev.phone)).statusCode).toBe(202);
    const soon = await requestCode(dev.token, dev.phone);
    expect(soon.statusCode).toBe(429);
    expect(Number(soon.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(soon.headers["retry-after"])).toBeLessThanOrEqual(30);
    for (let send = 2; send <= 5; send++) {
      await skipResendWait(t, dev.phone);
      expect((await requestCode(dev.token, dev.phone)).statusCode).toBe(202);
    }
    await skipResendWait(t, dev.phone);
    const sixth = await requestCode(dev.token, dev.phone);
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers["retry-after"])).toBeGreaterThan(30);
    expect(sent).toHaveLength(5);
    // Only the latest code counts.
    const latest = lastCode(sent, dev.phone);
    expect((await verify(dev.token, latest)).statusCode).toBe(200);
  });

  it("clears the verification when the number changes", async () => {
    const dev = await buildDeveloper(t, orgId);
    await requestCode(dev.token, dev.phone);
    expect((await verify(dev.token, lastCode(sent, dev.phone))).statusCode).toBe(200);
    const changed = await t.request({ method: "PATCH", url: "/api/me/profile", token: dev.token, payload: { phone: uniquePhone() } });
    expect(changed.json<{ phoneVerified: boolean }>().phoneVerified).toBe(false);
  });

  it("needs a signed-in caller", async () => {
    expect((await t.request({ method: "POST", url: "/api/me/phone/code", payload: { phone: uniquePhone() } })).statusCode).toBe(401);
    expect((await t.request({ method: "POST", url: "/api/me/phone/verify", payload: { code: "123456" } })).statusCode).toBe(401);
  });
});

describe("the console SMS backend", () => {
  it("prints one clear line per message to the server log", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    await createConsoleSms(pino({ level: "info" }, sink)).send("+15551234567", "Your Cairn code is 483920");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ msg: "SMS to +15551234567: Your Cairn code is 483920" });
  });
});
