import { describe, expect } from "vitest";
import { browserTest, env, launch, unique, waitForMail } from "./harness.js";
import { expectDashboard, navigationLinks, signIn, signOut } from "./pages.js";

// The platform superuser (created by `cairn createsuperuser`) is not a member of any organization
// but holds every permission in all of them, so it stands in for an organization administrator.
describe("administration", () => {
  browserTest("the superuser sees Members and Roles and can open both", async ({ page }) => {
    // A deep link while signed out comes back after signing in.
    await page.goto("/");
    await page.waitForURL(/\/sign-in/);
    await signIn(page, env.adminLogin, env.adminPassword);
    await page.waitForURL(/\/o\/[^/]+$/);
    const links = await navigationLinks(page);
    expect(links).toEqual(
      expect.arrayContaining(["Dashboard", "Members", "Roles", "New project", "Profile"]),
    );

    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Members" }).click();
    await page.getByRole("heading", { level: 1, name: "Members" }).waitFor();
    await page.getByRole("table", { name: "Members" }).waitFor();
    // In the header (and in the empty state too, when this test runs first on a fresh database).
    await page.getByRole("button", { name: "Add member" }).first().waitFor();

    await nav.getByRole("link", { name: "Roles" }).click();
    await page.getByRole("heading", { level: 1, name: "Roles" }).waitFor();
    const matrix = page.getByRole("table", { name: "Permissions by role" });
    await matrix.getByRole("rowheader", { name: /members\.view/ }).waitFor();
    await matrix.getByRole("columnheader", { name: "Administrator" }).waitFor();
  });

  browserTest("a deep link survives signing in", async ({ page }) => {
    await page.goto("/profile");
    await page.waitForURL(/\/sign-in\?next=/);
    await signIn(page, env.adminLogin, env.adminPassword);
    await page.waitForURL(/\/profile$/);
    await page.getByRole("heading", { level: 1, name: "Profile" }).waitFor();
  });

  browserTest(
    "an administrator adds a member, who sets a password from the welcome email",
    async ({ page }) => {
      await page.goto("/sign-in");
      await signIn(page, env.adminLogin, env.adminPassword);
      await page.waitForURL(/\/o\/[^/]+$/);
      const org = new URL(page.url()).pathname.split("/")[2] ?? "";
      await page.goto(`/o/${org}/members`);

      const username = unique("pm");
      const email = `${username}@example.com`;
      // In the header, and in the empty state too when no member has joined yet.
      await page.getByRole("button", { name: "Add member" }).first().click();
      const dialog = page.getByRole("dialog", { name: "Add member" });
      await dialog.getByLabel("Email").fill(email);
      await dialog.getByLabel("Username").fill(username);
      await dialog.getByLabel("Project manager").check();
      await dialog.getByRole("button", { name: "Add member" }).click();
      await page.getByTestId("toast-success").waitFor();

      // The list's search lives in the URL.
      await page.getByRole("searchbox", { name: "Search members" }).fill(username);
      await page.waitForURL(new RegExp(`search=${username}`));
      const row = page.getByRole("row", { name: new RegExp(username) });
      await row.getByText("Project manager").waitFor();
      await signOut(page);

      const link = await waitForMail(email, /(https?:\/\/\S+\/reset-password\?token=[\w%-]+&welcome=1)/);
      await page.goto(new URL(link).pathname + new URL(link).search);
      await page.getByRole("heading", { name: "Set your password" }).waitFor();
      const password = "project-managers-plan-ahead-7";
      await page.getByLabel("New password").fill(password);
      await page.getByLabel("Repeat the password").fill(password);
      await page.getByRole("button", { name: "Set password" }).click();
      await page.getByText("Your password is set. Sign in with it.").waitFor();
      await signIn(page, username, password);
      await expectDashboard(page, username);
      // A project manager holds members.view and projects.add, not members.manage.
      const links = await navigationLinks(page);
      expect(links).toEqual(expect.arrayContaining(["Members", "Roles", "New project"]));
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
      await page.getByRole("table", { name: "Members" }).waitFor();
      expect(await page.getByRole("button", { name: "Add member" }).count()).toBe(0);
    },
  );
});

describe("realtime", () => {
  browserTest("a member's navigation follows a role change at once, without reloading", async ({ page }) => {
    // The administrator adds a developer…
    await page.goto("/sign-in");
    await signIn(page, env.adminLogin, env.adminPassword);
    await page.waitForURL(/\/o\/[^/]+$/);
    const org = new URL(page.url()).pathname.split("/")[2] ?? "";
    await page.goto(`/o/${org}/members`);
    const username = unique("rt");
    const email = `${username}@example.com`;
    await page.getByRole("button", { name: "Add member" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add member" });
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Username").fill(username);
    await dialog.getByLabel("Developer", { exact: true }).check();
    await dialog.getByRole("button", { name: "Add member" }).click();
    await page.getByTestId("toast-success").waitFor();

    // …who sets a password and signs in, in a browser of their own.
    const member = await launch();
    try {
      const link = await waitForMail(email, /(https?:\/\/\S+\/reset-password\?token=[\w%-]+&welcome=1)/);
      await member.page.goto(new URL(link).pathname + new URL(link).search);
      const password = "realtime-is-about-now-3";
      await member.page.getByLabel("New password").fill(password);
      await member.page.getByLabel("Repeat the password").fill(password);
      await member.page.getByRole("button", { name: "Set password" }).click();
      await member.page.getByText("Your password is set. Sign in with it.").waitFor();
      await signIn(member.page, username, password);
      await expectDashboard(member.page, username);
      expect(await navigationLinks(member.page)).not.toContain("Members");

      // The administrator makes them an administrator too (a checkbox in the roles dialog).
      await page.getByRole("searchbox", { name: "Search members" }).fill(username);
      await page.waitForURL(new RegExp(`search=${username}`));
      await page.getByRole("button", { name: `Actions for ${username}` }).click();
      await page.getByRole("menuitem", { name: /Change roles/ }).click();
      const roles = page.getByRole("dialog", { name: /Roles of/ });
      await roles.getByLabel("Administrator").check();
      await roles.getByRole("button", { name: "Save roles" }).click();
      await page.getByTestId("toast-success").last().waitFor();
      await page
        .getByRole("row", { name: new RegExp(username) })
        .getByText("Administrator")
        .waitFor();

      // The member's open page learns it over the WebSocket (me.updated) and shows the new pages.
      await member.page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Members" })
        .waitFor();
      expect(await navigationLinks(member.page)).toEqual(expect.arrayContaining(["Members", "Roles"]));
    } finally {
      await member.close();
    }
  });
});
