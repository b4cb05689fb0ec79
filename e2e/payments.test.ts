import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect } from "vitest";
import { browserTest, env, unique, waitForMail } from "./harness.js";
import { signIn, signOut } from "./pages.js";

/** JSON to and from the API, as a script would call it (set-up only; the journey uses the UI). */
async function call<T>(path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${env.baseUrl}${path}`, {
    method: options.body === undefined ? "GET" : "POST",
    headers: {
      Accept: "application/json",
      ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function login(login: string, password: string): Promise<string> {
  return (await call<{ access: string }>("/api/auth/login", { body: { login, password } })).access;
}

/** A member of `org` with `roles`, who sets their password from the welcome email. */
async function member(token: string, org: string, roles: string[], prefix: string) {
  const username = unique(prefix);
  const email = `${username}@example.com`;
  await call(`/api/orgs/${org}/members`, { token, body: { email, username, roles } });
  const link = await waitForMail(email, /(https?:\/\/\S+\/reset-password\?token=[\w%-]+&welcome=1)/);
  const password = `${prefix}-walks-the-cairn-9`;
  await call("/api/auth/password-reset/confirm", {
    body: { token: new URL(link).searchParams.get("token") ?? "", newPassword: password },
  });
  return { username, password };
}

/** Where the test leaves its screenshots, to look at after a run. */
const SHOTS = process.env.E2E_SCREENSHOTS ?? tmpdir();

describe("payments", () => {
  browserTest(
    "sales records payments (warned past the net price), a verifier approves one from the queue, the card shows the progress, sales withdraws a waiting one",
    async ({ page }) => {
      const admin = await login(env.adminLogin, env.adminPassword);
      const slug = unique("pay").toLowerCase().slice(0, 30);
      await call("/api/orgs", { token: admin, body: { slug, name: `Payments ${slug}` } });
      const sales = await member(admin, slug, ["salesperson"], "sal");
      const verifier = await member(admin, slug, ["verifier"], "ver");
      // A project with a net price of 10,500.00, opened by the salesperson through the API.
      const salesToken = await login(sales.username, sales.password);
      const projectName = `Shop ${slug}`;
      const project = await call<{ id: string }>("/api/projects", {
        token: salesToken,
        body: { name: projectName, cost: "11000.00", discount: "500.00" },
      });
      const projectUrl = `/o/${slug}/projects/${project.id}`;

      // The salesperson records the first instalment…
      await page.goto("/sign-in");
      await signIn(page, sales.username, sales.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.goto(projectUrl);
      await page.getByRole("heading", { level: 1, name: new RegExp(projectName) }).waitFor();
      await page.getByText("0.00 of 10,500.00 USD paid").waitFor();
      await page.getByRole("button", { name: "Record payment" }).click();
      let dialog = page.getByRole("dialog", { name: "Record payment" });
      await dialog.getByLabel("Amount").fill("5000");
      await dialog.getByLabel("Reference").fill("INV-1");
      expect(await dialog.getByText(/pass the net price/).count()).toBe(0);
      await dialog.getByRole("button", { name: "Record payment" }).click();
      const payments = page.getByRole("table", { name: "Payments" });
      await payments.getByRole("row", { name: /5,000\.00 USD/ }).waitFor();

      // …then an oversized one: warned before submitting (by how much), and by the server after.
      await page.getByRole("button", { name: "Record payment" }).click();
      dialog = page.getByRole("dialog", { name: "Record payment" });
      await dialog.getByLabel("Amount").fill("20,000");
      await dialog.getByText(/pass the net price of 10,500\.00 USD by 14,500\.00 USD/).waitFor();
      await dialog.getByRole("button", { name: "Record payment" }).click();
      await page.getByText(/14500\.00 over the net price of 10500\.00/).waitFor();
      await payments.getByRole("row", { name: /20,000\.00 USD/ }).waitFor();
      await signOut(page);

      // The verifier opens "Payments to verify" and approves the first one in place.
      await signIn(page, verifier.username, verifier.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Payments" }).click();
      await page.getByRole("heading", { level: 1, name: "Payments to verify" }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/o/${slug}/payments`);
      const queue = page.getByRole("table", { name: "Payments to verify" });
      const first = queue.getByRole("row", { name: /5,000\.00 USD/ });
      await first.waitFor();
      await queue.getByRole("row", { name: /20,000\.00 USD/ }).waitFor();
      await first.getByRole("button", { name: /^Approve/ }).click();
      await page.getByTestId("toast-success").filter({ hasText: "is approved" }).waitFor();
      await first.getByText("Approved").waitFor();
      expect(await first.getByRole("button", { name: /^Approve/ }).count()).toBe(0);
      await page.screenshot({ path: path.join(SHOTS, "payments-queue.png"), fullPage: true });

      // The project's card now shows the approved money against the net price.
      await first.getByRole("link", { name: projectName }).click();
      await page.getByRole("heading", { level: 1, name: new RegExp(projectName) }).waitFor();
      await page.getByText("5,000.00 of 10,500.00 USD paid").waitFor();
      const bar = page.getByRole("progressbar", { name: "Paid of the net price" });
      expect(await bar.getAttribute("aria-valuenow")).toBe("47");
      await signOut(page);

      // The salesperson withdraws the oversized payment while it waits.
      await signIn(page, sales.username, sales.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.goto(projectUrl);
      await page.getByText("5,000.00 of 10,500.00 USD paid").waitFor();
      expect(await payments.getByRole("button", { name: "Withdraw 5,000.00 USD" }).count()).toBe(0);
      await payments.getByRole("button", { name: "Withdraw 20,000.00 USD" }).click();
      await page
        .getByRole("alertdialog", { name: /Withdraw 20,000\.00 USD/ })
        .getByRole("button", { name: "Withdraw payment" })
        .click();
      await page.getByTestId("toast-success").filter({ hasText: "is withdrawn" }).waitFor();
      await payments.getByRole("row", { name: /20,000\.00 USD/ }).waitFor({ state: "detached" });
      await page.screenshot({ path: path.join(SHOTS, "payments-card.png"), fullPage: true });
    },
    180_000,
  );
});
