import { describe, expect } from "vitest";
import { call, login, member } from "./api.js";
import { browserTest, env, unique } from "./harness.js";
import { signIn } from "./pages.js";

describe("clients", () => {
  browserTest(
    "a client's page shows its projects, payments and customer account; a client with projects says why it cannot be deleted",
    async ({ page }) => {
      const superuser = await login(env.adminLogin, env.adminPassword);
      const slug = unique("cli").toLowerCase().slice(0, 30);
      await call("/api/orgs", { token: superuser, body: { slug, name: `Clients ${slug}` } });
      const [sales, verifier, customer] = await Promise.all([
        member(superuser, slug, ["salesperson"], "sal"),
        member(superuser, slug, ["verifier"], "ver"),
        member(superuser, slug, ["customer"], "cus"),
      ]);
      const salesToken = await login(sales.username, sales.password);
      const acme = await call<{ id: string }>("/api/clients", {
        token: salesToken,
        body: { name: "Acme", company: "Acme Corporation", customerUserId: customer.id },
      });
      await call("/api/clients", { token: salesToken, body: { name: "Lone" } });
      const project = await call<{ id: string }>("/api/projects", {
        token: salesToken,
        body: { name: `Rocket ${slug}`, clientId: acme.id, cost: "1000.00" },
      });
      const payment = await call<{ id: string }>(`/api/projects/${project.id}/payments`, {
        token: salesToken,
        body: { amount: "400.00", method: "card" },
      });
      await call(`/api/payments/${payment.id}/verify`, {
        token: await login(verifier.username, verifier.password),
        body: { decision: "approve" },
      });

      await page.goto("/sign-in");
      await signIn(page, sales.username, sales.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.goto(`/o/${slug}/clients`);
      const table = page.getByRole("table", { name: "Clients" });

      // A client with a project: Delete explains instead of failing.
      await table.getByRole("button", { name: "Actions for Acme" }).click();
      await page.getByRole("menuitem", { name: /Delete/ }).click();
      const blocked = page.getByRole("dialog", { name: "Acme cannot be deleted" });
      await blocked
        .getByText("Acme has 1 project, whose history and payments point at it.", { exact: false })
        .waitFor();
      expect(await blocked.getByRole("button", { name: /Delete/ }).count()).toBe(0);
      await blocked.getByRole("link", { name: "See its projects" }).click();
      await page.waitForURL(new RegExp(`/o/${slug}/projects\\?client=${acme.id}$`));
      await page.getByRole("link", { name: `Rocket ${slug}` }).waitFor();

      // The client's page: projects, payments, the customer account.
      await page.goto(`/o/${slug}/clients`);
      await table.getByRole("link", { name: "Acme" }).click();
      await page.waitForURL(new RegExp(`/o/${slug}/clients/${acme.id}$`));
      await page.getByRole("heading", { level: 1, name: "Acme" }).waitFor();
      const projects = page.getByRole("list", { name: "Projects of Acme" });
      await projects.getByRole("link", { name: `Rocket ${slug}` }).waitFor();
      await projects.getByText("Partly paid").waitFor();
      const payments = page.getByRole("list", { name: "Payments of Acme" });
      await payments.getByText("400.00 USD").waitFor();
      await payments.getByText("Approved").waitFor();
      await page.getByText(`@${customer.username}`).waitFor();
      await page.getByText("Signs in to follow these projects and their approved payments.").waitFor();

      // A client without projects goes, after a confirmation.
      await page.goto(`/o/${slug}/clients`);
      await table.getByRole("button", { name: "Actions for Lone" }).click();
      await page.getByRole("menuitem", { name: /Delete/ }).click();
      await page
        .getByRole("alertdialog", { name: "Delete Lone?" })
        .getByRole("button", { name: "Delete client" })
        .click();
      await page.getByText("Lone is deleted.").waitFor();
      await expect.poll(() => table.getByRole("link", { name: "Lone" }).count()).toBe(0);
    },
    120_000,
  );
});
