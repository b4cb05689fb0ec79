import sharp from "sharp";
import { systemActor } from "../../platform/access/actor.js";
import { runAs } from "../../platform/services.js";
import { writeProfile } from "../accounts/profile.service.js";
import { buildUser, unique, type TestContext } from "../../../test/harness.js";
import { PHONE_CODE_LIMITS } from "./phone.service.js";

export type SentSms = { to: string; text: string };

/** Replaces the SMS backend with one that keeps the messages, so tests can read codes. */
export function captureSms(t: TestContext): SentSms[] {
  const sent: SentSms[] = [];
  t.services.sms = {
    send(to, text) {
      sent.push({ to, text });
      return Promise.resolve();
    },
  };
  return sent;
}

/** The code of the last message sent to `phone`. */
export function lastCode(sent: SentSms[], phone: string): string {
  const message = sent.filter((sms) => sms.to === phone).at(-1);
  const code = /Your Cairn code is (\d{6})$/.exec(message?.text ?? "")?.[1];
  if (!code) throw new Error(`no code was sent to ${phone}`);
  return code;
}

/** A unique, valid E.164 number. */
export function uniquePhone(): string {
  return `+1555${Math.floor(Math.random() * 1e7)
    .toString()
    .padStart(7, "0")}`;
}

/** As if 30 seconds had passed since the last code for this number. */
export async function skipResendWait(t: TestContext, phone: string): Promise<void> {
  await t.services.ephemeral.limiter(PHONE_CODE_LIMITS.burst).reset(phone);
}

export async function image(format: "png" | "jpeg" | "webp", size = 64): Promise<Buffer> {
  const base = sharp({
    create: { width: size, height: size, channels: 3, background: { r: 40, g: 120, b: 90 } },
  });
  return base.toFormat(format).toBuffer();
}

/** A multipart body with one file field. */
export function upload(
  bytes: Uint8Array,
  filename = "avatar.png",
  type = "image/png",
  field = "file",
): FormData {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)], { type }), filename);
  return form;
}

export const GOOD_BIO = "I build careful backends and friendly interfaces.";

/** Factory: a developer of `orgId` with the given profile fields already saved. */
export async function buildDeveloper(
  t: TestContext,
  orgId: string,
  overrides: {
    username?: string;
    displayName?: string;
    roles?: string[];
    phone?: string;
    complete?: boolean;
  } = {},
) {
  const user = await buildUser(t, {
    orgId,
    roles: overrides.roles ?? ["developer"],
    username: overrides.username ?? unique("dev"),
  });
  const phone = overrides.phone ?? uniquePhone();
  await runAs(t.services, systemActor("test"), (ctx) =>
    writeProfile(ctx, user.id, {
      displayName: overrides.displayName ?? user.username,
      phone,
      ...(overrides.complete
        ? { bio: GOOD_BIO, nationalId: "AB-123456", avatarKey: "avatars/test.webp" }
        : {}),
    }),
  );
  return { ...user, phone };
}

/** Requests a code for `phone` and answers it; returns the verify response. */
export async function verifyPhone(t: TestContext, sent: SentSms[], token: string, phone: string) {
  const code = await t.request({ method: "POST", url: "/api/me/phone/code", token, payload: { phone } });
  if (code.statusCode !== 202) throw new Error(`code request failed: ${code.body}`);
  return t.request({
    method: "POST",
    url: "/api/me/phone/verify",
    token,
    payload: { code: lastCode(sent, phone) },
  });
}
