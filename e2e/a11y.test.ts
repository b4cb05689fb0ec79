/**
 * Accessibility, checked by a machine: every page each default role can open (and the visitor
 * pages) run through axe-core's WCAG 2 A and AA rules; a `serious` or `critical` violation fails
 * the test, listed with its rule, the elements and the page. Also the tablet's navigation drawer,
 * driven by the keyboard.
 */
import { AxeBuilder } from "@axe-core/playwright";
import { DEFAULT_ROLES, type DefaultRoleKey } from "@cairn/shared";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { call, login, member, type Person } from "./api.js";
import { browserTest, env, unique } from "./harness.js";
import { signIn } from "./pages.js";

const WCAG_2_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const BLOCKING = new Set(["serious", "critical"]);

type Finding = { page: string; rule: string; impact: string; help: string; targets: string[] };

/** Waits for the page to stop loading: its heading shown, no skeleton, nothing busy. */
async function settle(page: Page) {
  await page.locator("h1").first().waitFor();
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.animate-pulse, [aria-busy="true"], [role="status"][aria-label="Loading"]')
        .length === 0,
    undefined,
    { timeout: 15_000 },
  );
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** Runs axe on the page as it is and returns its serious and critical violations. */
async function audit(page: Page, name: string): Promise<Finding[]> {
  await settle(page);
  const results = await new AxeBuilder({ page }).withTags(WCAG_2_A_AA).analyze();
  return results.violations
    .filter((violation) => BLOCKING.has(violation.impact ?? ""))
    .map((violation) => ({
      page: name,
      rule: violation.id,
      impact: violation.impact ?? "",
      help: violation.help,
      targets: violation.nodes.map((node) => `${node.target.join(" ")}: ${node.failureSummary ?? ""}`),
    }));
}

/** One block per rule and element, with every page it was found on (the sidebar repeats). */
function report(findings: Finding[]): string {
  const grouped = new Map<string, string[]>();
  for (const finding of findings) {
    for (const target of finding.targets) {
      const key = `[${finding.impact}] ${finding.rule}: ${finding.help}\n    - ${target.replace(/\n\s*/g, " ")}`;
      const pages = grouped.get(key) ?? [];
      if (!pages.includes(finding.page)) pages.push(finding.page);
      grouped.set(key, pages);
    }
  }
  const blocks = [...grouped].map(([key, pages]) => `${key}\n      on: ${pages.join("; ")}`);
  return `${findings.length} serious or critical violations:\n${blocks.join("\n")}`;
}

/** Fails with the violations listed (rule, element, pages), or passes when there are none. */
function expectNone(findings: Finding[]) {
  if (findings.length) throw new Error(report(findings));
}

function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

/** The pages each run audited, printed at the end: who saw what. */
const covered = new Map<string, string[]>();

afterAll(() => {
  const total = [...covered.values()].reduce((sum, pages) => sum + pages.length, 0);
  const lines = [...covered].map(([who, pages]) => `  ${who} (${pages.length}): ${pages.join(", ")}`);
  console.log(`axe checked ${total} pages and dialogs:\n${lines.join("\n")}`);
});

/** Audits for `who`: `check(name)` runs axe on what is on screen and keeps its findings. */
function auditor(page: Page, who: string) {
  const findings: Finding[] = [];
  const seen: string[] = [];
  covered.set(who, seen);
  return {
    findings,
    check: async (name: string) => {
      seen.push(name);
      findings.push(...(await audit(page, `${name} (${new URL(page.url()).pathname}) as ${who}`)));
    },
  };
}

type World = {
  slug: string;
  people: Record<DefaultRoleKey, Person>;
  projectName: string;
  teamName: string;
};

let world: World;

beforeAll(async () => {
  const admin = await login(env.adminLogin, env.adminPassword);
  const slug = unique("a11y").toLowerCase().slice(0, 30);
  const org = await call<{ id: string }>("/api/orgs", {
    token: admin,
    body: { slug, name: `Accessible ${slug}` },
  });
  const entries = await Promise.all(
    DEFAULT_ROLES.map(
      async (role) => [role.key, await member(admin, slug, [role.key], role.key.slice(0, 3))] as const,
    ),
  );
  const people = Object.fromEntries(entries) as Record<DefaultRoleKey, Person>;

  // Something on every page: a client with its customer, a team, a project with payments.
  const teamName = `Web squad ${slug}`;
  await call("/api/teams", {
    token: admin,
    body: {
      orgId: org.id,
      name: teamName,
      description: "Storefronts.",
      managerId: people.project_manager.id,
      memberIds: [people.verified_developer.id, people.developer.id],
    },
  });
  const client = await call<{ id: string }>("/api/clients", {
    token: admin,
    body: {
      orgId: org.id,
      name: `Northwind ${slug}`,
      company: "Northwind Traders",
      contactEmail: "buyers@northwind.example",
      customerUserId: people.customer.id,
      salespersonId: people.salesperson.id,
    },
  });
  const sales = await login(people.salesperson.username, people.salesperson.password);
  const verifier = await login(people.verifier.username, people.verifier.password);
  const projectName = `Storefront ${slug}`;
  const project = await call<{ id: string }>("/api/projects", {
    token: sales,
    body: {
      orgId: org.id,
      name: projectName,
      description: "A web shop with customer accounts.",
      clientId: client.id,
      cost: "12000.00",
      discount: "1500.00",
      currency: "USD",
    },
  });
  const pay = (amount: string, reference: string) =>
    call<{ id: string }>(`/api/projects/${project.id}/payments`, {
      token: sales,
      body: { amount, method: "bank_transfer", reference, paidOn: new Date().toISOString().slice(0, 10) },
    });
  const approved = await pay("5000.00", "NW-1");
  await call(`/api/payments/${approved.id}/verify`, { token: verifier, body: { decision: "approve" } });
  await pay("2000.00", "NW-2");
  for (const role of ["developer", "verified_developer"] as const) {
    await call(`/api/projects/${project.id}/members`, {
      token: admin,
      body: { userId: people[role].id, role: "member" },
    });
  }
  // Tasks on every task page: the developers' own, one with a sub-task, and a personal one.
  const task = (body: Record<string, unknown>) =>
    call<{ id: string }>("/api/tasks", {
      token: admin,
      body: { orgId: org.id, projectId: project.id, ...body },
    });
  const checkout = await task({
    title: "Build the checkout",
    description: "Cards and invoices.",
    assigneeId: people.developer.id,
    priority: "high",
    dueDate: "2026-01-15",
    labels: ["frontend", "payments"],
  });
  await task({ title: "Validate the card number", parentId: checkout.id, assigneeId: people.developer.id });
  await task({ title: "Design the cart", assigneeId: people.verified_developer.id, status: "in_progress" });
  await task({ title: "Write the release notes", status: "done" });
  // A ticket of the customer's client, with a public answer and an internal note, for the ticket page.
  const ticket = await call<{ id: string }>("/api/tickets", {
    token: await login(people.customer.username, people.customer.password),
    body: { projectId: project.id, title: "The checkout button does nothing", description: "On **Safari** only.", severity: "high" },
  });
  await call(`/api/tickets/${ticket.id}/comments`, { token: admin, body: { body: "Thanks, we are looking into it." } });
  await call(`/api/tickets/${ticket.id}/comments`, { token: admin, body: { body: "Sandbox key in production?", internal: true } });
  world = { slug, people, projectName, teamName };
}, 120_000);

/**
 * Signs in and audits every page the sidebar offers (profile included), a project, a team, a
 * developer and the organizations when their lists offer one, onboarding when the sidebar asks for
 * it, and the notifications.
 */
async function auditEverything(page: Page, who: string, login: { username: string; password: string }) {
  const { findings, check } = auditor(page, who);
  await page.goto("/sign-in");
  await signIn(page, login.username, login.password);
  await page.waitForURL(/\/o\/[^/]+$/);
  if (!page.url().endsWith(`/o/${world.slug}`)) await page.goto(`/o/${world.slug}`);

  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Dashboard" }).waitFor();
  await page.getByRole("heading", { level: 1 }).waitFor();
  const links = await nav.getByRole("link").evaluateAll((elements) =>
    elements.map((element) => ({
      label: (element.textContent ?? "").trim(),
      href: element.getAttribute("href") ?? "",
    })),
  );
  const labels = links.map((link) => link.label);
  for (const link of links) {
    if (link.label === "Get verified") continue; // below, with the pages outside the organization
    await nav.locator(`a[href="${link.href}"]`).click();
    await page.waitForURL((url) => url.pathname === link.href);
    await check(link.label);

    // One of each kind from its list, when the list offers one (a salesperson sees only own teams).
    const details: Record<string, { link: Locator; name: string } | undefined> = {
      Projects: { link: page.getByRole("link", { name: world.projectName }), name: "Project" },
      Teams: { link: page.getByRole("link", { name: world.teamName }), name: "Team" },
      Clients: {
        link: page.getByRole("table", { name: "Clients" }).getByRole("link").first(),
        name: "Client",
      },
      Developers: {
        link: page.getByRole("table", { name: "Developers" }).getByRole("link").first(),
        name: "Developer",
      },
      Settings: { link: page.getByRole("link", { name: "All organizations" }), name: "Organizations" },
      Tasks: { link: page.getByRole("table", { name: "Tasks" }).getByRole("link").first(), name: "Task" },
      Support: { link: page.getByRole("table", { name: "Tickets" }).getByRole("link").first(), name: "Ticket" },
    };
    const detail = details[link.label];
    if (detail && (await detail.link.count())) {
      const from = page.url();
      await detail.link.click();
      await page.waitForURL((url) => url.href !== from);
      await check(detail.name);
      // A project's other tabs: its tasks as a list and its board; the CSV import for those who may.
      if (link.label === "Projects") {
        for (const tab of ["Tasks", "Board"]) {
          await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: tab }).click();
          await page.waitForURL((url) => url.pathname.endsWith(`/${tab.toLowerCase()}`));
          await check(`Project ${tab.toLowerCase()}`);
          const importLink = page.getByRole("link", { name: "Import CSV" });
          if (tab === "Tasks" && (await importLink.count())) {
            await importLink.click();
            await page.getByRole("heading", { level: 2, name: "Choose a CSV file" }).waitFor();
            await check("Import tasks");
            await page.goBack();
          }
        }
      }
    }
  }
  if (labels.includes("Get verified")) {
    await nav.getByRole("link", { name: "Get verified" }).click();
    await page.waitForURL(/\/onboarding$/);
    await check("Onboarding");
  }
  await page.goto("/notifications");
  await check("Notifications");
  return findings;
}

describe("accessibility (axe, WCAG 2 A and AA)", () => {
  browserTest("the visitor pages", async ({ page }) => {
    const { findings, check } = auditor(page, "visitor");
    for (const [name, path] of [
      ["Sign in", "/sign-in"],
      ["Sign up", "/sign-up"],
      ["Forgot password", "/forgot-password"],
    ] as const) {
      await page.goto(path);
      await check(name);
    }
    expectNone(findings);

    // Sign-in: the login field has the focus, and Tab goes straight on to the password.
    await page.goto("/sign-in");
    const loginField = page.getByLabel("Email or username");
    await expect.poll(() => isFocused(loginField)).toBe(true);
    await page.keyboard.press("Tab");
    expect(await isFocused(page.getByLabel("Password", { exact: true }))).toBe(true);
  });

  for (const role of DEFAULT_ROLES) {
    browserTest(
      `every page ${/^[aeiou]/i.test(role.name) ? "an" : "a"} ${role.name.toLowerCase()} can open`,
      async ({ page }) => {
        const findings = await auditEverything(page, role.name, world.people[role.key]);
        expectNone(findings);
      },
      180_000,
    );
  }

  browserTest(
    "every page the platform superuser can open",
    async ({ page }) => {
      const findings = await auditEverything(page, "superuser", {
        username: env.adminLogin,
        password: env.adminPassword,
      });
      expectNone(findings);
    },
    180_000,
  );
});

describe("dialogs", () => {
  browserTest(
    "form dialogs open on their first field, name their controls and pass axe",
    async ({ page }) => {
      const { findings, check } = auditor(page, "superuser, dialogs");
      await page.goto("/sign-in");
      await signIn(page, env.adminLogin, env.adminPassword);
      await page.waitForURL(/\/o\/[^/]+$/);
      const org = `/o/${world.slug}`;

      /** Opens the dialog with `button` on `path`; its first field must have the focus. */
      const open = async (path: string, button: string, title: string, firstField: string) => {
        await page.goto(path);
        await page.getByRole("button", { name: button }).first().click();
        const dialog = page.getByRole("dialog", { name: title });
        await dialog.waitFor();
        await expect.poll(() => isFocused(dialog.getByLabel(firstField, { exact: true }))).toBe(true);
        return dialog;
      };
      const close = async () => {
        await page.keyboard.press("Escape");
        await page.getByRole("dialog").waitFor({ state: "detached" });
      };

      await open(`${org}/clients`, "New client", "New client", "Name");
      await check("New client dialog");
      // The picker's options are a named listbox.
      await page.getByRole("combobox", { name: "Customer account" }).click();
      await page.getByRole("listbox", { name: "Customer account" }).waitFor();
      await check("New client dialog, customer picker open");
      await page.keyboard.press("Escape");
      await close();

      await open(`${org}/teams`, "New team", "New team", "Name");
      await check("New team dialog");
      await close();

      await open(`${org}/members`, "Add member", "Add member", "Email");
      await check("Add member dialog");
      await close();

      const role = await open(`${org}/roles`, "New role", "New role", "Name");
      await check("New role dialog");
      // Each group's "All" names its group, and a permission's label is apart from its codename.
      await role.getByRole("checkbox", { name: "All Projects permissions", exact: true }).waitFor();
      await role.getByRole("checkbox", { name: "All Payments permissions", exact: true }).waitFor();
      expect(await role.getByRole("checkbox", { name: "All", exact: true }).count()).toBe(0);
      await role.getByRole("checkbox", { name: /^Create projects\s+projects\.add$/ }).waitFor();
      await close();

      // A task from anywhere: the C key opens New task on its title; its pickers are named.
      await page.goto(`${org}/tasks`);
      await page.getByRole("heading", { level: 1, name: "Tasks" }).waitFor();
      await page.keyboard.press("c");
      const newTask = page.getByRole("dialog", { name: "New task" });
      await expect.poll(() => isFocused(newTask.getByLabel("Title", { exact: true }))).toBe(true);
      await check("New task dialog");
      await newTask.getByRole("combobox", { name: "Project" }).click();
      await page.getByRole("listbox", { name: "Project" }).waitFor();
      await check("New task dialog, project picker open");
      await page.keyboard.press("Escape");
      await close();
      // Rows chosen for a bulk edit: the bar's controls are named.
      await page.getByRole("checkbox", { name: "Select every row of this page" }).check();
      await page.getByRole("region", { name: "Bulk edit" }).waitFor();
      await check("Tasks, bulk edit bar");

      // Money is typed the way it is shown.
      await page.goto(`${org}/projects`);
      await page.getByRole("link", { name: world.projectName }).click();
      await page.getByRole("heading", { level: 1, name: new RegExp(world.projectName) }).waitFor();
      const payment = await open(page.url(), "Record payment", "Record payment", "Amount");
      await check("Record payment dialog");
      await payment.getByLabel("Amount").fill("1,250.50");
      await payment.getByRole("button", { name: "Record payment" }).click();
      await page.getByText("1,250.50 USD is recorded and awaits verification.").waitFor();

      await page.goto(`${org}/projects/new`);
      await page.getByRole("heading", { level: 1, name: "New project" }).waitFor();
      await page.getByLabel("Cost").fill("12,000.00");
      await page.getByLabel("Discount").fill("1,500");
      await page.getByText("10,500.00 USD").waitFor();
      await page.getByRole("combobox", { name: "Client" }).click();
      await page.getByRole("listbox", { name: "Client" }).waitFor();
      await check("New project, client picker open");
      expectNone(findings);
    },
    180_000,
  );
});

/** Whether a CSS colour is fully opaque (computed colours are rgb(), rgba() or oklch(… / alpha)). */
function opaque(color: string): boolean {
  const alpha =
    /\/\s*([\d.]+%?)\s*\)$/.exec(color)?.[1] ?? /^rgba\([^,]+,[^,]+,[^,]+,\s*([\d.]+)\)$/.exec(color)?.[1];
  if (alpha === undefined) return true;
  return alpha.endsWith("%") ? parseFloat(alpha) === 100 : parseFloat(alpha) === 1;
}

describe("the navigation drawer on a tablet", () => {
  browserTest("opens over the page, holds the keyboard and closes on Escape", async ({ page }) => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.goto("/sign-in");
    await signIn(page, env.adminLogin, env.adminPassword);
    await page.waitForURL(/\/o\/[^/]+$/);
    await page.getByRole("heading", { level: 1 }).waitFor();

    const menu = page.getByRole("button", { name: "Open navigation" });
    const drawer = page.getByRole("dialog", { name: "Navigation" });
    // Closed, the sidebar is neither seen nor reached with Tab.
    expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(0);

    await menu.click();
    await drawer.waitFor();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    const inside = () => drawer.evaluate((element) => element.contains(document.activeElement));
    await expect.poll(inside).toBe(true);
    // Opaque, over a page that cannot be reached meanwhile.
    const style = await drawer.evaluate((element) => {
      const computed = getComputedStyle(element);
      return { background: computed.backgroundColor, blur: computed.backdropFilter };
    });
    expect(opaque(style.background), `background ${style.background}`).toBe(true);
    expect(await page.locator("main").evaluate((element) => element.closest("[inert]") !== null)).toBe(true);

    // Tab and Shift+Tab go round inside the drawer.
    const stops = await drawer.evaluate(
      (element) => element.querySelectorAll("a[href], button:not(:disabled)").length,
    );
    expect(stops).toBeGreaterThan(3);
    for (let index = 0; index < stops + 2; index++) {
      await page.keyboard.press("Tab");
      expect(await inside(), `Tab ${index + 1} left the drawer`).toBe(true);
    }
    for (let index = 0; index < stops + 2; index++) {
      await page.keyboard.press("Shift+Tab");
      expect(await inside(), `Shift+Tab ${index + 1} left the drawer`).toBe(true);
    }

    // Escape closes it and gives the focus back to the menu button.
    await page.keyboard.press("Escape");
    await drawer.waitFor({ state: "hidden" });
    await expect.poll(() => isFocused(menu)).toBe(true);
    expect(await menu.getAttribute("aria-expanded")).toBe("false");

    // Its own Close button does the same; choosing a page closes it too.
    await menu.click();
    await drawer.getByRole("button", { name: "Close navigation" }).click();
    await drawer.waitFor({ state: "hidden" });
    await expect.poll(() => isFocused(menu)).toBe(true);
    await menu.click();
    await drawer.getByRole("link", { name: "Profile" }).click();
    await page.waitForURL(/\/profile$/);
    await drawer.waitFor({ state: "hidden" });
    await page.getByRole("heading", { level: 1, name: "Profile" }).waitFor();
  });
});
