import { describe, expect } from "vitest";
import { browserTest, unique } from "./harness.js";
import { expectDashboard, signIn, signOut, signUp } from "./pages.js";

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
});
