import { readFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { describe, expect } from "vitest";
import { browserTest, env, unique } from "./harness.js";
import { expectDashboard, navigationLinks, signUp } from "./pages.js";

/** CRC-32 of PNG chunks (ISO 3309), bit by bit: small and dependency-free. */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG, written by hand: `size`×`size` pixels of one RGB colour. */
function tinyPng(size: number, [r, g, b]: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  // Each row: filter byte 0, then RGB triples.
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat()),
  ]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Waits for the console SMS backend's line for `phone` in the server log; returns the code. */
async function waitForSmsCode(phone: string, timeoutMs = 20_000): Promise<string> {
  const pattern = new RegExp(`SMS to ${phone.replace("+", "\\+")}: Your Cairn code is (\\d{6})`, "g");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let text = "";
    try {
      text = readFileSync(env.logFile, "utf8");
    } catch {
      // the log file appears with the first line
    }
    const codes = [...text.matchAll(pattern)].map((match) => match[1] ?? "");
    const last = codes.at(-1);
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `No SMS to ${phone} in ${env.logFile} within ${timeoutMs / 1000} s (the server must log at level info).`,
  );
}

describe("developer onboarding", () => {
  browserTest(
    "a new developer completes the profile, uploads a picture, confirms the phone and may create projects",
    async ({ page }) => {
      const username = unique("onb");
      const phone = `+1555${String(Date.now()).slice(-7)}`;
      await signUp(page, {
        email: `${username}@example.com`,
        username,
        password: "a-patient-developer-2026",
        accountType: "developer",
      });
      await expectDashboard(page, username);
      expect(await navigationLinks(page)).not.toContain("New project");

      // The dashboard leads to the checklist.
      await page.getByRole("link", { name: "Continue verification" }).click();
      await page.waitForURL(/\/onboarding$/);
      await page.getByRole("heading", { level: 1, name: "Become a verified developer" }).waitFor();
      const progress = page.getByRole("progressbar", { name: "Verification progress" });
      expect(await progress.getAttribute("aria-valuenow")).toBe("0");

      // 1. Profile fields: a bio under 20 characters is refused next to the field, with a live count.
      const bio = page.getByLabel("Bio");
      await bio.fill("Too short");
      await page.getByTestId("bio-count").getByText("9/500").waitFor();
      await page.getByLabel("National id").fill("AB-123456");
      await page.getByLabel("Phone number").fill(phone);
      await page.getByRole("button", { name: "Save details" }).click();
      await expect.poll(() => bio.getAttribute("aria-invalid")).toBe("true");
      await bio.fill("I build calm, accessible web interfaces with TypeScript and React.");
      await page.getByRole("button", { name: "Save details" }).click();
      await page.getByText("Your profile details are saved.").waitFor();
      await expect.poll(() => progress.getAttribute("aria-valuenow")).toBe("60");

      // 2. Avatar: preview, then upload with progress.
      await page.getByLabel("Profile picture").setInputFiles({
        name: "me.png",
        mimeType: "image/png",
        buffer: tinyPng(16, [64, 120, 200]),
      });
      await page.getByRole("img", { name: "Preview of the chosen picture" }).waitFor();
      await page.getByRole("button", { name: "Upload picture" }).click();
      await page.getByText("Your picture is saved.", { exact: false }).first().waitFor();
      await expect.poll(() => progress.getAttribute("aria-valuenow")).toBe("80");

      // 3. Phone: request a code (then the resend countdown), read it from the server log, enter it.
      await page.getByRole("button", { name: "Send code" }).click();
      await page.getByText(/You can ask for another code in \d+ s\./).waitFor();
      expect(await page.getByRole("button", { name: "Send a new code" }).isDisabled()).toBe(true);
      const code = await waitForSmsCode(phone);
      // A wrong code first: the server's message appears next to the field.
      const codeField = page.getByLabel("Code", { exact: true });
      await codeField.fill(code === "000000" ? "111111" : "000000");
      await page.getByRole("button", { name: "Verify" }).click();
      await expect.poll(() => codeField.getAttribute("aria-invalid")).toBe("true");
      await page.getByText(/Wrong code\. 4 tries left\./).waitFor();
      await codeField.fill(code);
      await page.getByRole("button", { name: "Verify" }).click();

      // Verified: the page says so, and the navigation follows the new role at once.
      await page.getByRole("heading", { name: "You are verified" }).waitFor();
      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.getByRole("link", { name: "New project" }).waitFor();
      expect(await nav.getByRole("link", { name: "Get verified" }).count()).toBe(0);

      // The directory shows the new verified developer with the uploaded picture.
      await nav.getByRole("link", { name: "Developers" }).click();
      await page.getByRole("table", { name: "Developers" }).waitFor();
      await page.getByRole("searchbox", { name: "Search developers" }).fill(username);
      await page.waitForURL(new RegExp(`search=${username}`));
      const table = page.getByRole("table", { name: "Developers" });
      await table.getByRole("link", { name: new RegExp(username) }).click();
      await page.getByRole("heading", { level: 1, name: new RegExp(username) }).waitFor();
      await page.getByText("Verified", { exact: true }).first().waitFor();

      // The promotion was notified: the bell shows it.
      await page.getByRole("button", { name: /^Notifications, \d+ unread$/ }).click();
      const panel = page.getByRole("dialog", { name: "Notifications" });
      await panel.getByRole("listitem").first().waitFor();
      await panel.getByRole("button", { name: "Mark all read" }).click();
      await page.getByRole("button", { name: "Notifications", exact: true }).waitFor();
    },
  );
});
