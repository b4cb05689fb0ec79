import { describe, expect } from "vitest";
import { call, login, member } from "./api.js";
import { tinyPng, waitForSmsCode } from "./fixtures.js";
import { browserTest, env, unique } from "./harness.js";
import { expectDashboard, navigationLinks, signIn, signOut, signUp } from "./pages.js";

/** A number no other test run sends codes to. */
const freshPhone = () => `+1555${String(Date.now() + Math.floor(Math.random() * 1000)).slice(-7)}`;

describe("profile", () => {
  browserTest("a member edits their profile and changes their password", async ({ page }) => {
    const username = unique("prof");
    const password = "profiles-tell-who-we-are-5";
    await signUp(page, { email: `${username}@example.com`, username, password, accountType: "customer" });
    await expectDashboard(page, username);

    await page.getByRole("button", { name: "Account menu" }).click();
    await page.getByRole("menuitem", { name: "Profile" }).click();
    await page.getByRole("heading", { level: 1, name: "Profile" }).waitFor();
    await page.getByLabel("Display name").fill("Ada Lovelace");
    await page.getByLabel("Bio").fill("Writes the first programs, long before the machines exist.");
    await page.getByLabel("Time zone").selectOption("Europe/London");
    await page.getByRole("button", { name: "Save profile" }).click();
    await page.getByText("Your profile is saved.").waitFor();
    // The new name shows at once in the top bar, and stays after a reload.
    await page.getByRole("button", { name: "Account menu" }).getByText("Ada Lovelace").waitFor();
    await page.reload();
    await expect.poll(() => page.getByLabel("Display name").inputValue()).toBe("Ada Lovelace");
    expect(await page.getByLabel("Time zone").inputValue()).toBe("Europe/London");

    // The server's field error lands next to the field it names.
    const newPassword = "profiles-change-over-time-6";
    await page.getByLabel("Current password").fill("not-my-password");
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("Repeat the new password").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("This is not your current password.").waitFor();
    expect(await page.getByLabel("Current password").getAttribute("aria-invalid")).toBe("true");

    await page.getByLabel("Current password").fill(password);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText(/Your password is changed/).waitFor();

    await signOut(page);
    await signIn(page, username, newPassword);
    await expectDashboard(page, "Ada Lovelace");
  });

  browserTest(
    "a verified developer changes their picture and their phone on Profile, and stays verified while the new number waits for its code",
    async ({ page }) => {
      const admin = await login(env.adminLogin, env.adminPassword);
      const slug = unique("prof").toLowerCase().slice(0, 30);
      await call("/api/orgs", { token: admin, body: { slug, name: `Profiles ${slug}` } });
      const dev = await member(admin, slug, ["verified_developer"], "vdev");
      await page.goto("/sign-in");
      await signIn(page, dev.username, dev.password);
      await expectDashboard(page, dev.username);
      await page.goto("/profile");
      await page.getByRole("heading", { level: 1, name: "Profile" }).waitFor();
      await page.getByText("Verified developer", { exact: true }).first().waitFor();

      // The picture: replaced from Profile, with a preview first.
      await page.getByLabel("Profile picture").setInputFiles({
        name: "me.png",
        mimeType: "image/png",
        buffer: tinyPng(16, [200, 90, 40]),
      });
      await page.getByRole("img", { name: "Preview of the chosen picture" }).waitFor();
      await page.getByRole("button", { name: "Upload picture" }).click();
      await page.getByText("Your profile picture is saved.").waitFor();

      // Private fields are editable too.
      await page.getByLabel("National id").fill("NL-778899");
      await page.getByLabel("Date of birth").fill("1991-05-17");
      await page.getByRole("button", { name: "Save profile" }).click();
      await page.getByText("Your profile is saved.").waitFor();

      // A first number, confirmed with its code.
      const phoneCard = page
        .locator("section")
        .filter({ has: page.getByRole("heading", { level: 2, name: "Phone", exact: true }) });
      const first = freshPhone();
      await phoneCard.getByLabel("Phone number").fill(first);
      await phoneCard.getByRole("button", { name: "Send code" }).click();
      await phoneCard.getByLabel("Code", { exact: true }).fill(await waitForSmsCode(first));
      await phoneCard.getByRole("button", { name: "Verify" }).click();
      await page.getByText("Your phone number is confirmed.").first().waitFor();
      await phoneCard.getByText("Confirmed", { exact: true }).waitFor();

      // The same number again is not a change.
      await phoneCard.getByRole("button", { name: "Send code" }).click();
      await phoneCard.getByText("This number is already confirmed. Type the new one.").waitFor();

      // A new number: not confirmed until its code is entered; the developer stays verified meanwhile.
      const second = freshPhone();
      await phoneCard.getByLabel("Phone number").fill(second);
      await phoneCard.getByRole("button", { name: "Send code" }).click();
      await phoneCard.getByText("Not confirmed", { exact: true }).waitFor();
      await phoneCard
        .getByText("You stay a verified developer while you confirm a new number.", { exact: false })
        .waitFor();
      await page.getByText("Verified developer", { exact: true }).first().waitFor();
      expect(await navigationLinks(page)).toContain("New project");
      const token = await login(dev.username, dev.password);
      type MeNow = {
        profile: { phone: string; phoneVerified: boolean; nationalId: string; avatarUrl: string | null };
        memberships: Array<{ roles: string[] }>;
      };
      const waiting = await call<MeNow>("/api/me", { token });
      expect(waiting.profile).toMatchObject({ phone: second, phoneVerified: false });
      expect(waiting.memberships[0]?.roles).toEqual(["verified_developer"]);

      await phoneCard.getByLabel("Code", { exact: true }).fill(await waitForSmsCode(second));
      await phoneCard.getByRole("button", { name: "Verify" }).click();
      await phoneCard.getByText("Confirmed", { exact: true }).waitFor();
      await page.reload();
      await phoneCard.getByText("Confirmed", { exact: true }).waitFor();
      expect(await phoneCard.getByLabel("Phone number").inputValue()).toBe(second);
      await page.getByText("Verified developer", { exact: true }).first().waitFor();
      const after = await call<MeNow>("/api/me", { token });
      expect(after.profile).toMatchObject({ phone: second, phoneVerified: true, nationalId: "NL-778899" });
      expect(after.profile.avatarUrl).toMatch(/^\/media\//);
    },
    120_000,
  );
});
