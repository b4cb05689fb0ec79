import { eq } from "drizzle-orm";
import { ALL_ROLES, runMatrix, statuses, type MatrixFixture, type MatrixUser } from "../../../test/matrix.js";
import { profiles } from "../accounts/accounts.table.js";
import { captureSms, image, uniquePhone, upload, type SentSms } from "./onboarding.test-util.js";

const everyone = [...ALL_ROLES, "superuser", "outsider"] as const;
let sent: SentSms[] = [];
let png: Buffer = Buffer.alloc(0);

const phoneOf = (fx: MatrixFixture, caller: MatrixUser | null) => fx.data[`phone:${caller?.id ?? ""}`] ?? uniquePhone();

/** A code that is certainly not the one sent to the caller. */
function wrongCode(fx: MatrixFixture, caller: MatrixUser | null) {
  const phone = phoneOf(fx, caller);
  const text = sent.filter((sms) => sms.to === phone).at(-1)?.text ?? "Your Cairn code is 000000";
  const right = Number(/(\d{6})$/.exec(text)?.[1] ?? 0);
  return String((right + 1) % 1_000_000).padStart(6, "0");
}

runMatrix(
  "onboarding and notification endpoints × roles",
  [
    {
      route: "PATCH /api/me/profile",
      request: (_fx, caller) => ({ method: "PATCH", url: "/api/me/profile", payload: { displayName: `Shown as ${caller?.username ?? "nobody"}`, bio: "Edited through the matrix." } }),
      expect: { ...statuses(200, everyone), anonymous: 401 },
    },
    {
      route: "PUT /api/me/avatar",
      request: () => ({ method: "PUT", url: "/api/me/avatar", payload: upload(png) }),
      expect: { ...statuses(200, everyone), anonymous: 401 },
    },
    {
      route: "POST /api/me/phone/code",
      request: (fx, caller) => ({ method: "POST", url: "/api/me/phone/code", payload: { phone: phoneOf(fx, caller) } }),
      expect: { ...statuses(202, everyone), anonymous: 401 },
    },
    {
      route: "POST /api/me/phone/verify",
      name: "POST /api/me/phone/verify (wrong code)",
      request: (fx, caller) => ({ method: "POST", url: "/api/me/phone/verify", payload: { code: wrongCode(fx, caller) } }),
      expect: { ...statuses(400, everyone), anonymous: 401 },
    },
    {
      route: "GET /api/me/notifications",
      request: () => ({ method: "GET", url: "/api/me/notifications?unread=true" }),
      expect: { ...statuses(200, everyone), anonymous: 401 },
    },
    {
      route: "POST /api/me/notifications/read",
      request: () => ({ method: "POST", url: "/api/me/notifications/read", payload: { all: true } }),
      expect: { ...statuses(200, everyone), anonymous: 401 },
    },
  ],
  async (fx) => {
    sent = captureSms(fx.t);
    png = await image("png");
    const data: Record<string, string> = {};
    for (const user of [...Object.values(fx.users), fx.superuser, fx.outsider]) {
      const phone = uniquePhone();
      data[`phone:${user.id}`] = phone;
      await fx.t.services.database.db.update(profiles).set({ phone }).where(eq(profiles.userId, user.id));
    }
    return data;
  },
);
