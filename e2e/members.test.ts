import { describe, expect } from "vitest";
import { call, login, member } from "./api.js";
import { browserTest, env, unique } from "./harness.js";
import { signIn } from "./pages.js";

describe("members", () => {
  browserTest(
    "the status filter finds who is still invited (in the URL), with Resend invitation; active and deactivated members apart",
    async ({ page }) => {
      const superuser = await login(env.adminLogin, env.adminPassword);
      const slug = unique("mem").toLowerCase().slice(0, 30);
      await call("/api/orgs", { token: superuser, body: { slug, name: `Members ${slug}` } });
      const admin = await member(superuser, slug, ["admin"], "adm");
      const active = await member(superuser, slug, ["support"], "act");
      // Invited: added, but no password set yet.
      const invited = unique("inv");
      await call(`/api/orgs/${slug}/members`, {
        token: superuser,
        body: { email: `${invited}@example.com`, username: invited, roles: ["developer"] },
      });

      await page.goto("/sign-in");
      await signIn(page, admin.username, admin.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.goto(`/o/${slug}/members`);
      const table = page.getByRole("table", { name: "Members" });
      await table.getByText(active.username, { exact: true }).waitFor();

      await page.getByLabel("Status", { exact: true }).selectOption({ label: "Invited" });
      await page.waitForURL(/state=invited/);
      await table.getByText(invited, { exact: true }).waitFor();
      await expect.poll(() => table.getByText(active.username, { exact: true }).count()).toBe(0);
      await table.getByText("Invited", { exact: true }).first().waitFor();

      // Still there after a reload: the filter lives in the URL.
      await page.reload();
      await table.getByText(invited, { exact: true }).waitFor();
      expect(await page.getByLabel("Status", { exact: true }).inputValue()).toBe("invited");

      await table.getByRole("button", { name: `Actions for ${invited}` }).click();
      await page.getByRole("menuitem", { name: /Resend invitation/ }).click();
      await page.getByText(`The invitation is on its way to ${invited} again.`).waitFor();

      await page.getByLabel("Status", { exact: true }).selectOption({ label: "Active" });
      await page.waitForURL(/state=active/);
      await table.getByText(active.username, { exact: true }).waitFor();
      await expect.poll(() => table.getByText(invited, { exact: true }).count()).toBe(0);
    },
    120_000,
  );
});
