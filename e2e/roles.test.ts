import { describe, expect } from "vitest";
import { call, login, member } from "./api.js";
import { browserTest, env, unique } from "./harness.js";
import { navigationLinks, signIn, signOut } from "./pages.js";

type Role = { key: string; name: string; permissions: string[]; ownScoped: string[] };

describe("roles", () => {
  browserTest(
    "an administrator creates a role from a default one and grants permissions on own objects only, as the default roles do",
    async ({ page }) => {
      const superuser = await login(env.adminLogin, env.adminPassword);
      const slug = unique("rol").toLowerCase().slice(0, 30);
      await call("/api/orgs", { token: superuser, body: { slug, name: `Roles ${slug}` } });
      const admin = await member(superuser, slug, ["admin"], "adm");

      await page.goto("/sign-in");
      await signIn(page, admin.username, admin.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.goto(`/o/${slug}/roles`);
      await page.getByRole("button", { name: "New role" }).first().click();
      const dialog = page.getByRole("dialog", { name: "New role" });
      await dialog.getByLabel("Name", { exact: true }).fill("Lead");

      // Starting from the project manager's grants brings their own scopes along.
      await dialog.getByLabel("Start from the permissions of").selectOption({ label: "Project manager" });
      const scope = (codename: string) =>
        dialog.getByRole("combobox", { name: `Scope of ${codename}`, exact: true });
      expect(await scope("audit.view").inputValue()).toBe("own");
      await dialog.getByText("Own only: projects they own or manage.").first().waitFor();
      // A permission without an "own" meaning offers no scope.
      expect(await scope("members.view").count()).toBe(0);

      // Teams on everything; clients only those they sell to.
      await scope("teams.manage").selectOption("all");
      await scope("clients.view").selectOption("own");
      await dialog.getByText("Own only: clients they are the salesperson of.").waitFor();
      // Taking a permission away takes its scope away too.
      await dialog.getByRole("checkbox", { name: /^Read the audit log/ }).uncheck();
      expect(await scope("audit.view").count()).toBe(0);
      await dialog.getByRole("checkbox", { name: /^Read the audit log/ }).check();
      await scope("audit.view").selectOption("own");
      await dialog.getByRole("button", { name: "Create role" }).click();
      await page.getByText("The role Lead is created.").waitFor();

      const roles = await call<{ items: Role[] }>(`/api/orgs/${slug}/roles`, {
        token: await login(admin.username, admin.password),
      });
      const lead = roles.items.find((role) => role.key === "lead");
      expect(lead?.permissions).toEqual(
        expect.arrayContaining(["audit.view", "clients.view", "teams.manage"]),
      );
      // tickets.manage stays on own projects, as the project manager's role has it.
      expect([...(lead?.ownScoped ?? [])].sort()).toEqual(["audit.view", "clients.view", "tickets.manage"]);

      // The editor shows the role as saved.
      await page.getByRole("button", { name: "Edit Lead" }).click();
      const edit = page.getByRole("dialog", { name: "Edit Lead" });
      expect(await edit.getByRole("combobox", { name: "Scope of clients.view" }).inputValue()).toBe("own");
      expect(await edit.getByRole("combobox", { name: "Scope of teams.manage" }).inputValue()).toBe("all");
      await edit.getByRole("button", { name: "Cancel" }).click();

      // A holder of the role gets the audit log (of their own projects).
      const holder = await member(superuser, slug, ["lead"], "lead");
      await signOut(page);
      await signIn(page, holder.username, holder.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      expect(await navigationLinks(page)).toContain("Audit log");
      await page.goto(`/o/${slug}/audit`);
      await page.getByText("What happened on the projects you own or manage").waitFor();
    },
    120_000,
  );
});
