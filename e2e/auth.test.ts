import { describe, expect } from "vitest";
import { browserTest, env, unique, waitForMail } from "./harness.js";
import { expectDashboard, navigationLinks, signIn, signOut, signUp } from "./pages.js";

describe("signing up, out and in", () => {
  browserTest(
    "a new developer signs up, sees a developer's navigation, signs out and back in by username",
    async ({ page }) => {
      const username = unique("dev");
      const password = "a-long-and-quiet-river-42";
      await signUp(page, { email: `${username}@example.com`, username, password, accountType: "developer" });

      // Landed signed in, on the open organization's dashboard.
      await expectDashboard(page, username);
      const links = await navigationLinks(page);
      expect(links).toContain("Dashboard");
      expect(links).toContain("Profile");
      // A developer holds neither members.view nor projects.add.
      expect(links).not.toContain("Members");
      expect(links).not.toContain("Roles");
      expect(links).not.toContain("New project");
      await page.getByText("Become a verified developer").waitFor();

      // A page the caller may not open says so plainly.
      const org = new URL(page.url()).pathname.split("/")[2] ?? "";
      await page.goto(`/o/${org}/members`);
      await page.getByRole("heading", { name: "You need the members.view permission" }).waitFor();

      // The session survives a reload (refresh cookie → new access token in memory).
      await page.reload();
      await page.getByRole("heading", { name: "You need the members.view permission" }).waitFor();

      await signOut(page);
      await page.getByText("You have signed out.").waitFor();
      // Signed out for real: the app sends a visitor back to sign in, and the page load tries no
      // refresh that could only fail (nor logs an error about one).
      const refreshes: string[] = [];
      const errors: string[] = [];
      const onRequest = (request: { url(): string }) => {
        if (request.url().includes("/api/auth/refresh")) refreshes.push(request.url());
      };
      const onConsole = (message: { type(): string; text(): string }) => {
        if (message.type() === "error") errors.push(message.text());
      };
      page.on("request", onRequest);
      page.on("console", onConsole);
      await page.goto("/");
      await page.waitForURL(/\/sign-in/);
      await page.getByLabel("Email or username").waitFor();
      page.off("request", onRequest);
      page.off("console", onConsole);
      expect(refreshes).toEqual([]);
      expect(errors).toEqual([]);

      await signIn(page, username, password);
      await expectDashboard(page, username);
    },
  );

  browserTest("sign-up shows the server's field errors next to the fields", async ({ page }) => {
    const username = unique("dup");
    const password = "another-quiet-river-17";
    await signUp(page, { email: `${username}@example.com`, username, password, accountType: "customer" });
    await expectDashboard(page, username);
    const customerLinks = await navigationLinks(page);
    expect(customerLinks).not.toContain("Members");
    await signOut(page);

    // Same username again: a 409 whose `errors` name the field.
    await signUp(page, { email: `${username}.2@example.com`, username, password, accountType: "customer" });
    const field = page.getByLabel("Username");
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    const message = await page.locator(`#${await field.getAttribute("aria-describedby")}`).innerText();
    expect(message.length).toBeGreaterThan(0);
    expect(page.url()).toContain("/sign-up");
  });

  browserTest("a wrong password is refused without saying which part was wrong", async ({ page }) => {
    await page.goto("/sign-in");
    await signIn(page, env.adminLogin, "not-the-password");
    await page.getByRole("alert").waitFor();
    expect(page.url()).toContain("/sign-in");
  });

  browserTest("forgot password: the emailed link sets a new password", async ({ page }) => {
    const username = unique("reset");
    const email = `${username}@example.com`;
    await signUp(page, { email, username, password: "first-password-of-the-day", accountType: "developer" });
    await expectDashboard(page, username);
    await signOut(page);

    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByText("Check your inbox").waitFor();

    const link = await waitForMail(email, /(https?:\/\/\S+\/reset-password\?token=[\w%-]+)/);
    await page.goto(new URL(link).pathname + new URL(link).search);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    const newPassword = "second-password-of-the-day";
    await page.getByLabel("New password").fill(newPassword);
    await page.getByLabel("Repeat the password").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your password is set. Sign in with it.").waitFor();

    await signIn(page, email, newPassword);
    await expectDashboard(page, username);
  });
});
