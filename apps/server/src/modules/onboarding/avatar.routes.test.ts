import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildUser, createTestContext, type TestContext } from "../../../test/harness.js";
import { sniffImage } from "./avatar.image.js";
import { image, upload } from "./onboarding.test-util.js";

let t: TestContext;
let orgId: string;
beforeAll(async () => {
  t = await createTestContext();
  orgId = (await buildOrg(t)).id;
});
afterAll(() => t.close());

type Profile = { avatarUrl: string | null };
const put = (token: string, payload: FormData | string, headers: Record<string, string> = {}) =>
  t.request({ method: "PUT", url: "/api/me/avatar", token, payload, headers });
const stored = async () => {
  const dir = path.join(t.config.mediaDir, "avatars");
  return existsSync(dir) ? (await readdir(dir)).sort() : [];
};
/** Originals as the upload pipeline stored them in private storage: each is gone once re-encoded or refused. */
const originals = async () => {
  const dir = path.join(t.config.privateDir, "avatars");
  return existsSync(dir) ? (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()) : [];
};
const myAvatar = async (token: string) => (await t.request({ method: "GET", url: "/api/me", token })).json<{ profile: Profile }>().profile.avatarUrl;

describe("PUT /api/me/avatar", () => {
  it("stores a re-encoded 512 px WebP under a random name, served under /media/, and removes the old one", async () => {
    const user = await buildUser(t, { orgId, roles: ["developer"] });
    const first = await put(user.token, upload(await image("png", 900), "me.png"));
    expect(first.statusCode, first.body).toBe(200);
    const url = first.json<Profile>().avatarUrl ?? "";
    expect(url).toMatch(/^\/media\/avatars\/[0-9a-f]{32}\.webp$/);
    const file = path.join(t.config.mediaDir, url.replace(/^\/media\//, ""));
    const meta = await sharp(file).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 512, height: 512 });

    const served = await t.request({ method: "GET", url });
    expect(served.statusCode).toBe(200);
    expect(served.headers["content-type"]).toBe("image/webp");
    expect(served.headers["x-content-type-options"]).toBe("nosniff");

    const second = await put(user.token, upload(await image("jpeg", 300), "me.jpg", "image/jpeg"));
    expect(second.statusCode, second.body).toBe(200);
    const next = second.json<Profile>().avatarUrl ?? "";
    expect(next).not.toBe(url);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.join(t.config.mediaDir, next.replace(/^\/media\//, "")))).toBe(true);
    expect(await myAvatar(user.token)).toBe(next);
    expect(await originals()).toEqual([]);
  });

  it("accepts WebP and drops the image's metadata", async () => {
    const user = await buildUser(t, { orgId, roles: ["customer"] });
    const tagged = await sharp(await image("jpeg", 200)).withExif({ IFD0: { Copyright: "secret-location" } }).jpeg().toBuffer();
    expect(tagged.includes("secret-location")).toBe(true);
    const jpeg = await put(user.token, upload(tagged, "photo.jpg", "image/jpeg"));
    expect(jpeg.statusCode, jpeg.body).toBe(200);
    const file = path.join(t.config.mediaDir, (jpeg.json<Profile>().avatarUrl ?? "").replace(/^\/media\//, ""));
    expect((await sharp(file).metadata()).exif).toBeUndefined();
    expect((await put(user.token, upload(await image("webp"), "a.webp", "image/webp"))).statusCode).toBe(200);
  });

  it("refuses a text file named .png with 415 and stores nothing", async () => {
    const user = await buildUser(t, { orgId, roles: ["developer"] });
    const before = await stored();
    const response = await put(user.token, upload(Buffer.from("just some text, not a picture\n"), "avatar.png", "image/png"));
    expect(response.statusCode).toBe(415);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json<{ detail: string }>().detail).toBe("The file is not a PNG, JPEG or WebP image.");
    expect(await stored()).toEqual(before);
    expect(await originals()).toEqual([]);
    expect(await myAvatar(user.token)).toBeNull();
  });

  it("refuses a 6 MB image with 413 and stores nothing", async () => {
    const user = await buildUser(t, { orgId, roles: ["developer"] });
    // Random pixels do not compress: a real PNG of about 6 MB.
    const noise = Buffer.alloc(1450 * 1450 * 3);
    for (let index = 0; index < noise.length; index += 4) noise.writeUInt32LE((Math.random() * 0xffffffff) >>> 0, Math.min(index, noise.length - 4));
    const big = await sharp(noise, { raw: { width: 1450, height: 1450, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    expect(big.length).toBeGreaterThan(6 * 1000 * 1000);
    expect(sniffImage(big)).toBe("png");
    const before = await stored();
    const response = await put(user.token, upload(big, "big.png"));
    expect(response.statusCode).toBe(413);
    expect(response.json<{ detail: string }>().detail).toBe("An avatar is at most 5 MB.");
    expect(await stored()).toEqual(before);
    expect(await originals()).toEqual([]);
    expect(await myAvatar(user.token)).toBeNull();
  });

  it("refuses other image types, a damaged image, a missing file and a non-multipart body", async () => {
    const user = await buildUser(t, { orgId, roles: ["developer"] });
    const gif = await sharp(await image("png")).gif().toBuffer();
    expect((await put(user.token, upload(gif, "a.gif", "image/gif"))).statusCode).toBe(415);
    const png = await image("png");
    const damaged = Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 7)]);
    expect((await put(user.token, upload(damaged, "broken.png"))).statusCode).toBe(415);
    const wrongField = await put(user.token, upload(png, "a.png", "image/png", "picture"));
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json<{ errors: Array<{ path: string }> }>().errors[0]?.path).toBe("file");
    const json = await put(user.token, JSON.stringify({ file: "x" }), { "content-type": "application/json" });
    expect(json.statusCode).toBe(415);
    expect(await myAvatar(user.token)).toBeNull();
    // A damaged image passes the pipeline (its first bytes are a PNG's) and is refused by the decoder: its original goes too.
    expect(await originals()).toEqual([]);
  });

  it("needs a signed-in caller", async () => {
    expect((await t.request({ method: "PUT", url: "/api/me/avatar", payload: upload(await image("png")) })).statusCode).toBe(401);
  });
});

describe("sniffImage", () => {
  it("knows the three formats by their first bytes only", async () => {
    expect(sniffImage(await image("png"))).toBe("png");
    expect(sniffImage(await image("jpeg"))).toBe("jpeg");
    expect(sniffImage(await image("webp"))).toBe("webp");
    expect(sniffImage(Buffer.from("GIF89a"))).toBeNull();
    expect(sniffImage(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(sniffImage(Buffer.alloc(0))).toBeNull();
  });
});
