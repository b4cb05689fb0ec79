import { describe, expect } from "vitest";
import { call, login, member } from "./api.js";
import { browserTest, env, unique } from "./harness.js";
import { navigationLinks, signIn, signOut } from "./pages.js";

describe("activity", () => {
  browserTest(
    "a project's activity tells the story of its payments and members, and the organization's audit log filters it in the URL",
    async ({ page }) => {
      const superuser = await login(env.adminLogin, env.adminPassword);
      const slug = unique("act").toLowerCase().slice(0, 30);
      await call("/api/orgs", { token: superuser, body: { slug, name: `Activity ${slug}` } });
      const [admin, sales, verifier, dev] = await Promise.all([
        member(superuser, slug, ["admin"], "adm"),
        member(superuser, slug, ["salesperson"], "sal"),
        member(superuser, slug, ["verifier"], "ver"),
        member(superuser, slug, ["developer"], "dev"),
      ]);
      const salesToken = await login(sales.username, sales.password);
      const verifierToken = await login(verifier.username, verifier.password);
      const projectName = `Story ${slug}`;
      const project = await call<{ id: string }>("/api/projects", {
        token: salesToken,
        body: { name: projectName, cost: "1000.00" },
      });
      const record = (amount: string) =>
        call<{ id: string }>(`/api/projects/${project.id}/payments`, {
          token: salesToken,
          body: { amount, method: "bank_transfer" },
        });
      const approved = await record("400.00");
      const rejected = await record("40.00");
      const withdrawn = await record("4.00");
      await call(`/api/payments/${approved.id}/verify`, {
        token: verifierToken,
        body: { decision: "approve" },
      });
      await call(`/api/payments/${rejected.id}/verify`, {
        token: verifierToken,
        body: { decision: "reject", note: "Not on the statement" },
      });
      await call(`/api/payments/${withdrawn.id}`, { token: salesToken, method: "DELETE" });
      await call(`/api/projects/${project.id}/members`, { token: salesToken, body: { userId: dev.id } });

      // The admin reads the project's story in words.
      await page.goto("/sign-in");
      await signIn(page, admin.username, admin.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.goto(`/o/${slug}/projects/${project.id}`);
      const activity = page.getByRole("list", { name: "Activity" });
      const story = [
        `@${sales.username} recorded a payment of 400.00 USD (bank transfer)`,
        `@${verifier.username} approved a payment of 400.00 USD`,
        `@${verifier.username} rejected a payment of 40.00 USD: “Not on the statement”`,
        `@${sales.username} withdrew a payment of 4.00 USD`,
        `@${sales.username} added @${dev.username} to the project as member`,
      ];
      for (const line of story) await activity.getByText(line).waitFor();

      // The organization's audit log: in the navigation, its filters in the URL.
      expect(await navigationLinks(page)).toContain("Audit log");
      await page.getByRole("link", { name: "Open in the audit log" }).click();
      await page.waitForURL(new RegExp(`/o/${slug}/audit\\?project=${project.id}$`));
      const table = page.getByRole("table", { name: "Audit log" });
      await table
        .getByText(`@${verifier.username} approved a payment of 400.00 USD on ${projectName}`)
        .waitFor();
      await page.getByLabel("Action").selectOption({ label: "Payment rejected" });
      await page.waitForURL(/action=payment\.rejected/);
      await expect.poll(() => table.getByRole("row").count()).toBe(2); // the header and one entry
      await table.getByText("“Not on the statement”", { exact: false }).waitFor();
      await page.reload();
      await table.getByText("“Not on the statement”", { exact: false }).waitFor();
      expect(await page.getByLabel("Action").inputValue()).toBe("payment.rejected");

      // Organization-wide: who joined, by name.
      await page.getByRole("button", { name: "Clear filters" }).click();
      await page.getByLabel("About", { exact: true }).selectOption({ label: "Members" });
      await page.waitForURL(/entityType=member/);
      expect(new URL(page.url()).searchParams.get("project")).toBeNull();
      await table
        .getByText(`added @${dev.username} to the organization as Developer`, { exact: false })
        .waitFor();

      // Sales holds no audit.view: no entry in the navigation, and the page says why.
      await signOut(page);
      await signIn(page, sales.username, sales.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      expect(await navigationLinks(page)).not.toContain("Audit log");
      await page.goto(`/o/${slug}/audit`);
      await page.getByText("You need the audit.view permission").waitFor();
    },
    120_000,
  );
});
