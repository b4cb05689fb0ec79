import { describe, expect } from "vitest";
import { call, login, member } from "./api.js";
import { browserTest, env, unique, waitForMail } from "./harness.js";
import { pick, signIn, signOut } from "./pages.js";

describe("projects", () => {
  browserTest(
    "sales opens a project for a client and records a payment, finance approves it, only the client's customer sees the money",
    async ({ page }) => {
      // Set-up through the API: an organization of its own, with the people of the story.
      const admin = await login(env.adminLogin, env.adminPassword);
      const slug = unique("p").toLowerCase().slice(0, 30);
      await call("/api/orgs", { token: admin, body: { slug, name: `Projects ${slug}` } });
      const sales = await member(admin, slug, ["salesperson"], "sal");
      const verifier = await member(admin, slug, ["verifier"], "ver");
      const customer = await member(admin, slug, ["customer"], "cus");
      const stranger = await member(admin, slug, ["customer"], "str");

      // The salesperson brings in a client, linked to the customer's account…
      await page.goto("/sign-in");
      await signIn(page, sales.username, sales.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.getByRole("link", { name: "Clients" }).click();
      await page.getByRole("heading", { level: 1, name: "Clients" }).waitFor();
      await page.getByRole("button", { name: "New client" }).first().click();
      const clientDialog = page.getByRole("dialog", { name: "New client" });
      const clientName = `Northwind ${slug}`;
      await clientDialog.getByLabel("Name").fill(clientName);
      await clientDialog.getByLabel("Company").fill("Northwind Traders");
      // Pickers search the server as one types, and the person is chosen from the options.
      await pick(clientDialog, "Customer account", customer.username, `@${customer.username}`);
      await clientDialog.getByRole("button", { name: "Create client" }).click();
      await page.getByTestId("toast-success").waitFor();
      await page
        .getByRole("row", { name: new RegExp(clientName) })
        .getByText(`@${customer.username}`)
        .waitFor();

      // …opens a project for it with a cost and a discount (the form checks the discount first)…
      await nav.getByRole("link", { name: "New project" }).click();
      await page.getByRole("heading", { level: 1, name: "New project" }).waitFor();
      const projectName = `Website ${slug}`;
      await page.getByLabel("Name").fill(projectName);
      await pick(page, "Client", clientName, `${clientName} — Northwind Traders`);
      await page.getByLabel("Cost").fill("1200");
      await page.getByLabel("Discount").fill("1500");
      await page.getByRole("button", { name: "Create project" }).click();
      await page.getByText("The discount cannot be above the cost (1200).").waitFor();
      await page.getByLabel("Discount").fill("200");
      await page.getByRole("button", { name: "Create project" }).click();
      await page.getByRole("heading", { level: 1, name: new RegExp(projectName) }).waitFor();
      const financials = page.getByRole("definition").filter({ hasText: "1,000.00 USD" });
      await financials.first().waitFor();
      const projectUrl = new URL(page.url()).pathname;

      // …attaches the brief (a progress bar while it uploads), then removes a wrong file after confirming…
      const upload = page.getByLabel("Upload a file");
      await upload.setInputFiles({
        name: "brief.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("The brief.\n"),
      });
      const files = page.getByRole("list", { name: "Files" });
      await files.getByText("brief.txt").waitFor();
      await upload.setInputFiles({
        name: "wrong.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("Oops.\n"),
      });
      await files.getByText("wrong.txt").waitFor();
      await page.getByRole("button", { name: "Delete wrong.txt" }).click();
      await page
        .getByRole("alertdialog", { name: "Delete wrong.txt?" })
        .getByRole("button", { name: "Delete file" })
        .click();
      await files.getByText("wrong.txt").waitFor({ state: "detached" });
      expect(await files.getByText("brief.txt").count()).toBe(1);

      // …and records a payment, which waits for a verifier.
      await page.getByRole("button", { name: "Record payment" }).click();
      const paymentDialog = page.getByRole("dialog", { name: "Record payment" });
      await paymentDialog.getByLabel("Amount").fill("400");
      await paymentDialog.getByLabel("Reference").fill("INV-1");
      await paymentDialog.getByRole("button", { name: "Record payment" }).click();
      const payments = page.getByRole("table", { name: "Payments" });
      await payments.getByText("Pending").waitFor();
      // Nobody verifies a payment they recorded: the salesperson has no such button.
      expect(await payments.getByRole("button", { name: "Approve" }).count()).toBe(0);
      await signOut(page);

      // The verifier finds the project in the list and approves the payment with a note.
      await signIn(page, verifier.username, verifier.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await nav.getByRole("link", { name: "Projects" }).click();
      await page.getByRole("link", { name: projectName }).click();
      await page.getByRole("heading", { level: 1, name: new RegExp(projectName) }).waitFor();
      await page.getByRole("table", { name: "Payments" }).getByRole("button", { name: "Approve" }).click();
      const verifyDialog = page.getByRole("dialog", { name: "Approve payment" });
      await verifyDialog.getByLabel("Note").fill("Matched on the bank statement");
      await verifyDialog.getByRole("button", { name: "Approve payment" }).click();
      await page.getByRole("table", { name: "Payments" }).getByText("Approved").waitFor();
      await page.getByText("“Matched on the bank statement”").waitFor();
      // Finance sees the project but may not edit it.
      expect(await page.getByRole("link", { name: "Edit" }).count()).toBe(0);
      await signOut(page);

      // The client's customer sees the project with its financials and the approved payment.
      await signIn(page, customer.username, customer.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.goto(projectUrl);
      await page.getByRole("heading", { level: 1, name: new RegExp(projectName) }).waitFor();
      await page.getByRole("heading", { name: "Financials" }).waitFor();
      await page.getByRole("definition").filter({ hasText: "1,000.00 USD" }).first().waitFor();
      await page.getByRole("table", { name: "Payments" }).getByText("Approved").waitFor();
      expect(await page.getByRole("button", { name: "Record payment" }).count()).toBe(0);
      await signOut(page);

      // Another customer sees the project, without any money.
      await signIn(page, stranger.username, stranger.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Projects" }).click();
      await page.getByRole("link", { name: projectName }).click();
      await page.getByRole("heading", { level: 1, name: new RegExp(projectName) }).waitFor();
      await page.getByRole("heading", { name: "Overview" }).waitFor();
      expect(await page.getByRole("heading", { name: "Financials" }).count()).toBe(0);
      expect(await page.getByRole("heading", { name: "Payments" }).count()).toBe(0);
      expect(await page.getByText("USD").count()).toBe(0);
    },
    180_000,
  );

  browserTest("the superuser creates an organization with its first administrator", async ({ page }) => {
    await page.goto("/sign-in");
    await signIn(page, env.adminLogin, env.adminPassword);
    await page.waitForURL(/\/o\/[^/]+$/);
    const org = new URL(page.url()).pathname.split("/")[2] ?? "";
    await page.goto(`/o/${org}/settings`);
    await page.getByRole("heading", { level: 1, name: "Organization" }).waitFor();
    await page.getByRole("link", { name: "All organizations" }).click();
    await page.getByRole("heading", { level: 1, name: "Organizations" }).waitFor();

    const slug = unique("org").toLowerCase().slice(0, 30);
    const adminName = unique("adm");
    await page.getByRole("button", { name: "New organization" }).click();
    const dialog = page.getByRole("dialog", { name: "New organization" });
    await dialog.getByLabel("Name", { exact: true }).fill(`Umbrella ${slug}`);
    await dialog.getByLabel("Slug").fill(slug);
    await dialog.getByLabel("Email").fill(`${adminName}@example.com`);
    await dialog.getByLabel("Username").fill(adminName);
    await dialog.getByRole("button", { name: "Create organization" }).click();
    await page.getByTestId("toast-success").waitFor();
    await page.getByRole("searchbox", { name: "Search organizations" }).fill(slug);
    await page.getByRole("row", { name: new RegExp(slug) }).waitFor();
    // The first administrator is invited like any new member.
    await waitForMail(
      `${adminName}@example.com`,
      /(https?:\/\/\S+\/reset-password\?token=[\w%-]+&welcome=1)/,
    );
  });
});
