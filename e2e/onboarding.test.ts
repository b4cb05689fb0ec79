import { describe, expect } from "vitest";
import { tinyPng, waitForSmsCode } from "./fixtures.js";
import { browserTest, unique } from "./harness.js";
import { expectDashboard, navigationLinks, signUp } from "./pages.js";

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
