/**
 * Support tickets, end to end: a customer files a ticket on their client's project in the UI; the
 * support team, in another browser, finds it in the queue, writes an internal note and a public
 * reply; the customer sees the reply and never the note.
 */
import { describe, expect } from "vitest";
import { call, login, member } from "./api.js";
import { browserTest, env, launch, unique } from "./harness.js";
import { signIn } from "./pages.js";

describe("tickets", () => {
  browserTest(
    "a customer files a ticket; support answers with an internal note and a public reply; the customer sees only the reply",
    async ({ page }) => {
      const admin = await login(env.adminLogin, env.adminPassword);
      const slug = unique("k").toLowerCase().slice(0, 30);
      const org = await call<{ id: string }>("/api/orgs", { token: admin, body: { slug, name: `Support ${slug}` } });
      const customer = await member(admin, slug, ["customer"], "cus");
      const support = await member(admin, slug, ["support"], "sup");
      const client = await call<{ id: string }>("/api/clients", { token: admin, body: { orgId: org.id, name: "Acme", customerUserId: customer.id } });
      const projectName = `Shop ${slug}`;
      await call("/api/projects", { token: admin, body: { orgId: org.id, name: projectName, clientId: client.id } });

      // The customer opens Support and files a critical ticket.
      await page.goto("/sign-in");
      await signIn(page, customer.username, customer.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Support" }).click();
      await page.waitForURL(/\/tickets$/);
      await page.getByRole("button", { name: "New ticket" }).first().click();
      const dialog = page.getByRole("dialog", { name: "New ticket" });
      await dialog.getByRole("option", { name: projectName }).waitFor({ state: "attached" });
      await dialog.getByLabel("Project").selectOption({ label: projectName });
      await dialog.getByLabel("Title").fill("Checkout button does nothing");
      await dialog.getByLabel("What happened").fill("Since this morning the **Pay** button does nothing.");
      await dialog.getByLabel("Severity").selectOption({ label: "Critical" });
      await dialog.getByRole("button", { name: "Open ticket" }).click();
      await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
      const ticketUrl = new URL(page.url()).pathname;
      await page.getByRole("heading", { name: "Checkout button does nothing" }).waitFor();
      // Markdown is rendered, safely: bold text, no raw asterisks.
      await page.getByText("Pay", { exact: true }).waitFor();
      expect(await page.locator("[data-sla]").first().getAttribute("data-sla")).toBe("on_track");

      // Support finds it in the queue, writes an internal note, then answers the customer.
      const second = await launch();
      try {
        const desk = second.page;
        await desk.goto("/sign-in");
        await signIn(desk, support.username, support.password);
        await desk.waitForURL(new RegExp(`/o/${slug}$`));
        await desk.goto(`/o/${slug}/tickets?assignee=none`);
        await desk.getByRole("link", { name: "Checkout button does nothing" }).click();
        await desk.waitForURL(new RegExp(`${ticketUrl}$`));
        await desk.getByLabel("Internal note", { exact: true }).check();
        await desk.getByRole("textbox", { name: /Internal note/ }).fill("Looks like the payment provider's sandbox key.");
        await desk.getByRole("button", { name: "Add note" }).click();
        await desk.locator('[data-internal="true"]').getByText("payment provider's sandbox key").waitFor();
        await desk.getByLabel("Internal note", { exact: true }).uncheck();
        await desk.getByRole("textbox", { name: "Reply" }).fill("Thanks, we are on it: a fix is coming today.");
        await desk.getByRole("button", { name: "Send reply" }).click();
        await desk.locator('[data-internal="false"]').getByText("a fix is coming today").waitFor();
      } finally {
        await second.close();
      }

      // The customer sees the reply, never the note.
      await page.reload();
      const conversation = page.getByRole("list", { name: "Conversation" });
      await conversation.getByText("a fix is coming today").waitFor();
      expect(await page.getByText("sandbox key").count()).toBe(0);
      expect(await page.locator('[data-internal="true"]').count()).toBe(0);
      expect(await page.getByRole("checkbox", { name: "Internal note" }).count()).toBe(0);
    },
    120_000,
  );

  browserTest("an admin sets the service levels: targets by severity and a working week in the organization's time zone", async ({ page }) => {
    const admin = await login(env.adminLogin, env.adminPassword);
    const slug = unique("s").toLowerCase().slice(0, 30);
    await call("/api/orgs", { token: admin, body: { slug, name: `Levels ${slug}` } });
    const owner = await member(admin, slug, ["admin"], "adm");
    await page.goto("/sign-in");
    await signIn(page, owner.username, owner.password);
    await page.waitForURL(new RegExp(`/o/${slug}$`));
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Service levels" }).click();
    await page.getByRole("heading", { name: "Service levels" }).waitFor();
    await page.getByText("Cairn's defaults").waitFor();
    await page.getByLabel("Critical: first answer in hours").fill("0.5");
    await page.getByLabel("Time zone").fill("Europe/Berlin");
    await page.getByLabel("Count only working hours").check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("New tickets follow these service levels.").waitFor();
    const saved = await call<{ timezone: string; businessHours: { days: number[]; start: string; end: string } | null; targets: { critical: { firstResponseMinutes: number } } }>(
      `/api/orgs/${slug}/sla`,
      { token: admin },
    );
    expect(saved.timezone).toBe("Europe/Berlin");
    expect(saved.businessHours).toEqual({ days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" });
    expect(saved.targets.critical.firstResponseMinutes).toBe(30);
    await page.reload();
    expect(await page.getByLabel("Critical: first answer in hours").inputValue()).toBe("0.5");
  });

  browserTest("a manager makes a task of a ticket: each page links to the other", async ({ page }) => {
    const admin = await login(env.adminLogin, env.adminPassword);
    const slug = unique("t").toLowerCase().slice(0, 30);
    const org = await call<{ id: string }>("/api/orgs", { token: admin, body: { slug, name: `Linked ${slug}` } });
    const customer = await member(admin, slug, ["customer"], "cus");
    const manager = await member(admin, slug, ["project_manager"], "pm");
    const client = await call<{ id: string }>("/api/clients", { token: admin, body: { orgId: org.id, name: "Initech", customerUserId: customer.id } });
    const project = await call<{ id: string }>("/api/projects", { token: admin, body: { orgId: org.id, name: `Portal ${slug}`, clientId: client.id, managerId: manager.id } });
    const ticket = await call<{ id: string; key: string }>("/api/tickets", {
      token: await login(customer.username, customer.password),
      body: { projectId: project.id, title: "Invoices show the wrong tax", severity: "high" },
    });

    await page.goto("/sign-in");
    await signIn(page, manager.username, manager.password);
    await page.waitForURL(new RegExp(`/o/${slug}$`));
    await page.goto(`/o/${slug}/tickets/${ticket.id}`);
    await page.getByRole("button", { name: "Make a task" }).click();
    await page.getByText(/is linked to/).waitFor();
    await page.getByRole("link", { name: /^[A-Z][A-Z0-9]+-\d+$/ }).click();
    await page.waitForURL(new RegExp(`/o/${slug}/tasks/`));
    const linked = page.getByRole("region", { name: "Made from a support ticket" });
    await linked.getByRole("link", { name: new RegExp(ticket.key) }).waitFor();
    await linked.getByRole("link", { name: new RegExp(ticket.key) }).click();
    await page.waitForURL(new RegExp(`/o/${slug}/tickets/${ticket.id}$`));
  });
});

